//! The desk on a small phone (360 × 740): no page scrolls sideways, list tables
//! turn into labelled blocks, and axe-core finds nothing.

use crate::browser::{browser_test, Browser, PHONE};
use crate::cast::{approved, cast, published, submitted};

/// Opens `path` and checks it the way a phone user would notice.
async fn fits_a_phone(browser: &Browser, path: &str) {
    browser.goto(path).await;
    assert_eq!(browser.path().await, path);
    browser.assert_fits_width().await;
    if browser.has("table.items").await {
        // Each cell is a block of its own, introduced by its column's name.
        assert_eq!(browser.style_of("table.items td", "display").await, "block");
        assert_eq!(browser.style_of("table.items tr", "display").await, "block");
        let label = browser.before_content("table.items td").await;
        assert!(label.contains(": "), "{path}: a cell's label is {label:?}");
    }
    browser.axe_check().await;
}

#[test]
fn on_a_phone_each_roles_main_page_and_the_item_page_fit_the_screen() {
    browser_test(PHONE, async |app, browser| {
        let people = cast(app);
        let answered = published(
            app,
            &people,
            "Quy định về luân chuyển cán bộ trẻ có triển vọng phát triển",
            "Ban Tổ chức Tỉnh ủy sẽ trình ban hành quy định mới trong quý IV năm 2023, có lộ trình cụ thể cho từng cơ quan, đơn vị trong Khối.",
        )
        .await;
        let waiting = approved(app, &people, "Chế độ phụ cấp kiêm nhiệm", "Trả lời.").await;
        let in_review = submitted(
            app,
            &people.delegate,
            "Đánh giá cán bộ theo kết quả công việc",
            "to-chuc-can-bo",
        )
        .await;
        app.login(&people.drafter)
            .await
            .post_ok(
                &format!("/items/{in_review}/draft"),
                &[
                    ("text", "Dự thảo trả lời."),
                    ("intent", "review"),
                    ("outcome", "explained"),
                ],
            )
            .await;
        let to_triage = submitted(
            app,
            &people.delegate,
            "Nâng cao chất lượng sinh hoạt chi bộ",
            "khac",
        )
        .await;

        browser.login(&people.delegate).await;
        fits_a_phone(browser, "/my").await;
        fits_a_phone(browser, &format!("/items/{answered}")).await;
        fits_a_phone(browser, "/proposals/new").await;
        browser.logout().await;

        browser.login(&people.drafter).await;
        fits_a_phone(browser, "/queue").await;
        fits_a_phone(browser, &format!("/items/{in_review}")).await;
        browser.logout().await;

        browser.login(&people.approver).await;
        fits_a_phone(browser, "/review").await;
        fits_a_phone(browser, &format!("/items/{in_review}")).await;
        browser.logout().await;

        browser.login(&people.coordinator).await;
        fits_a_phone(browser, "/triage").await;
        fits_a_phone(browser, &format!("/items/{to_triage}")).await;
        fits_a_phone(browser, "/publish").await;
        fits_a_phone(browser, &format!("/items/{waiting}")).await;
        browser.logout().await;

        browser.login(&people.admin).await;
        fits_a_phone(browser, "/admin/users").await;
        fits_a_phone(browser, "/admin/fields").await;
    });
}
