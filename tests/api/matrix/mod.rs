//! The authorization matrix: every route of `routes::ROUTES` × every person ×
//! the item states where it matters. A route without a row here fails the test,
//! and so does a row for a route that no longer exists.

mod cast;
mod items;
mod pages;

use dialogue_desk::routes::ROUTES;

#[test]
fn every_route_has_exactly_one_row_in_the_matrix() {
    let rows: Vec<(String, &str)> = items::ITEM_RULES
        .iter()
        .map(|r| (r.method.to_string(), r.path))
        .chain(
            pages::PAGE_RULES
                .iter()
                .map(|r| (r.method.to_string(), r.path)),
        )
        .collect();
    let routes: Vec<(String, &str)> = ROUTES.iter().map(|(m, p)| (m.to_string(), *p)).collect();
    let without_row: Vec<_> = routes.iter().filter(|r| !rows.contains(r)).collect();
    let without_route: Vec<_> = rows.iter().filter(|r| !routes.contains(r)).collect();
    let twice: Vec<_> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| rows[..*i].contains(r))
        .map(|(_, r)| r)
        .collect();
    assert!(
        without_row.is_empty(),
        "routes without a row in the matrix: {without_row:?}"
    );
    assert!(
        without_route.is_empty(),
        "rows for routes that no longer exist: {without_route:?}"
    );
    assert!(twice.is_empty(), "routes with two rows: {twice:?}");
}
