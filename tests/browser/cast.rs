//! The people of a test, and items brought to a given step through the API
//! helpers, so that a journey in the browser starts where it matters.

use dialogue_desk::domain::Role;

use crate::helpers::{TestApp, TestUser};

/// One person in each role, staff of the Organizing Committee (TCTU) and the
/// Agencies Bloc Party Committee (DUK).
pub struct Cast {
    pub delegate: TestUser,
    pub drafter: TestUser,
    pub approver: TestUser,
    pub coordinator: TestUser,
    pub admin: TestUser,
}

/// Adds the cast to the app's database.
pub fn cast(app: &TestApp) -> Cast {
    Cast {
        delegate: app.add_user(Role::Delegate, None),
        drafter: app.add_user(Role::Drafter, Some("TCTU")),
        approver: app.add_user(Role::Approver, Some("TCTU")),
        coordinator: app.add_user(Role::Coordinator, Some("DUK")),
        admin: app.add_user(Role::Admin, None),
    }
}

/// Gives `user` a readable name (the pages and screenshots show it).
pub fn rename(app: &TestApp, user: &TestUser, full_name: &str) {
    app.execute(&format!(
        "UPDATE users SET full_name = '{full_name}' WHERE id = {}",
        user.id.0
    ));
}

/// Files a proposal of `delegate` in the field with `field_code`; its id.
pub async fn submitted(app: &TestApp, delegate: &TestUser, title: &str, field_code: &str) -> i32 {
    app.login(delegate)
        .await
        .submit_proposal(
            title,
            "Đề nghị làm rõ và có hướng dẫn thống nhất trong toàn Khối.\nCó số liệu kèm theo.",
            app.field_id(field_code),
        )
        .await
}

/// Files a proposal in the Organizing Committee's field and has `answer` drafted
/// and approved; its id.
pub async fn approved(app: &TestApp, people: &Cast, title: &str, answer: &str) -> i32 {
    let id = submitted(app, &people.delegate, title, "to-chuc-can-bo").await;
    let drafted = app
        .login(&people.drafter)
        .await
        .post(
            &format!("/items/{id}/draft"),
            &[
                ("text", answer),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    assert_eq!(drafted.status.as_u16(), 303, "{}", drafted.body);
    let approved = app
        .login(&people.approver)
        .await
        .post(&format!("/items/{id}/approve"), &[])
        .await;
    assert_eq!(approved.status.as_u16(), 303, "{}", approved.body);
    id
}

/// As [`approved`], then published by the coordinator; its id.
pub async fn published(app: &TestApp, people: &Cast, title: &str, answer: &str) -> i32 {
    let id = approved(app, people, title, answer).await;
    let published = app
        .login(&people.coordinator)
        .await
        .post(&format!("/items/{id}/publish"), &[])
        .await;
    assert_eq!(published.status.as_u16(), 303, "{}", published.body);
    id
}
