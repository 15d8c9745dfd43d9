//! Long lists: counts stay cheap and paging goes on past what was counted.

use crate::helpers::spawn_app;
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

/// Puts `count` routed items led by the body with `body_code` straight into the
/// database (SQL both engines accept), as if filed long ago.
fn add_items(app: &crate::helpers::TestApp, count: u32, delegate: i32, body_code: &str) {
    let field = app.field_id("to-chuc-can-bo");
    let body = app.body_id(body_code);
    app.execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
         INSERT INTO items (conference_id, reference_number, reference, delegate_id, \
           submission_token, title, content, field_id, related_units, status, lead_body_id, \
           submitted_at, deadline, original_deadline, updated_at, search_text) \
         SELECT 1, 1000 + i, 'KN-2023-L' || i, {delegate}, 'list-' || i, 'Kiến nghị số ' || i, \
           'Nội dung.', {field}, '', 'routed', {body}, '2023-05-20 08:00:00', \
           '2023-06-19 08:00:00', '2023-06-19 08:00:00', '2023-05-20 08:00:00', \
           'kien nghi so ' || i FROM n"
    ));
}

#[tokio::test]
async fn a_queue_longer_than_a_thousand_says_so_and_still_pages_on() {
    let app = spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    add_items(&app, 1030, delegate.id.0, "TCTU");
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let first = drafter.get("/queue").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("(1000+)"),
        "the heading and the navigation say 1000+"
    );
    assert!(
        first.body.contains("Trang 1</span>"),
        "no page total when it is not known"
    );
    assert!(first.body.contains("rel=\"next\""));
    let deep = drafter.get("/queue?page=42").await;
    assert_eq!(deep.status, StatusCode::OK);
    assert!(deep.body.contains("Trang 42"));
    assert!(deep.body.contains("rel=\"prev\""));
    assert!(
        !deep.body.contains("rel=\"next\""),
        "42 pages of 25 hold all 1030"
    );
    assert_eq!(deep.body.matches("href=\"/items/").count(), 5);
}

#[tokio::test]
async fn a_short_list_shows_its_exact_count_and_number_of_pages() {
    let app = spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    add_items(&app, 30, delegate.id.0, "TCTU");
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let first = drafter.get("/queue").await;
    assert!(first.body.contains("(30)"));
    assert!(first.body.contains("Trang 1 / 2"));
    let other_body = app.login(&app.add_user(Role::Drafter, Some("TGTU"))).await;
    assert!(other_body.get("/queue").await.body.contains("(0)"));
}

#[tokio::test]
async fn a_bodys_list_and_an_item_print_as_documents_within_the_viewers_scope() {
    let app = spawn_app().await;
    let delegate_user = app.add_user(Role::Delegate, None);
    add_items(&app, 30, delegate_user.id.0, "TCTU");
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let list = drafter.get("/queue?print=1").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("print.css"));
    assert!(
        !list.body.contains("class=\"main-nav\""),
        "no navigation on paper"
    );
    assert_eq!(
        list.body.matches("<tr>").count(),
        31,
        "a header row and all 30 items, not one page"
    );
    let delegate = app.login(&delegate_user).await;
    let id = delegate
        .submit_proposal(
            "Đề xuất để in",
            "Nội dung đề xuất để in.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let printed = delegate.get(&format!("/items/{id}/print")).await;
    assert_eq!(printed.status, StatusCode::OK);
    assert!(printed.body.contains("Phiếu kiến nghị"));
    assert!(printed.body.contains("920-TB/TU") || printed.body.contains("920-TB&#x2F;TU"));
    assert!(!printed.body.contains("<form"), "no forms on paper");
    let other_body = app.login(&app.add_user(Role::Drafter, Some("TGTU"))).await;
    assert_eq!(
        other_body.get(&format!("/items/{id}/print")).await.status,
        StatusCode::NOT_FOUND
    );
}
