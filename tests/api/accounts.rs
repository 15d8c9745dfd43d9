//! Accounts by email: invitations, forgotten passwords and their single-use links,
//! and the bulk invitation of delegates from CSV, with mail through the test's
//! real SMTP server.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{csrf_in, spawn_app, without_csrf, TestApp, TestSession, TestUser};
use crate::smtp::ReceivedMail;
use dialogue_desk::db::schema::{account_tokens, outbox, users};
use dialogue_desk::db::users::User;
use dialogue_desk::domain::Role;

/// A new password that passes the policy.
const NEW_PASSWORD: &str = "mật khẩu mới của đại biểu 2023";

/// A logged-in administrator.
async fn admin(app: &TestApp) -> TestSession {
    app.login(&app.add_user(Role::Admin, None)).await
}

/// The path of the link to `/{kind}/…` in a mail's text part.
fn link_in(app: &TestApp, mail: &ReceivedMail, kind: &str) -> String {
    let text = mail.part("text/plain");
    let start = format!("{}{kind}", app.address);
    let at = text
        .find(&start)
        .unwrap_or_else(|| panic!("no {kind} link in {text}"));
    let token: String = text[at + start.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{text}");
    format!("{kind}{token}")
}

/// The mails that arrived, waiting up to ten seconds for `count`.
async fn mails(app: &TestApp, count: usize) -> Vec<ReceivedMail> {
    app.smtp.as_ref().unwrap().wait_for(count, 10).await
}

/// Opens a link in a fresh browser, keeping the CSRF token of its form.
async fn open_link(app: &TestApp, path: &str) -> (TestSession, StatusCode, String) {
    let mut browser = app.session();
    let page = browser.get(path).await;
    browser.csrf = csrf_in(&page.body).unwrap_or_default();
    (browser, page.status, page.body)
}

/// Sets `password` with the link's form.
async fn set_password(browser: &TestSession, path: &str, password: &str) -> crate::helpers::Page {
    browser
        .post(
            path,
            &[("new_password", password), ("confirm_password", password)],
        )
        .await
}

fn count_users(app: &TestApp) -> i64 {
    users::table.count().get_result(&mut *app.conn()).unwrap()
}

fn count_mails(app: &TestApp, event: &str) -> i64 {
    outbox::table
        .filter(outbox::event.eq(event))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// An administrator invites `email` as a delegate through the new-user form.
async fn invite(app: &TestApp, admin: &TestSession, email: &str, name: &str) {
    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", email),
                ("full_name", name),
                ("unit", "Sở Tài chính"),
                ("role", "delegate"),
                ("body_id", ""),
                ("password", ""),
                ("invite", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(User::find_by_email(&mut app.conn(), email)
        .unwrap()
        .is_some());
}

/// Asks for a reset link for `email` from a fresh browser.
async fn ask_for_reset(app: &TestApp, email: &str) -> crate::helpers::Page {
    let (browser, status, _) = open_link(app, "/password/forgot").await;
    assert_eq!(status, StatusCode::OK);
    browser.post("/password/forgot", &[("email", email)]).await
}

#[tokio::test]
async fn the_new_user_form_offers_an_invitation_ticked_by_default() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let form = admin.get("/admin/users/new").await;

    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains("name=\"invite\" type=\"checkbox\" value=\"on\" checked"),
        "{}",
        form.body
    );
}

#[tokio::test]
async fn an_invited_user_sets_a_password_with_the_mailed_link_and_is_logged_in() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let email = "nguyen.thi.lan@nghean.gov.vn";

    invite(&app, &admin, email, "Nguyễn Thị Lan").await;

    let list = admin.get("/admin/users").await;
    assert!(list.body.contains("Đã tạo tài khoản và gửi thư mời."));
    let received = mails(&app, 1).await;
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.to, vec![email.to_owned()]);
    assert_eq!(mail.subject(), "Mời sử dụng Bàn kiến nghị");
    let text = mail.part("text/plain");
    assert!(text.contains("Nguyễn Thị Lan"), "{text}");
    assert!(text.contains("72 giờ"), "{text}");
    assert!(text.contains("bỏ qua thư"), "{text}");
    let link = link_in(&app, mail, "/invite/");
    let token = link.trim_start_matches("/invite/");
    let stored: Vec<String> = account_tokens::table
        .select(account_tokens::token_hash)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token, "only a hash of the token is stored");
    // Until the link is used, nobody can log in, whatever they try.
    let mut guesser = app.session();
    let refused = guesser.login(email, "").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    let (mut browser, status, body) = open_link(&app, &link).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains(email), "{body}");
    let page = set_password(&browser, &link, NEW_PASSWORD).await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/"));
    assert_eq!(browser.get("/my").await.status, StatusCode::OK);
    let mut later = app.session();
    let login = later.login(email, NEW_PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);

    // The link works once.
    browser.refresh_csrf().await;
    let again = set_password(&browser, &link, "một mật khẩu khác nữa").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let (_, status, _) = open_link(&app, &link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let mut old = app.session();
    assert_eq!(
        old.login(email, NEW_PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_weak_or_mismatched_password_comes_back_with_messages_beside_the_fields() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    invite(&app, &admin, "tran.van.binh@nghean.gov.vn", "Trần Văn Bình").await;
    let link = link_in(&app, &mails(&app, 1).await[0], "/invite/");
    let (browser, _, _) = open_link(&app, &link).await;

    let page = browser
        .post(
            &link,
            &[("new_password", "ngắn"), ("confirm_password", "khác")],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Mật khẩu phải có ít nhất 12 ký tự."));
    assert!(page.body.contains("id=\"confirm_password-error\""));
    // The link still works after a refused form.
    let page = set_password(&browser, &link, NEW_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn an_invitation_with_a_typed_password_is_refused_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", "le.thi.hoa@nghean.gov.vn"),
                ("full_name", "Lê Thị Hoa"),
                ("role", "delegate"),
                ("password", "một mật khẩu đủ dài"),
                ("invite", "on"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"password-error\""), "{}", page.body);
    assert!(
        User::find_by_email(&mut app.conn(), "le.thi.hoa@nghean.gov.vn")
            .unwrap()
            .is_none()
    );
    assert_eq!(count_mails(&app, "invitation"), 0);
}

#[tokio::test]
async fn an_expired_invitation_is_refused_like_an_unknown_link() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    invite(
        &app,
        &admin,
        "pham.quoc.viet@nghean.gov.vn",
        "Phạm Quốc Việt",
    )
    .await;
    let link = link_in(&app, &mails(&app, 1).await[0], "/invite/");
    let (browser, status, _) = open_link(&app, &link).await;
    assert_eq!(status, StatusCode::OK);

    app.execute("UPDATE account_tokens SET expires_at = '2000-01-01 00:00:00'");

    let (_, expired_status, expired) = open_link(&app, &link).await;
    let (_, unknown_status, unknown) =
        open_link(&app, &format!("/invite/{}", "ab".repeat(32))).await;
    assert_eq!(expired_status, StatusCode::NOT_FOUND);
    assert_eq!(unknown_status, expired_status);
    assert_eq!(
        without_csrf(&expired),
        without_csrf(&unknown),
        "no hint which kind of bad link it was"
    );
    assert!(
        expired.contains("Đường dẫn không còn hiệu lực"),
        "{expired}"
    );
    let page = set_password(&browser, &link, NEW_PASSWORD).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let mut login = app.session();
    let attempt = login
        .login("pham.quoc.viet@nghean.gov.vn", NEW_PASSWORD)
        .await;
    assert_eq!(attempt.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forgot_password_answers_alike_for_known_and_unknown_addresses_and_mails_only_the_known() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let login = app.session().get("/login").await;
    assert!(login.body.contains("href=\"/password/forgot\""));
    let (browser, status, _) = open_link(&app, "/password/forgot").await;
    assert_eq!(status, StatusCode::OK);

    let known = browser
        .post("/password/forgot", &[("email", &user.email.to_uppercase())])
        .await;
    let unknown = browser
        .post("/password/forgot", &[("email", "khong.co@nghean.gov.vn")])
        .await;

    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(without_csrf(&unknown.body), without_csrf(&known.body));
    assert!(known.body.contains("60 phút"), "{}", known.body);
    let received = mails(&app, 2).await;
    assert_eq!(received.len(), 1, "exactly one mail");
    assert_eq!(received[0].to, vec![user.email.clone()]);
    assert_eq!(received[0].subject(), "Đặt lại mật khẩu Bàn kiến nghị");
    link_in(&app, &received[0], "/password/reset/");
}

#[tokio::test]
async fn the_reset_link_works_once_and_ends_the_users_other_sessions() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let elsewhere = app.login(&user).await;
    assert_eq!(elsewhere.get("/my").await.status, StatusCode::OK);
    assert_eq!(
        ask_for_reset(&app, &user.email).await.status,
        StatusCode::OK
    );
    let link = link_in(&app, &mails(&app, 1).await[0], "/password/reset/");

    // Two browsers send the form at once: exactly one wins.
    let (first, _, _) = open_link(&app, &link).await;
    let (second, _, _) = open_link(&app, &link).await;
    let (a, b) = tokio::join!(
        set_password(&first, &link, NEW_PASSWORD),
        set_password(&second, &link, NEW_PASSWORD)
    );

    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::NOT_FOUND]);
    let old_session = elsewhere.get("/my").await;
    assert_eq!(old_session.status, StatusCode::SEE_OTHER);
    assert_eq!(old_session.location.as_deref(), Some("/login"));
    let mut with_old = app.session();
    let refused = with_old.login(&user.email, &user.password).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let renewed = TestUser {
        password: NEW_PASSWORD.into(),
        ..user.clone()
    };
    let browser = app.login(&renewed).await;
    assert_eq!(browser.get("/my").await.status, StatusCode::OK);
    let (_, status, _) = open_link(&app, &link).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_reset_link_ends_the_older_one() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    ask_for_reset(&app, &user.email).await;
    ask_for_reset(&app, &user.email).await;

    let received = mails(&app, 2).await;

    assert_eq!(received.len(), 2);
    let mut statuses = Vec::new();
    for mail in &received {
        let link = link_in(&app, mail, "/password/reset/");
        statuses.push(open_link(&app, &link).await.1);
    }
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::NOT_FOUND]);
}

