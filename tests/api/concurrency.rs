//! Many people at once: references stay unique and gap-free, a double click files
//! once.

use crate::helpers::{hidden_value, item_id_from, spawn_app};
use dialogue_desk::db::schema::items;
use dialogue_desk::domain::Role;
use diesel::prelude::*;
use reqwest::StatusCode;
use std::sync::Arc;

#[tokio::test]
async fn two_hundred_submissions_at_once_are_all_stored_with_gap_free_references() {
    let app = spawn_app().await;
    let field = app.field_id("kinh-te-xa-hoi").to_string();
    let mut delegates = Vec::new();
    for _ in 0..10 {
        delegates.push(Arc::new(
            app.login(&app.add_user(Role::Delegate, None)).await,
        ));
    }
    let mut forms = Vec::new();
    for n in 0..200 {
        let delegate = delegates[n % delegates.len()].clone();
        let page = delegate.get("/proposals/new").await;
        forms.push((
            delegate,
            hidden_value(&page.body, "submission_token").unwrap(),
        ));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (delegate, token)) in forms.into_iter().enumerate() {
        let field = field.clone();
        tasks.spawn(async move {
            let title = format!("Kiến nghị đồng thời số {n}");
            delegate
                .post(
                    "/proposals",
                    &[
                        ("title", &title),
                        ("content", "Nội dung gửi cùng lúc."),
                        ("field_id", &field),
                        ("submission_token", &token),
                    ],
                )
                .await
                .status
        });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.unwrap(), StatusCode::SEE_OTHER);
    }
    let mut numbers: Vec<i32> = items::table
        .select(items::reference_number)
        .load(&mut *app.conn())
        .unwrap();
    numbers.sort();
    assert_eq!(numbers, (1..=200).collect::<Vec<_>>());
    let references: Vec<String> = items::table
        .select(items::reference)
        .load(&mut *app.conn())
        .unwrap();
    assert!(references.contains(&"KN-2023-0200".to_owned()));
    // The coordinator's list pages through all of them, filters kept in the links.
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let second = coordinator.get("/items?page=2&q=dong+thoi").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Trang 2 / 8"), "{}", second.body);
    assert!(second.body.contains("q=dong%20thoi"));
}

#[tokio::test]
async fn a_double_clicked_submit_files_one_item() {
    let app = spawn_app().await;
    let delegate = Arc::new(app.login(&app.add_user(Role::Delegate, None)).await);
    let field = app.field_id("kinh-te-xa-hoi").to_string();
    let page = delegate.get("/proposals/new").await;
    let token = hidden_value(&page.body, "submission_token").unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..2 {
        let (delegate, token, field) = (delegate.clone(), token.clone(), field.clone());
        tasks.spawn(async move {
            delegate
                .post(
                    "/proposals",
                    &[
                        ("title", "Bấm gửi hai lần"),
                        ("content", "Nội dung bấm gửi hai lần."),
                        ("field_id", &field),
                        ("submission_token", &token),
                    ],
                )
                .await
        });
    }
    let mut landed = Vec::new();
    while let Some(page) = tasks.join_next().await {
        let page = page.unwrap();
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        landed.push(item_id_from(page.location.as_deref().unwrap()));
    }
    assert_eq!(landed[0], landed[1], "both clicks lead to the same item");
    let count: i64 = items::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(count, 1);
}
