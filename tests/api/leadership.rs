//! Issue 11: the read-only provincial leadership (Thường trực / Ban Thường vụ Tỉnh
//! ủy) sees what a coordinator sees and can change nothing. The authorization
//! matrix (`matrix/`) checks every route for the role; these tests check what the
//! pages show it.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::spawn_app;
use dialogue_desk::db::schema::{conferences, items};
use dialogue_desk::domain::Role;

#[tokio::test]
async fn the_leadership_reads_every_list_and_item_page_without_a_single_form() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let leadership = app.login(&app.add_user(Role::Leadership, None)).await;
    let item = delegate
        .submit_proposal(
            "Luân chuyển cán bộ trẻ",
            "Đề nghị có chính sách luân chuyển.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    coordinator
        .post_ok(
            &format!("/items/{item}/notes"),
            &[("text", "Ghi chú nội bộ của cơ quan điều phối.")],
        )
        .await;

    // Home is the dashboard of every body.
    let home = leadership.get("/").await;
    assert_eq!(home.location.as_deref(), Some("/dashboard"));
    let dashboard = leadership.get("/dashboard").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("Ban Tổ chức Tỉnh ủy"),
        "every body's figures"
    );
    let report = leadership
        .get("/reports/periodic?period=year&year=2026&conference=&format=csv")
        .await;
    assert_eq!(
        report.status,
        StatusCode::OK,
        "the leadership exports reports"
    );
    let list = leadership.get("/items?q=luan+chuyen").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Luân chuyển cán bộ trẻ"));
    assert!(list.body.contains("href=\"/deadlines\""), "the role's nav");

    // The item page: the internal note and the timeline, and no form at all.
    let page = leadership.get(&format!("/items/{item}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ghi chú nội bộ của cơ quan điều phối."));
    let posts = page.body.matches("method=\"post\"").count();
    let own = page.body.matches("action=\"/logout\"").count()
        + page.body.matches("action=\"/language\"").count();
    assert_eq!(posts, own, "only the page frame's own forms: {}", page.body);
    assert_eq!(
        leadership.get(&format!("/items/{item}/print")).await.status,
        StatusCode::OK
    );
    assert_eq!(leadership.get("/deadlines").await.status, StatusCode::OK);
    let conference: i32 = conferences::table
        .select(conferences::id)
        .first(&mut *app.conn())
        .unwrap();
    let monitoring = leadership
        .get(&format!("/conferences/{conference}/monitoring"))
        .await;
    assert_eq!(monitoring.status, StatusCode::OK);
    assert!(!monitoring.body.contains("/tasks/new"));
    assert!(!monitoring.body.contains("/inspections\""));

    // A POST with a valid token changes nothing.
    let refused = leadership
        .post(
            &format!("/items/{item}/notes"),
            &[("text", "Không được ghi.")],
        )
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.status.is_client_error());
    let status: String = items::table
        .find(item)
        .select(items::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "routed");
    let again = leadership.get(&format!("/items/{item}")).await;
    assert!(!again.body.contains("Không được ghi."));
}

#[tokio::test]
async fn the_demo_leadership_account_lands_on_the_list_of_all_items() {
    let password = "mật khẩu demo 2023";
    let app = crate::helpers::spawn_demo_app(password).await;
    let user = crate::helpers::TestUser {
        id: dialogue_desk::domain::UserId(0),
        email: "thuongtruc@demo.vn".into(),
        password: password.into(),
    };
    let leadership = app.login(&user).await;
    assert_eq!(
        leadership.get("/").await.location.as_deref(),
        Some("/dashboard")
    );
    let all = leadership.get("/items").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("href=\"/items/"), "demo items are listed");
}
