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