#[tokio::test]
async fn reset_requests_for_one_address_are_quietly_throttled() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let (browser, _, _) = open_link(&app, "/password/forgot").await;

    let mut pages = Vec::new();
    for _ in 0..7 {
        pages.push(
            browser
                .post("/password/forgot", &[("email", &user.email)])
                .await,
        );
    }

    assert!(pages.iter().all(|p| p.status == StatusCode::OK));
    assert!(pages
        .iter()
        .all(|p| without_csrf(&p.body) == without_csrf(&pages[0].body)));
    assert_eq!(count_mails(&app, "password_reset"), 5);
}

/// Pasted CSV with one valid row, a header, and a row for each problem.
fn csv_with_problems(registered: &str) -> String {
    format!(
        "Họ và tên,Thư điện tử,Đơn vị\n\
         \"Nguyễn Văn An, Phó Giám đốc\",an.nguyen@nghean.gov.vn,Sở Kế hoạch và Đầu tư\n\
         Trần Thị Bình,khong-phai-email,Sở Y tế\n\
         ,nguoi.khong.ten@nghean.gov.vn,Sở Nội vụ\n\
         Lê Văn Cường,AN.NGUYEN@nghean.gov.vn,Sở Tư pháp\n\
         Phạm Thị Dung,{registered},Sở Xây dựng\n"
    )
}

