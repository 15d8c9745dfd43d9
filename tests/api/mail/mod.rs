//! Email through a real SMTP server on 127.0.0.1: what is sent, to whom, in which
//! language, and that nothing is lost or sent twice when the server misbehaves.

use crate::helpers::{spawn_app, spawn_app_with, MailServer, TestApp, TestSession};
use crate::smtp::{Mode, ReceivedMail, SmtpServer};
use dialogue_desk::db::outbox::{self, MailEvent, MailStatus};
use dialogue_desk::db::schema::outbox as outbox_table;
use dialogue_desk::domain::Role;
use diesel::prelude::*;
use reqwest::StatusCode;
use std::collections::HashSet;
use std::time::Duration;

mod account;
mod notices;

const ANSWER_SUBJECT_VI: &str = "Đã có câu trả lời cho kiến nghị";

/// A delegate files an item; the Organizing Committee answers it and the
/// coordinator publishes it. Returns the delegate's session and the item id.
async fn answered_item(app: &TestApp, delegate: &TestSession, answer: &str) -> i32 {
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let id = delegate
        .submit_proposal(
            "Đề xuất có trả lời",
            "Nội dung đề xuất có trả lời.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    drafter
        .post(
            &format!("/items/{id}/draft"),
            &[
                ("text", answer),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    approver.post(&format!("/items/{id}/approve"), &[]).await;
    let published = coordinator.post(&format!("/items/{id}/publish"), &[]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "publishing never waits for mail"
    );
    id
}

fn answer_mails_to(mails: &[ReceivedMail], address: &str, subject: &str) -> Vec<ReceivedMail> {
    mails
        .iter()
        .filter(|m| m.to.iter().any(|to| to == address) && m.subject().starts_with(subject))
        .cloned()
        .collect()
}

async fn wait_for_answer(
    smtp: &SmtpServer,
    address: &str,
    subject: &str,
    seconds: u64,
) -> Vec<ReceivedMail> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let found = answer_mails_to(&smtp.received(), address, subject);
        if !found.is_empty() || tokio::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn publishing_an_answer_mails_the_delegate_once_with_the_text_and_a_working_link() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    let id = answered_item(&app, &delegate, "Ban sẽ ban hành hướng dẫn trong quý III.").await;
    let smtp = app.smtp.as_ref().unwrap();
    let mails = wait_for_answer(smtp, &user.email, ANSWER_SUBJECT_VI, 10).await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.subject().contains("KN-2023-0001"),
        "{}",
        mail.subject()
    );
    let text = mail.part("text/plain");
    assert!(
        text.contains("Ban sẽ ban hành hướng dẫn trong quý III."),
        "{text}"
    );
    let link = format!("{}/items/{id}", app.address);
    assert!(text.contains(&link));
    // Tera escapes "/" in HTML as &#x2F;, which every mail reader decodes.
    let escaped = link.replace('/', "&#x2F;");
    assert!(mail
        .part("text/html")
        .contains(&format!("href=\"{escaped}\"")));
    assert!(mail.header("Message-ID").unwrap().ends_with("@desk.test>"));
    // The link opens the answer for the delegate.
    let opened = delegate.get(&format!("/items/{id}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    // Once sent, the timeline says so: the worker records it just after the mail
    // server accepts the mail, so give it a moment.
    let emailed = "Đã gửi thư điện tử câu trả lời cho đại biểu";
    let mut page = opened;
    for _ in 0..50 {
        if page.body.contains(emailed) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        page = delegate.get(&format!("/items/{id}")).await;
    }
    assert!(page.body.contains(emailed), "{}", page.body);
    // A while later there is still exactly one answer mail.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        answer_mails_to(&smtp.received(), &user.email, ANSWER_SUBJECT_VI).len(),
        1
    );
}

#[tokio::test]
async fn the_answer_mail_speaks_the_delegates_language() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    delegate
        .post("/language", &[("lang", "en"), ("next", "/my")])
        .await;
    answered_item(
        &app,
        &delegate,
        "The guidance comes out in the third quarter.",
    )
    .await;
    let mails = wait_for_answer(
        app.smtp.as_ref().unwrap(),
        &user.email,
        "Your proposal has been answered",
        10,
    )
    .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].part("text/plain").contains("Dear"));
}

