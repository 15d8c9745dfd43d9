//! The staff notices and the delegate's withdrawal mail that each workflow step
//! promises: who gets which, with the item's reference and link, and that a notice
//! a person turned off is not sent.

use super::{answer_mails_to, wait_for_answer};
use crate::helpers::{TestApp, TestSession, TestUser};
use crate::smtp::ReceivedMail;
use dialogue_desk::db::schema::outbox as outbox_table;
use dialogue_desk::domain::{MailEvent, Role};
use diesel::prelude::*;
use reqwest::StatusCode;

const REVIEW_WAITING: &str = "Dự thảo chờ phê duyệt";
const DRAFT_RETURNED: &str = "Dự thảo được trả lại";
const SENT_BACK: &str = "Câu trả lời được trả về đơn vị";
const WITHDRAWN: &str = "Đã rút kiến nghị";
const COORDINATION: &str = "Đơn vị được đề nghị phối hợp";
const NEW_IN_QUEUE: &str = "Kiến nghị mới cho đơn vị";

/// The one mail with `subject` that reached `user`, checked to name the item's
/// reference in the subject and to link to the item.
async fn the_mail(app: &TestApp, user: &TestUser, subject: &str, item: i32) -> ReceivedMail {
    let smtp = app.smtp.as_ref().unwrap();
    let mails = wait_for_answer(smtp, &user.email, subject, 10).await;
    assert_eq!(mails.len(), 1, "one \"{subject}\" mail to {}", user.email);
    let mail = mails.into_iter().next().unwrap();
    let reference = item_reference(app, item);
    assert_eq!(mail.subject(), format!("{subject} {reference}"));
    let link = format!("{}/items/{item}", app.address);
    assert!(mail.part("text/plain").contains(&link), "link to {link}");
    mail
}