#[tokio::test]
async fn the_csv_preview_shows_each_rows_problems_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let existing = app.add_user(Role::Delegate, None);
    let before = count_users(&app);
    assert_eq!(
        admin.get("/admin/users/import").await.status,
        StatusCode::OK
    );
    let csv = csv_with_problems(&existing.email);

    let preview = admin
        .post("/admin/users/import", &[("step", "preview"), ("csv", &csv)])
        .await;

    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &preview.body;
    assert!(body.contains("Nguyễn Văn An, Phó Giám đốc"), "{body}");
    assert!(body.contains("Địa chỉ thư điện tử không hợp lệ."), "{body}");
    assert!(body.contains("Thiếu họ và tên."), "{body}");
    assert!(
        body.contains("Trùng địa chỉ thư điện tử với dòng 2."),
        "{body}"
    );
    assert!(
        body.contains("Địa chỉ thư điện tử này đã có tài khoản."),
        "{body}"
    );
    assert!(body.contains("Số dòng: 5. Số dòng có lỗi: 4."), "{body}");
    assert!(!body.contains("name=\"step\" value=\"confirm\""), "{body}");
    // Confirming a paste with problems only shows the preview again.
    let confirm = admin
        .post("/admin/users/import", &[("step", "confirm"), ("csv", &csv)])
        .await;
    assert_eq!(confirm.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_users(&app), before);
    assert_eq!(count_mails(&app, "invitation"), 0);
}

