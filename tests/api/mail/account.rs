//! The account mails (issue 8): a password change, a reset by link and a
//! second-factor change are told to the user, in their language, with where it
//! came from and the way back in; and the links of invitations and resets never
//! sit in the outbox in clear.

use super::wait_for_answer;
use crate::helpers::{csrf_in, spawn_app, spawn_app_with, MailServer, TestApp, TestUser};
use crate::second_factor::enrol;
use crate::smtp::{ReceivedMail, SmtpServer};
use dialogue_desk::db::schema::outbox as outbox_table;
use dialogue_desk::domain::Role;
use diesel::prelude::*;
use reqwest::StatusCode;

const PASSWORD_CHANGED_VI: &str = "Mật khẩu của đồng chí đã được thay đổi";
const PASSWORD_CHANGED_EN: &str = "Your password was changed";
const SECOND_FACTOR_VI: &str = "Xác thực hai bước của đồng chí đã thay đổi";
const SECOND_FACTOR_EN: &str = "Your two-step verification changed";
const NEW_PASSWORD: &str = "một mật khẩu mới khá dài 2026";

fn speaks_english(app: &TestApp, user: &TestUser) {
    app.execute(&format!(
        "UPDATE users SET locale = 'en' WHERE id = {}",
        user.id.0
    ));
}

/// The one mail with `subject` to `user`, checked to offer the way back in (the
/// forgot-password page) and to say where the change came from.
async fn the_account_mail(app: &TestApp, user: &TestUser, subject: &str) -> ReceivedMail {
    let smtp = app.smtp.as_ref().unwrap();
    let mails = wait_for_answer(smtp, &user.email, subject, 10).await;
    assert_eq!(mails.len(), 1, "one \"{subject}\" mail to {}", user.email);
    let mail = mails.into_iter().next().unwrap();
    assert_eq!(mail.subject(), subject);
    assert_eq!(mail.to, vec![user.email.clone()]);
    let text = mail.part("text/plain");
    let forgot = format!("{}/password/forgot", app.address);
    assert!(text.contains(&forgot), "the way back in: {text}");
    assert!(text.contains("127.0.0.1"), "where it came from: {text}");
    mail
}

/// The payloads of the outbox rows of `event`, as stored.
fn stored_payloads(app: &TestApp, event: &str) -> Vec<String> {
    outbox_table::table
        .filter(outbox_table::event.eq(event))
        .select(outbox_table::payload)
        .load(&mut *app.conn())
        .unwrap()
}

/// The 64-hex-digit token after `{address}{kind}` in a mail's text.
fn token_in(app: &TestApp, mail: &ReceivedMail, kind: &str) -> String {
    let text = mail.part("text/plain");
    let start = format!("{}{kind}", app.address);
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("no link in {text}"));
    let token: String = text[at + start.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{text}");
    token
}

#[tokio::test]
async fn a_password_change_is_mailed_to_the_user_in_their_language() {
    let app = spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    let drafter = app.add_user(Role::Drafter, Some("TCTU"));
    speaks_english(&app, &drafter);
    for user in [&delegate, &drafter] {
        let session = app.login(user).await;
        let changed = session
            .post(
                "/account/password",
                &[
                    ("current_password", &user.password),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    }
    let mail = the_account_mail(&app, &delegate, PASSWORD_CHANGED_VI).await;
    assert!(mail.part("text/plain").contains("đồng chí"));
    let mail = the_account_mail(&app, &drafter, PASSWORD_CHANGED_EN).await;
    assert!(mail.part("text/plain").contains("If this was not you"));
}

#[tokio::test]
async fn a_refused_password_change_sends_no_mail() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let session = app.login(&user).await;
    let refused = session
        .post(
            "/account/password",
            &[
                ("current_password", "not the password"),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stored_payloads(&app, "password_changed").is_empty());
}

#[tokio::test]
async fn the_reset_link_works_from_the_mail_leaves_nothing_in_the_outbox_and_the_reset_is_mailed() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    speaks_english(&app, &user);
    let mut browser = app.session();
    let form = browser.get("/password/forgot").await;
    browser.csrf = csrf_in(&form.body).unwrap();
    let asked = browser
        .post("/password/forgot", &[("email", &user.email)])
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let smtp = app.smtp.as_ref().unwrap();
    let mails = wait_for_answer(smtp, &user.email, "Reset your proposal desk password", 10).await;
    assert_eq!(mails.len(), 1);
    let token = token_in(&app, &mails[0], "/password/reset/");
    // Once sent, the row keeps nothing of the link, sealed or not.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = stored_payloads(&app, "password_reset");
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].contains("sealed_link"), "{}", sent[0]);
    assert!(!sent[0].contains(&token) && !sent[0].contains("/password/reset/"));

    // The mailed link works, and the reset is told to the user.
    let path = format!("/password/reset/{token}");
    let mut browser = app.session();
    let page = browser.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    browser.csrf = csrf_in(&page.body).unwrap();
    let set = browser
        .post(
            &path,
            &[
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let mail = the_account_mail(&app, &user, PASSWORD_CHANGED_EN).await;
    assert!(mail.part("text/plain").contains("reset through a link"));
}

#[tokio::test]
async fn an_invitation_is_queued_without_its_token_and_its_mailed_link_works() {
    let app = spawn_app_with(MailServer::Down).await;
    let admin = app.login(&app.add_user(Role::Admin, None)).await;
    let email = "le.thi.hoa@nghean.gov.vn";
    let created = admin
        .post(
            "/admin/users",
            &[
                ("email", email),
                ("full_name", "Lê Thị Hoa"),
                ("unit", "Sở Y tế"),
                ("role", "delegate"),
                ("body_id", ""),
                ("password", ""),
                ("invite", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let queued = stored_payloads(&app, "invitation");
    assert_eq!(queued.len(), 1);
    assert!(!queued[0].contains("/invite/"), "{}", queued[0]);

    let smtp = SmtpServer::start_on(app.smtp_port).await;
    let mails = wait_for_answer(&smtp, email, "Mời sử dụng", 15).await;
    assert_eq!(mails.len(), 1);
    let token = token_in(&app, &mails[0], "/invite/");
    assert!(!queued[0].contains(&token));
    let opened = app.session().get(&format!("/invite/{token}")).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert!(opened.body.contains("new_password"), "{}", opened.body);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = stored_payloads(&app, "invitation");
    assert!(!sent[0].contains("sealed_link") && !sent[0].contains(&token));
}

#[tokio::test]
async fn enrolling_and_an_administrators_reset_of_the_second_factor_are_mailed() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    enrol(&app.login(&user).await).await;
    let mail = the_account_mail(&app, &user, SECOND_FACTOR_VI).await;
    assert!(mail.part("text/plain").contains("bật xác thực hai bước"));

    speaks_english(&app, &user);
    let admin = app.login(&app.add_user(Role::Admin, None)).await;
    let reset = admin
        .post(
            &format!("/admin/users/{}/second-factor/reset", user.id.0),
            &[],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let mail = the_account_mail(&app, &user, SECOND_FACTOR_EN).await;
    assert!(mail.part("text/plain").contains("An administrator"));
}