/// How many mails of `event` were queued for `user`: zero for a muted notice,
/// whether or not the worker has run yet.
fn queued(app: &TestApp, user: &TestUser, event: MailEvent) -> i64 {
    outbox_table::table
        .filter(outbox_table::recipient_email.eq(&user.email))
        .filter(outbox_table::event.eq(event))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn item_reference(app: &TestApp, item: i32) -> String {
    use dialogue_desk::db::schema::items;
    items::table
        .find(item)
        .select(items::reference)
        .first(&mut app.conn())
        .unwrap()
}

/// Turns off every staff notice but those in `keep`.
async fn keep_only(session: &TestSession, keep: &[&str]) {
    let fields: Vec<(&str, &str)> = keep.iter().map(|event| ("notice", *event)).collect();
    let saved = session.post("/account/notices", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
}

/// A delegate's item in the Organizing Committee's queue.
async fn filed_item(app: &TestApp) -> (TestUser, TestSession, i32) {
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    let id = delegate
        .submit_proposal(
            "Kiến nghị về thông báo",
            "Nội dung kiến nghị về thông báo.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    (user, delegate, id)
}

async fn posted(session: &TestSession, path: &str, fields: &[(&str, &str)]) {
    let page = session.post(path, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
}

#[tokio::test]
async fn staff_hear_of_their_work_unless_they_turn_the_notices_off() {
    let app = crate::helpers::spawn_app().await;
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let quiet_drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let quiet_approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let drafter = app.login(&drafter_user).await;
    let approver = app.login(&approver_user).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    // The quiet drafter turns off new items, returned drafts and sent-back answers;
    // the quiet approver turns off drafts waiting for approval.
    keep_only(&app.login(&quiet_drafter_user).await, &["review_waiting"]).await;
    let quiet_approver = app.login(&quiet_approver_user).await;
    keep_only(
        &quiet_approver,
        &["new_in_queue", "draft_returned", "sent_back"],
    )
    .await;

    let (_, _, id) = filed_item(&app).await;
    let draft = format!("/items/{id}/draft");
    posted(
        &drafter,
        &draft,
        &[
            ("text", "Dự thảo một."),
            ("intent", "review"),
            ("outcome", "explained"),
        ],
    )
    .await;
    posted(
        &approver,
        &format!("/items/{id}/return"),
        &[("text", "Bổ sung.")],
    )
    .await;
    posted(
        &drafter,
        &draft,
        &[
            ("text", "Dự thảo hai."),
            ("intent", "review"),
            ("outcome", "explained"),
        ],
    )
    .await;
    posted(&approver, &format!("/items/{id}/approve"), &[]).await;
    posted(
        &coordinator,
        &format!("/items/{id}/send-back"),
        &[("text", "Sửa.")],
    )
    .await;

    // Everyone who kept a notice gets it.
    the_mail(&app, &drafter_user, NEW_IN_QUEUE, id).await;
    the_mail(&app, &drafter_user, DRAFT_RETURNED, id).await;
    the_mail(&app, &drafter_user, SENT_BACK, id).await;
    the_mail(&app, &approver_user, SENT_BACK, id).await;
    let smtp = app.smtp.as_ref().unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while answer_mails_to(&smtp.received(), &approver_user.email, REVIEW_WAITING).len() < 2
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let reviews = answer_mails_to(&smtp.received(), &approver_user.email, REVIEW_WAITING);
    assert_eq!(
        reviews.len(),
        2,
        "one per time the draft was sent for review"
    );
    // A muted notice is never even queued.
    for (user, event) in [
        (&quiet_drafter_user, MailEvent::NewInQueue),
        (&quiet_drafter_user, MailEvent::DraftReturned),
        (&quiet_drafter_user, MailEvent::SentBack),
        (&quiet_approver_user, MailEvent::ReviewWaiting),
    ] {
        assert_eq!(queued(&app, user, event), 0, "{event:?} muted");
    }
    // The quiet approver still hears of what they kept.
    the_mail(&app, &quiet_approver_user, SENT_BACK, id).await;
    // The page shows the choice.
    let page = quiet_approver.get("/account/password").await;
    assert!(
        page.body.contains("value=\"review_waiting\">"),
        "shown unticked"
    );
    assert!(
        page.body.contains("value=\"sent_back\" checked"),
        "shown ticked"
    );
}

#[tokio::test]
async fn the_bodys_approvers_hear_that_a_draft_waits_for_them() {
    let app = crate::helpers::spawn_app().await;
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let other_body_approver = app.add_user(Role::Approver, Some("BCSD-UBND"));
    let drafter = app.login(&drafter_user).await;
    let (_, _, id) = filed_item(&app).await;
    posted(
        &drafter,
        &format!("/items/{id}/draft"),
        &[("text", "Dự thảo."), ("outcome", "explained")],
    )
    .await;
    posted(&drafter, &format!("/items/{id}/send-for-review"), &[]).await;

    the_mail(&app, &approver_user, REVIEW_WAITING, id).await;
    assert_eq!(queued(&app, &drafter_user, MailEvent::ReviewWaiting), 0);
    assert_eq!(
        queued(&app, &other_body_approver, MailEvent::ReviewWaiting),
        0
    );
}

#[tokio::test]
async fn the_drafters_hear_that_the_approver_returned_the_draft() {
    let app = crate::helpers::spawn_app().await;
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let drafter = app.login(&drafter_user).await;
    let approver = app.login(&approver_user).await;
    let (_, _, id) = filed_item(&app).await;
    let draft = [
        ("text", "Dự thảo."),
        ("intent", "review"),
        ("outcome", "explained"),
    ];
    posted(&drafter, &format!("/items/{id}/draft"), &draft).await;
    posted(
        &approver,
        &format!("/items/{id}/return"),
        &[("text", "Bổ sung số liệu.")],
    )
    .await;

    the_mail(&app, &drafter_user, DRAFT_RETURNED, id).await;
    assert_eq!(queued(&app, &approver_user, MailEvent::DraftReturned), 0);
}

#[tokio::test]
async fn the_body_hears_that_the_coordinator_sent_its_answer_back() {
    let app = crate::helpers::spawn_app().await;
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let coordinator_user = app.add_user(Role::Coordinator, Some("DUK"));
    let drafter = app.login(&drafter_user).await;
    let approver = app.login(&approver_user).await;
    let coordinator = app.login(&coordinator_user).await;
    let (_, _, id) = filed_item(&app).await;
    let draft = [
        ("text", "Dự thảo."),
        ("intent", "review"),
        ("outcome", "explained"),
    ];
    posted(&drafter, &format!("/items/{id}/draft"), &draft).await;
    posted(&approver, &format!("/items/{id}/approve"), &[]).await;
    posted(
        &coordinator,
        &format!("/items/{id}/send-back"),
        &[("text", "Sửa lời văn.")],
    )
    .await;

    the_mail(&app, &drafter_user, SENT_BACK, id).await;
    the_mail(&app, &approver_user, SENT_BACK, id).await;
    assert_eq!(queued(&app, &coordinator_user, MailEvent::SentBack), 0);
}

#[tokio::test]
async fn a_delegate_who_withdraws_an_item_gets_the_confirmation() {
    let app = crate::helpers::spawn_app().await;
    let (user, delegate, id) = filed_item(&app).await;
    let reason = [("text", "Đã được giải quyết tại cơ sở.")];
    posted(&delegate, &format!("/items/{id}/withdraw"), &reason).await;

    the_mail(&app, &user, WITHDRAWN, id).await;
}

#[tokio::test]
async fn a_body_asked_to_coordinate_is_told_unless_it_turned_the_notice_off() {
    let app = crate::helpers::spawn_app().await;
    let drafter_user = app.add_user(Role::Drafter, Some("BCSD-UBND"));
    let quiet_user = app.add_user(Role::Approver, Some("BCSD-UBND"));
    keep_only(&app.login(&quiet_user).await, &["review_waiting"]).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let (_, _, id) = filed_item(&app).await;
    let body = app.body_id("BCSD-UBND").to_string();
    let path = format!("/items/{id}/coordinating-bodies");
    posted(&coordinator, &path, &[("body_id", &body)]).await;

    let mail = the_mail(&app, &drafter_user, COORDINATION, id).await;
    assert!(mail.part("text/plain").contains("phối hợp"));
    assert_eq!(
        queued(&app, &quiet_user, MailEvent::CoordinationRequested),
        0
    );
}
