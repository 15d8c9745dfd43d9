//! The print views: an item with its answer and a body's list, reached from their
//! pages by the "Bản in" link, laid out as documents and accessible.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, published};

#[test]
fn an_item_and_a_bodys_list_print_as_documents() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let answered = published(
            app,
            &people,
            "Quy định về luân chuyển cán bộ trẻ",
            "Ban Tổ chức Tỉnh ủy sẽ ban hành quy định trong quý IV năm 2023.",
        )
        .await;
        browser.login(&people.delegate).await;
        browser.goto(&format!("/items/{answered}")).await;
        browser.click_link("Bản in").await;
        assert_eq!(browser.path().await, format!("/items/{answered}/print"));
        assert!(browser.text_of("h1").await.contains("PHIẾU KIẾN NGHỊ"));
        assert!(browser.text_of("main").await.contains("quý IV năm 2023"));
        assert!(!browser.has("main form").await, "no forms on paper");
        let font = browser.style_of("body", "font-family").await;
        assert!(
            font.contains("Times"),
            "a document's serif type, not {font}"
        );
        browser.axe_check().await;
        browser.goto("/my").await;
        browser.logout().await;

        browser.login(&people.drafter).await;
        browser.goto("/queue").await;
        browser.click_link("Bản in").await;
        assert!(browser.path().await.starts_with("/queue?print=1"));
        assert!(browser.has("table.register").await);
        assert!(browser
            .text_of("table.register")
            .await
            .contains("KN-2023-0001"));
        browser.axe_check().await;
    });
}