#[tokio::test]
async fn confirming_the_csv_creates_the_delegates_and_queues_one_invitation_each() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let before = count_users(&app);
    let csv = "\"Nguyễn Văn An, Phó Giám đốc\",an.nguyen@nghean.gov.vn,Sở Kế hoạch và Đầu tư\r\n\
               Hồ Thị Thu,  Thu.Ho@NgheAn.gov.vn ,\"Sở Lao động, Thương binh và Xã hội\"\r\n\
               Đặng Minh Khoa,khoa.dang@nghean.gov.vn\r\n";

    let preview = admin
        .post("/admin/users/import", &[("step", "preview"), ("csv", csv)])
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("name=\"step\" value=\"confirm\""));
    assert_eq!(count_users(&app), before);
    let confirm = admin
        .post("/admin/users/import", &[("step", "confirm"), ("csv", csv)])
        .await;

    assert_eq!(confirm.status, StatusCode::SEE_OTHER, "{}", confirm.body);
    assert_eq!(confirm.location.as_deref(), Some("/admin/users"));
    assert_eq!(count_users(&app), before + 3);
    let thu = User::find_by_email(&mut app.conn(), "thu.ho@nghean.gov.vn")
        .unwrap()
        .unwrap();
    assert_eq!(thu.full_name, "Hồ Thị Thu");
    assert_eq!(thu.unit, "Sở Lao động, Thương binh và Xã hội");
    assert_eq!(thu.role(), Role::Delegate);
    assert!(thu.active);
    assert_eq!(count_mails(&app, "invitation"), 3);
    let received = mails(&app, 3).await;
    let mut to: Vec<String> = received.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        vec![
            "an.nguyen@nghean.gov.vn",
            "khoa.dang@nghean.gov.vn",
            "thu.ho@nghean.gov.vn"
        ]
    );
    let for_thu = received
        .iter()
        .find(|m| m.to == ["thu.ho@nghean.gov.vn"])
        .unwrap();
    assert!(for_thu.part("text/plain").contains("Hồ Thị Thu"));
    let link = link_in(&app, for_thu, "/invite/");
    let (browser, status, _) = open_link(&app, &link).await;
    assert_eq!(status, StatusCode::OK);
    let page = set_password(&browser, &link, NEW_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // Importing the same list again finds every address registered.
    let again = admin
        .post("/admin/users/import", &[("step", "confirm"), ("csv", csv)])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_users(&app), before + 3);
}

#[tokio::test]
async fn only_an_administrator_may_import_delegates() {
    let app = spawn_app().await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;

    let form = coordinator.get("/admin/users/import").await;
    let post = coordinator
        .post(
            "/admin/users/import",
            &[("step", "confirm"), ("csv", "A,a@nghean.gov.vn,B")],
        )
        .await;

    assert_eq!(form.status, StatusCode::NOT_FOUND);
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert!(User::find_by_email(&mut app.conn(), "a@nghean.gov.vn")
        .unwrap()
        .is_none());
}