#[tokio::test]
async fn every_delegate_of_merged_items_gets_the_shared_answer() {
    let app = spawn_app().await;
    let first_user = app.add_user(Role::Delegate, None);
    let second_user = app.add_user(Role::Delegate, None);
    let first = app.login(&first_user).await;
    let second = app.login(&second_user).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let field = app.field_id("to-chuc-can-bo");
    let other = second
        .submit_proposal(
            "Trùng nội dung",
            "Nội dung trùng với kiến nghị khác.",
            field,
        )
        .await;
    // KN-2023-0001 is the second delegate's; the first files KN-2023-0002 below.
    let id = {
        let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
        let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
        let id = first
            .submit_proposal("Kiến nghị chính", "Nội dung kiến nghị chính.", field)
            .await;
        coordinator
            .post(
                &format!("/items/{other}/merge"),
                &[("target", "KN-2023-0002"), ("text", "")],
            )
            .await;
        drafter
            .post(
                &format!("/items/{id}/draft"),
                &[
                    ("text", "Câu trả lời chung."),
                    ("intent", "review"),
                    ("outcome", "explained"),
                ],
            )
            .await;
        approver.post(&format!("/items/{id}/approve"), &[]).await;
        coordinator.post(&format!("/items/{id}/publish"), &[]).await;
        id
    };
    let smtp = app.smtp.as_ref().unwrap();
    for user in [&first_user, &second_user] {
        let mails = wait_for_answer(smtp, &user.email, ANSWER_SUBJECT_VI, 10).await;
        assert_eq!(mails.len(), 1, "{}", user.email);
        assert!(mails[0].part("text/plain").contains("Câu trả lời chung."));
    }
    let merged_mail = answer_mails_to(&smtp.received(), &second_user.email, "Kiến nghị được gộp");
    assert_eq!(merged_mail.len(), 1);
    let _ = id;
}

#[tokio::test]
async fn with_the_mail_server_down_the_answer_waits_and_goes_out_once_it_is_back() {
    let app = spawn_app_with(MailServer::Down).await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    answered_item(&app, &delegate, "Trả lời khi máy chủ thư ngừng.").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (retrying, _) = outbox::page(
        &mut app.conn(),
        None,
        Some(MailEvent::AnswerPublished),
        0,
        10,
    )
    .unwrap();
    assert_eq!(retrying.len(), 1);
    assert_eq!(retrying[0].0.status, MailStatus::Retrying);
    assert!(retrying[0].0.last_error.is_some());
    let smtp = SmtpServer::start_on(app.smtp_port).await;
    let mails = wait_for_answer(&smtp, &user.email, ANSWER_SUBJECT_VI, 15).await;
    assert_eq!(mails.len(), 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        answer_mails_to(&smtp.received(), &user.email, ANSWER_SUBJECT_VI).len(),
        1
    );
}

