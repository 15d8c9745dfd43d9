//! The authorization matrix: every role against every protected page and action,
//! and against another body's and another delegate's items.

use crate::helpers::{spawn_app, TestApp, TestSession};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

/// The people of the matrix, with the item filed by `owner` and led by TCTU.
struct World {
    people: Vec<(&'static str, TestSession)>,
    item: i32,
}

async fn world(app: &TestApp) -> World {
    let owner = app.login(&app.add_user(Role::Delegate, None)).await;
    let item = owner
        .submit_proposal(
            "Kiến nghị thử quyền",
            "Nội dung kiến nghị thử quyền.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let mut people = vec![("owner", owner)];
    for (name, role, body) in [
        ("other_delegate", Role::Delegate, None),
        ("lead_drafter", Role::Drafter, Some("TCTU")),
        ("other_drafter", Role::Drafter, Some("BCSD-UBND")),
        ("lead_approver", Role::Approver, Some("TCTU")),
        ("other_approver", Role::Approver, Some("BCSD-UBND")),
        ("coordinator", Role::Coordinator, Some("DUK")),
        ("admin", Role::Admin, None),
    ] {
        people.push((name, app.login(&app.add_user(role, body)).await));
    }
    let mut anonymous = app.session();
    let login_page = anonymous.get("/login").await;
    anonymous.csrf = crate::helpers::csrf_in(&login_page.body).unwrap();
    people.push(("anonymous", anonymous));
    World { people, item }
}

#[tokio::test]
async fn every_role_sees_only_the_pages_meant_for_it() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let item = format!("/items/{}", world.item);
    let pages: [(&str, &[&str]); 10] = [
        ("/my", &["owner", "other_delegate"]),
        ("/proposals/new", &["owner", "other_delegate"]),
        (
            "/queue",
            &[
                "lead_drafter",
                "other_drafter",
                "lead_approver",
                "other_approver",
            ],
        ),
        (
            "/coordinating",
            &[
                "lead_drafter",
                "other_drafter",
                "lead_approver",
                "other_approver",
            ],
        ),
        ("/review", &["lead_approver", "other_approver"]),
        ("/triage", &["coordinator"]),
        ("/items", &["coordinator"]),
        ("/publish", &["coordinator"]),
        ("/admin/users", &["admin"]),
        (
            &item,
            &["owner", "lead_drafter", "lead_approver", "coordinator"],
        ),
    ];
    for (path, allowed) in pages {
        for (who, session) in &world.people {
            let page = session.get(path).await;
            let expected = if *who == "anonymous" {
                StatusCode::SEE_OTHER
            } else if allowed.contains(who) {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(page.status, expected, "{who} GET {path}");
        }
    }
}

/// An action: its path, its form fields, and who may take it.
type Attempt<'a> = (String, Vec<(&'a str, &'a str)>, &'a [&'a str]);

#[tokio::test]
async fn nobody_acts_on_an_item_beyond_their_role_or_body() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let id = world.item;
    let body = app.body_id("TGTU").to_string();
    let actions: Vec<Attempt> = vec![
        (
            format!("/items/{id}/notes"),
            vec![("text", "ghi chú")],
            &["lead_drafter", "lead_approver", "coordinator"],
        ),
        (
            format!("/items/{id}/draft"),
            vec![("text", "dự thảo"), ("intent", "save")],
            &["lead_drafter", "lead_approver"],
        ),
        (format!("/items/{id}/approve"), vec![], &["lead_approver"]),
        (
            format!("/items/{id}/return"),
            vec![("text", "trả lại")],
            &["lead_approver"],
        ),
        (
            format!("/items/{id}/route"),
            vec![("body_id", &body), ("text", "lý do")],
            &["coordinator"],
        ),
        (
            format!("/items/{id}/coordinating-bodies"),
            vec![("body_id", &body)],
            &["coordinator"],
        ),
        (
            format!("/items/{id}/send-back"),
            vec![("text", "trả về")],
            &["coordinator"],
        ),
        (format!("/items/{id}/publish"), vec![], &["coordinator"]),
        (
            format!("/items/{id}/implementation"),
            vec![("state", "done")],
            &["coordinator"],
        ),
        (
            format!("/items/{id}/merge"),
            vec![("target", "KN-2023-0001")],
            &["coordinator"],
        ),
        (
            format!("/items/{id}/satisfaction"),
            vec![("level", "satisfied")],
            &["owner"],
        ),
        (
            format!("/items/{id}/withdraw"),
            vec![("text", "lý do")],
            &["owner"],
        ),
    ];
    for (path, fields, allowed) in &actions {
        for (who, session) in &world.people {
            if allowed.contains(who) {
                continue;
            }
            let page = session.post(path, fields).await;
            let expected = if *who == "anonymous" {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(page.status, expected, "{who} POST {path}");
        }
    }
    // None of the refused attempts changed the item.
    let owner = &world.people[0].1;
    let page = owner.get(&format!("/items/{id}")).await;
    assert!(
        page.body.contains("Đã chuyển cơ quan"),
        "the item is still routed"
    );
    let coordinator = &world
        .people
        .iter()
        .find(|(w, _)| *w == "coordinator")
        .unwrap()
        .1;
    let staff_view = coordinator.get(&format!("/items/{id}")).await;
    assert!(!staff_view.body.contains("dự thảo"));
    assert!(!staff_view.body.contains("ghi chú</div>"));
}

#[tokio::test]
async fn a_delegate_cannot_open_another_delegates_item_by_changing_the_id() {
    let app = spawn_app().await;
    let alice = app.login(&app.add_user(Role::Delegate, None)).await;
    let bob = app.login(&app.add_user(Role::Delegate, None)).await;
    let field = app.field_id("kinh-te-xa-hoi");
    let alices = alice
        .submit_proposal("Của Alice", "Nội dung riêng của Alice.", field)
        .await;
    let missing = bob.get("/items/999999").await;
    let forbidden = bob.get(&format!("/items/{alices}")).await;
    assert_eq!(forbidden.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Forbidden and missing look the same from outside.
    let strip = |body: &str| crate::helpers::without_csrf(body);
    assert_eq!(strip(&forbidden.body), strip(&missing.body));
    assert!(!bob.get("/my").await.body.contains("Của Alice"));
}

#[tokio::test]
async fn an_approver_cannot_approve_a_draft_they_wrote_themselves() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let id = delegate
        .submit_proposal(
            "Tự duyệt",
            "Nội dung thử tự duyệt.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    approver
        .post_ok(
            &format!("/items/{id}/draft"),
            &[
                ("text", "Tôi tự soạn."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    let refused = approver.post(&format!("/items/{id}/approve"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("không thể tự phê duyệt"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn a_delegates_form_cannot_carry_a_status_or_a_body() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let form = delegate.get("/proposals/new").await;
    let token = crate::helpers::hidden_value(&form.body, "submission_token").unwrap();
    let field = app.field_id("to-chuc-can-bo").to_string();
    let body = app.body_id("TGTU").to_string();
    let page = delegate
        .post(
            "/proposals",
            &[
                ("title", "Thử chèn trạng thái"),
                ("content", "Nội dung thử chèn trạng thái."),
                ("field_id", &field),
                ("submission_token", &token),
                ("status", "published"),
                ("lead_body_id", &body),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let id = crate::helpers::item_id_from(page.location.as_deref().unwrap());
    let item = delegate.get(&format!("/items/{id}")).await;
    assert!(item.body.contains("Ban Tổ chức Tỉnh ủy"));
    assert!(item.body.contains("Đã chuyển cơ quan"));
}
