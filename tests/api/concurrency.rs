//! Many people at once: references stay unique and gap-free (across conferences
//! too), a double click files once; and the database itself refuses a state the
//! desk does not know.

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

#[tokio::test]
async fn two_conferences_of_one_year_never_share_a_reference() {
    use dialogue_desk::db::conferences::{Conference, ConferenceForm};
    use dialogue_desk::db::{ConflictKind, StoreError};
    use dialogue_desk::domain::ReferencePrefix;
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let field = app.field_id("kinh-te-xa-hoi");
    let first = delegate
        .submit_proposal(
            "Kiến nghị hội nghị đầu",
            "Nội dung của hội nghị đầu.",
            field,
        )
        .await;
    // A second conference later in 2023 takes the submissions from now on.
    let second = ConferenceForm {
        name: "Hội nghị đối thoại lần hai".into(),
        theme: String::new(),
        held_on: chrono::NaiveDate::from_ymd_opt(2023, 11, 20).unwrap(),
        notice_number: String::new(),
        response_days: 30,
        open_for_submissions: true,
        reference_prefix: "KN-2023-B".into(),
    }
    .insert(&mut app.conn(), chrono::Utc::now().naive_utc())
    .unwrap();
    let later = delegate
        .submit_proposal(
            "Kiến nghị hội nghị sau",
            "Nội dung của hội nghị sau.",
            field,
        )
        .await;
    let reference = |id: i32| -> String {
        items::table
            .find(id)
            .select(items::reference)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(reference(first), "KN-2023-0001");
    assert_eq!(reference(later), "KN-2023-B-0001");
    // Nor can an administrator give the second conference the first one's prefix.
    let taken = ReferencePrefix::parse("kn-2023").unwrap();
    let refused = Conference::set_reference_prefix(&mut app.conn(), second, &taken);
    assert!(
        matches!(
            refused,
            Err(StoreError::Conflict(ConflictKind::PrefixTaken))
        ),
        "{refused:?}"
    );
    let own = ReferencePrefix::parse("DT-2023").unwrap();
    Conference::set_reference_prefix(&mut app.conn(), second, &own).unwrap();
    let renamed = delegate
        .submit_proposal(
            "Kiến nghị sau khi đổi",
            "Nội dung sau khi đổi tiền tố.",
            field,
        )
        .await;
    assert_eq!(reference(renamed), "DT-2023-0002");
}

#[tokio::test]
async fn the_database_refuses_a_state_the_desk_does_not_know() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let id = delegate
        .submit_proposal(
            "Kiến nghị kiểm tra",
            "Nội dung kiến nghị kiểm tra.",
            app.field_id("kinh-te-xa-hoi"),
        )
        .await;
    for sql in [
        format!("UPDATE items SET status = 'shipped' WHERE id = {id}"),
        format!("UPDATE items SET satisfaction = 'meh' WHERE id = {id}"),
        format!("UPDATE item_events SET to_status = 'lost' WHERE item_id = {id}"),
        "UPDATE users SET role = 'superuser'".to_owned(),
        "UPDATE outbox SET status = 'lost'".to_owned(),
        "UPDATE outbox SET event = 'spam'".to_owned(),
    ] {
        let outcome = diesel::sql_query(&sql).execute(&mut app.conn());
        assert!(outcome.is_err(), "{sql} was accepted");
    }
}

#[tokio::test]
async fn an_unknown_role_in_a_row_is_an_error_and_never_a_delegate() {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        // PostgreSQL cannot be told to skip a CHECK; the test above covers it.
        return;
    }
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    // A row as an older or careless writer might have left it.
    app.execute(&format!(
        "PRAGMA ignore_check_constraints = ON; \
         UPDATE users SET role = 'superuser' WHERE id = {}; \
         PRAGMA ignore_check_constraints = OFF;",
        user.id.0
    ));
    let mut session = app.session();
    let response = session.login(&user.email, &user.password).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}
