//! Bad input: messages beside the fields in the user's language, input kept,
//! status 422, and Unicode kept exactly.

use crate::helpers::{hidden_value, spawn_app};
use dialogue_desk::db::schema::items;
use dialogue_desk::domain::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

#[tokio::test]
async fn an_incomplete_proposal_comes_back_with_vietnamese_messages_and_the_input_kept() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let form = delegate.get("/proposals/new").await;
    let token = hidden_value(&form.body, "submission_token").unwrap();
    let page = delegate
        .post(
            "/proposals",
            &[
                ("title", "Đề"),
                ("content", "Nội dung dài đủ để giữ lại <b>đậm</b>"),
                ("field_id", ""),
                ("submission_token", &token),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Phải có từ 5 đến 300 ký tự."),
        "{}",
        page.body
    );
    assert!(page.body.contains("Vui lòng chọn lĩnh vực."));
    assert!(
        page.body.contains("id=\"title-error\""),
        "message tied to its field"
    );
    assert!(page.body.contains("value=\"Đề\""), "typed title kept");
    assert!(
        page.body.contains("&lt;b&gt;đậm&lt;&#x2F;b&gt;"),
        "typed content kept, escaped"
    );
    let count: i64 = items::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_english_speaking_user_gets_english_messages() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let switched = delegate
        .post("/language", &[("lang", "en"), ("next", "/proposals/new")])
        .await;
    assert_eq!(switched.location.as_deref(), Some("/proposals/new"));
    let form = delegate.get("/proposals/new").await;
    assert!(form.body.contains("<html lang=\"en\">"));
    let token = hidden_value(&form.body, "submission_token").unwrap();
    let page = delegate
        .post(
            "/proposals",
            &[
                ("title", ""),
                ("content", ""),
                ("field_id", "x"),
                ("submission_token", &token),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Must be between 5 and 300 characters."));
    assert!(page.body.contains("Please choose a field."));
}

#[tokio::test]
async fn the_language_choice_is_remembered_at_the_next_login() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    delegate
        .post_ok("/language", &[("lang", "en"), ("next", "/my")])
        .await;
    let again = app.login(&user).await;
    assert!(again.get("/my").await.body.contains("My proposals"));
}

#[tokio::test]
async fn vietnamese_text_is_stored_in_nfc_with_line_breaks_kept() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let decomposed_title = "Ca\u{0301}n bo\u{0323}\u{0302} tre\u{0309} 🇻🇳";
    let content = "Dòng một\r\nDòng hai — “trích dẫn”";
    delegate
        .submit_proposal(decomposed_title, content, app.field_id("to-chuc-can-bo"))
        .await;
    let (title, stored_content): (String, String) = items::table
        .select((items::title, items::content))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(title, "Cán bộ trẻ 🇻🇳");
    assert_eq!(stored_content, "Dòng một\nDòng hai — “trích dẫn”");
}

#[tokio::test]
async fn an_unknown_merge_target_is_explained_beside_the_field() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let id = delegate
        .submit_proposal("Gộp thử", "Nội dung gộp thử.", app.field_id("khac"))
        .await;
    let page = coordinator
        .post(
            &format!("/items/{id}/merge"),
            &[("target", "KN-2099-9999"), ("text", "ghi chú gộp")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("Không có kiến nghị nào mang số hiệu này."));
    assert!(page.body.contains("KN-2099-9999"));
    assert!(page.body.contains("ghi chú gộp"));
}

#[tokio::test]
async fn a_long_form_is_answered_as_too_long_never_as_an_expired_form() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let form = delegate.get("/proposals/new").await;
    let token = hidden_value(&form.body, "submission_token").unwrap();
    let field = app.field_id("to-chuc-can-bo").to_string();
    let post = |content: String| {
        let (token, field) = (token.clone(), field.clone());
        let delegate = &delegate;
        async move {
            delegate
                .post(
                    "/proposals",
                    &[
                        ("title", "Một kiến nghị rất dài"),
                        ("content", &content),
                        ("field_id", &field),
                        ("submission_token", &token),
                    ],
                )
                .await
        }
    };

    // 300 KiB: under the app's 512 KiB form limit (over actix's default of 256 KiB),
    // so the form is read and the content's own limit speaks, beside the field.
    let page = post("a".repeat(300 * 1024)).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"content-error\""), "{}", page.body);
    assert!(!page.body.contains("Biểu mẫu đã hết hạn"));

    // Over 512 KiB: refused as too long, in Vietnamese.
    let page = post("a".repeat(600 * 1024)).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.body.contains("Nội dung gửi đi quá dài"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Biểu mẫu đã hết hạn"));
    let count: i64 = items::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(count, 0);
}