#[tokio::test]
async fn a_refused_recipient_is_marked_failed_with_its_error_and_can_be_resent() {
    let app = spawn_app().await;
    let smtp = app.smtp.as_ref().unwrap();
    smtp.set_mode(Mode::RefuseRecipients);
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    answered_item(&app, &delegate, "Trả lời bị từ chối.").await;
    let admin = app.login(&app.add_user(Role::Admin, None)).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let page = loop {
        let page = admin
            .get("/outbox?status=failed&event=answer_published")
            .await;
        if page.body.contains("550") || tokio::time::Instant::now() > deadline {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(page.body.contains("550"), "{}", page.body);
    assert!(page.body.contains("Gửi thất bại"));
    let local = user.email.split('@').next().unwrap();
    assert!(!page.body.contains(local), "the address is masked");
    // A 5xx is permanent: one try, no retries.
    let attempts: Vec<i32> = outbox_table::table
        .filter(outbox_table::event.eq("answer_published"))
        .select(outbox_table::attempts)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(attempts, vec![1]);
    smtp.set_mode(Mode::Accept);
    let resent = admin.post("/outbox/resend-failed", &[]).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        wait_for_answer(smtp, &user.email, ANSWER_SUBJECT_VI, 10)
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_mail_claimed_by_a_worker_that_died_goes_out_after_the_lease() {
    let app = spawn_app_with(MailServer::Down).await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    answered_item(&app, &delegate, "Trả lời sau khi tiến trình dừng.").await;
    // As if a worker had claimed every message and then the process stopped.
    let now = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.execute(&format!(
        "UPDATE outbox SET status = 'sending', claimed_at = '{now}', next_attempt_at = '{now}'"
    ));
    let smtp = SmtpServer::start_on(app.smtp_port).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        answer_mails_to(&smtp.received(), &user.email, ANSWER_SUBJECT_VI).is_empty(),
        "not before the lease"
    );
    let mails = wait_for_answer(&smtp, &user.email, ANSWER_SUBJECT_VI, 10).await;
    assert_eq!(mails.len(), 1);
}

#[tokio::test]
async fn several_workers_over_500_queued_messages_deliver_each_exactly_once() {
    let app = spawn_app().await;
    {
        let mut conn = app.conn();
        let now = chrono::Utc::now().naive_utc();
        conn.transaction(|conn| {
            for n in 0..500 {
                outbox::enqueue_address(
                    conn,
                    MailEvent::Test,
                    None,
                    None,
                    &format!("nguoi-nhan-{n}@test.vn"),
                    "vi",
                    &serde_json::json!({}),
                    now,
                )?;
            }
            diesel::QueryResult::Ok(())
        })
        .unwrap();
    }
    // The app's own worker plus two more on the same database, as three instances.
    let extra: Vec<_> = (0..2)
        .map(|_| tokio::spawn(app.mail_worker.clone().run()))
        .collect();
    let smtp = app.smtp.as_ref().unwrap();
    let mails = smtp.wait_for(500, 60).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails_after = smtp.received();
    for worker in extra {
        worker.abort();
    }
    assert_eq!(mails.len(), 500);
    assert_eq!(mails_after.len(), 500, "nothing sent twice");
    let ids: HashSet<String> = mails_after
        .iter()
        .filter_map(|m| m.header("Message-ID"))
        .collect();
    assert_eq!(ids.len(), 500);
    let recipients: HashSet<&String> = mails_after.iter().flat_map(|m| &m.to).collect();
    assert_eq!(recipients.len(), 500);
}

#[tokio::test]
async fn only_administrators_and_coordinators_see_the_outbox() {
    let app = spawn_app().await;
    for (role, body, expected) in [
        (Role::Admin, None, StatusCode::OK),
        (Role::Coordinator, Some("DUK"), StatusCode::OK),
        (Role::Delegate, None, StatusCode::NOT_FOUND),
        (Role::Drafter, Some("TCTU"), StatusCode::NOT_FOUND),
        (Role::Approver, Some("TCTU"), StatusCode::NOT_FOUND),
    ] {
        let session = app.login(&app.add_user(role, body)).await;
        assert_eq!(session.get("/outbox").await.status, expected, "{role:?}");
        let resend = session.post("/outbox/resend-failed", &[]).await;
        let expected_post = if expected == StatusCode::OK {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(resend.status, expected_post, "{role:?}");
    }
}

#[tokio::test]
async fn a_staff_reply_to_the_delegates_rating_reaches_the_delegate() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    let id = answered_item(&app, &delegate, "Câu trả lời để đánh giá.").await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let too_early = coordinator
        .post(
            &format!("/items/{id}/satisfaction-reply"),
            &[("text", "Cảm ơn.")],
        )
        .await;
    assert_eq!(
        too_early.status,
        StatusCode::CONFLICT,
        "nothing to reply to yet"
    );
    delegate
        .post(
            &format!("/items/{id}/satisfaction"),
            &[("level", "not_satisfied"), ("text", "Chưa rõ thời hạn.")],
        )
        .await;
    let replied = coordinator
        .post(
            &format!("/items/{id}/satisfaction-reply"),
            &[("text", "Thời hạn là 30/9/2023.")],
        )
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER);
    let mails = wait_for_answer(
        app.smtp.as_ref().unwrap(),
        &user.email,
        "Trả lời ý kiến",
        10,
    )
    .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0]
        .part("text/plain")
        .contains("Thời hạn là 30/9/2023."));
    let seen = delegate.get(&format!("/items/{id}")).await;
    assert!(seen.body.contains("Trả lời ý kiến đánh giá của đại biểu"));
}
