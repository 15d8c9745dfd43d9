//! The read-only provincial leadership in the browser (issue 11): it signs in,
//! lands on every item, opens one and finds it to read, with no form to change it.

use dialogue_desk::domain::Role;

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, published};

#[test]
fn the_leadership_opens_an_item_and_finds_nothing_to_change() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        published(
            app,
            &people,
            "Luân chuyển cán bộ trẻ về cơ sở",
            "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn.",
        )
        .await;
        let leadership = app.add_user(Role::Leadership, None);
        browser.login(&leadership).await;
        assert!(browser.path().await.ends_with("/dashboard"));
        browser.axe_check().await;
        browser.click_link("Tất cả kiến nghị").await;
        assert!(browser.path().await.ends_with("/items"));
        browser.axe_check().await;
        browser.click_link("KN-2023-0001").await;
        assert!(browser.path().await.contains("/items/"));
        let page = browser.text_of("main").await;
        assert!(
            page.contains("Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn."),
            "{page}"
        );
        assert!(!browser.has("main form").await, "no form on the item page");
        browser.axe_check().await;
        browser.click_link("Theo dõi thời hạn").await;
        assert!(browser.path().await.ends_with("/deadlines"));
        browser.axe_check().await;
    });
}

#[test]
fn a_coordinator_corrects_a_published_commitment_with_a_reason() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let item = published(
            app,
            &people,
            "Mở lớp bồi dưỡng cán bộ trẻ",
            "Ban Tổ chức Tỉnh ủy sẽ mở lớp.",
        )
        .await;
        let body = app.body_id("TCTU");
        app.execute(&format!(
            "INSERT INTO commitments (conference_id, item_id, description, owner_body_id, \
             due_working_days, due_on, due_at, planned_document, progress, created_by, \
             created_at, updated_at) SELECT conference_id, id, 'Mở lớp bồi dưỡng', {body}, \
             20, NULL, '2030-03-01 10:00:00', '', 'not_started', {}, \
             '2026-01-05 03:00:00', '2026-01-05 03:00:00' FROM items WHERE id = {item}",
            people.coordinator.id.0
        ));
        browser.login(&people.coordinator).await;
        browser.goto(&format!("/items/{item}")).await;
        browser.click_link("Mở lớp bồi dưỡng").await;
        browser.click_link("Sửa cam kết").await;
        browser.axe_check().await;
        browser.fill("Số ngày làm việc", "30").await;
        browser.click("Lưu thay đổi").await;
        // Without a reason the form comes back with its message.
        let page = browser.text_of("main").await;
        assert!(page.contains("nêu lý do"), "{page}");
        browser.axe_check().await;
        browser
            .fill("Lý do thay đổi", "Chờ Trung ương ban hành quy định.")
            .await;
        browser.click("Lưu thay đổi").await;
        let page = browser.text_of("main").await;
        assert!(page.contains("Chờ Trung ương ban hành quy định."), "{page}");
        browser.axe_check().await;
    });
}
