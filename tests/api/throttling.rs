//! Throttling that stops guessing, not users (issue 8): failures counted per
//! account, per client address and per known device in a sliding window; the
//! client address through trusted proxies only; the same limits on the
//! password-change and forgotten-password forms.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{
    csrf_in, spawn_app, spawn_app_behind_proxy, without_csrf, TestApp, TestSession, PASSWORD,
};
use dialogue_desk::db::schema::outbox;
use dialogue_desk::domain::Role;

/// Whether a guess was refused: wrong (401) or not even checked (429).
fn refused(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status == StatusCode::TOO_MANY_REQUESTS
}

/// Failed logins for `count` made-up accounts, each from `from(i)` (an
/// `X-Forwarded-For` value, or none).
async fn guess_made_up_accounts(
    app: &TestApp,
    count: usize,
    from: impl Fn(usize) -> Option<String>,
) {
    let mut attacker = app.session();
    for i in 0..count {
        let email = format!("khong-co-{i}@test.vn");
        let response = attacker
            .login_from(from(i).as_deref(), &email, "đoán bừa một mật khẩu")
            .await;
        assert!(refused(response.status()), "guess {i}");
    }
}

/// Failed logins on `email`, each from `from(i)`.
async fn guess_password_of(
    app: &TestApp,
    email: &str,
    count: usize,
    from: impl Fn(usize) -> Option<String>,
) {
    let mut attacker = app.session();
    for i in 0..count {
        let response = attacker
            .login_from(from(i).as_deref(), email, "đoán bừa một mật khẩu")
            .await;
        assert!(refused(response.status()), "guess {i}");
    }
}

/// A browser that has logged into `email` before (a known device), logged out.
async fn known_device(app: &TestApp, email: &str) -> TestSession {
    let mut browser = app.session();
    let login = browser.login(email, PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    browser.refresh_csrf().await;
    assert_eq!(
        browser.post("/logout", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    browser
}

fn reset_mails(app: &TestApp) -> i64 {
    outbox::table
        .filter(outbox::event.eq("password_reset"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// Asks for a reset link for `email`, as sent from `forwarded_for`.
async fn ask_for_reset(app: &TestApp, email: &str, forwarded_for: &str) -> crate::helpers::Page {
    let browser = app.session();
    let form = browser.get("/password/forgot").await;
    let csrf = csrf_in(&form.body).expect("a CSRF token");
    let response = browser
        .client
        .post(format!("{}/password/forgot", app.address))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[("csrf_token", csrf.as_str()), ("email", email)])
        .send()
        .await
        .unwrap();
    let status = response.status();
    // Each fresh browser has its own token; the rest of the answer must not differ.
    let body = response.text().await.unwrap().replace(&csrf, "");
    crate::helpers::Page {
        status,
        location: None,
        body,
    }
}

#[tokio::test]
async fn guesses_from_a_shared_address_do_not_keep_a_known_user_out() {
    // No TRUSTED_PROXIES: behind a proxy every request comes from one address.
    let app = spawn_app().await;
    let victim = app.add_user(Role::Delegate, None);
    let colleague = app.add_user(Role::Delegate, None);
    let mut colleague_browser = known_device(&app, &colleague.email).await;

    guess_made_up_accounts(&app, 20, |_| None).await;
    guess_password_of(&app, &victim.email, 6, |_| None).await;

    // The colleague's browser logged in before: the address's failures and the
    // other account's do not refuse the right password.
    let login = colleague_browser.login(&colleague.email, PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    // A browser new to the account shares the guessing address: it is told how
    // long to wait and offered the reset link.
    let mut new_browser = app.session();
    let refused = new_browser.login(&colleague.email, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("thử lại sau") && body.contains("Quên mật khẩu"),
        "{body}"
    );
    assert!(body.contains("href=\"/password/forgot\""));
}

#[tokio::test]
async fn behind_a_trusted_proxy_guesses_from_many_addresses_keep_no_other_user_out() {
    let app = spawn_app_behind_proxy("127.0.0.1").await;
    let victim = app.add_user(Role::Delegate, None);
    let user = app.add_user(Role::Delegate, None);
    // One attacker's address guesses many made-up accounts; many others try a few
    // each, on made-up accounts and on the victim's.
    guess_made_up_accounts(&app, 21, |_| Some("203.0.113.7".into())).await;
    guess_made_up_accounts(&app, 10, |i| Some(format!("198.51.100.{i}"))).await;
    guess_password_of(&app, &victim.email, 8, |i| Some(format!("198.51.100.{i}"))).await;

    // Another user, on a browser new to the desk, from the proxy itself or from
    // an address that also guessed: both let in.
    for from in [None, Some("198.51.100.3")] {
        let mut browser = app.session();
        let login = browser.login_from(from, &user.email, PASSWORD).await;
        assert_eq!(login.status(), StatusCode::SEE_OTHER, "from {from:?}");
    }
    // The address that guessed many accounts waits for those it never proved itself on.
    let mut from_attacker = app.session();
    let slowed = from_attacker
        .login_from(Some("203.0.113.7"), &user.email, PASSWORD)
        .await;
    assert_eq!(slowed.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forwarded_for_from_a_peer_that_is_not_a_trusted_proxy_is_ignored() {
    for (trusted, expected) in [
        (None, StatusCode::TOO_MANY_REQUESTS),
        (Some("127.0.0.0/8"), StatusCode::SEE_OTHER),
    ] {
        let app = match trusted {
            None => spawn_app().await,
            Some(proxies) => spawn_app_behind_proxy(proxies).await,
        };
        let user = app.add_user(Role::Delegate, None);
        // Each guess claims another address; only a trusted proxy is believed.
        guess_made_up_accounts(&app, 20, |i| Some(format!("192.0.2.{i}"))).await;
        let mut browser = app.session();
        let login = browser
            .login_from(Some("192.0.2.200"), &user.email, PASSWORD)
            .await;
        assert_eq!(login.status(), expected, "TRUSTED_PROXIES={trusted:?}");
    }
}

#[tokio::test]
async fn an_account_attacked_from_many_addresses_stays_usable_by_its_owner() {
    let app = spawn_app_behind_proxy("127.0.0.1").await;
    let owner = app.add_user(Role::Delegate, None);
    let mut owners_laptop = known_device(&app, &owner.email).await;
    guess_password_of(&app, &owner.email, 10, |i| Some(format!("198.51.100.{i}"))).await;

    // A new device is slowed, told how long and offered the reset link.
    let mut new_phone = app.session();
    let refused = new_phone
        .login_from(Some("10.9.9.9"), &owner.email, PASSWORD)
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = refused.text().await.unwrap();
    assert!(body.contains("thử lại sau 30 giây"), "{body}");
    assert!(body.contains("href=\"/password/forgot\""));

    // The owner's known device logs in, whatever the attack.
    let login = owners_laptop
        .login_from(Some("10.1.1.1"), &owner.email, PASSWORD)
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);

    // The attack goes on; the owner on the new device uses the reset link.
    guess_password_of(&app, &owner.email, 6, |i| Some(format!("198.51.100.{i}"))).await;
    let asked = ask_for_reset(&app, &owner.email, "10.9.9.9").await;
    assert_eq!(asked.status, StatusCode::OK);
    let mails = app.smtp.as_ref().unwrap().wait_for(1, 10).await;
    let text = mails.last().unwrap().part("text/plain");
    let start = format!("{}/password/reset/", app.address);
    let at = text.find(&start).expect("a reset link");
    let token: String = text[at + start.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let path = format!("/password/reset/{token}");
    let mut phone = app.session();
    phone.csrf = csrf_in(&phone.get(&path).await.body).expect("the reset form");
    let new_password = "mật khẩu mới sau khi bị dò 2026";
    let reset = phone
        .post(
            &path,
            &[
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    // The reset cleared the account's failures: any browser of the owner logs in.
    let mut another = app.session();
    let login = another
        .login_from(Some("10.9.9.9"), &owner.email, new_password)
        .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn failures_stop_counting_once_the_window_has_passed() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    guess_password_of(&app, &user.email, 5, |_| None).await;
    let mut browser = app.session();
    assert_eq!(
        browser.login(&user.email, PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    // An hour and a minute later the five failures no longer count: one more
    // typo is just a typo, and the right password opens.
    app.age_failures(chrono::Duration::minutes(61));
    assert_eq!(
        browser.login(&user.email, "một lỗi gõ nữa").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.login(&user.email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_failure_counts_for_the_whole_window_not_until_the_next_wait_ends() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    guess_password_of(&app, &user.email, 5, |_| None).await;
    // Forty minutes on, the first wait is long over, but the five failures still
    // count: one more makes the next wait a minute.
    app.age_failures(chrono::Duration::minutes(40));
    guess_password_of(&app, &user.email, 1, |_| None).await;
    let mut browser = app.session();
    let refused = browser.login(&user.email, PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("thử lại sau 60 giây"));
}

#[tokio::test]
async fn guesses_of_the_current_password_on_the_change_form_are_slowed() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let session = app.login(&user).await;
    let new_password = "một mật khẩu mới rất dài";
    let change = |current: &'static str| {
        let session = &session;
        async move {
            session
                .post(
                    "/account/password",
                    &[
                        ("current_password", current),
                        ("new_password", new_password),
                        ("confirm_password", new_password),
                    ],
                )
                .await
        }
    };
    for _ in 0..5 {
        let page = change("đoán mật khẩu hiện tại").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("Mật khẩu hiện tại không đúng."));
    }
    // Even the right current password waits now, and the form says how long.
    let page = change(PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("thử lại sau 30 giây"), "{}", page.body);
    let mut elsewhere = app.session();
    assert_eq!(
        elsewhere.login(&user.email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER,
        "the password is unchanged"
    );
    app.age_failures(chrono::Duration::minutes(61));
    assert_eq!(change(PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forgot_password_is_limited_per_address_without_telling_who_has_an_account() {
    let app = spawn_app_behind_proxy("127.0.0.1").await;
    let user = app.add_user(Role::Delegate, None);
    let mut pages = Vec::new();
    for i in 0..20 {
        let email = format!("khong-co-{i}@test.vn");
        pages.push(ask_for_reset(&app, &email, "203.0.113.7").await);
    }
    // The address has asked too often: the known address gets the same answer and
    // no mail.
    pages.push(ask_for_reset(&app, &user.email, "203.0.113.7").await);
    assert!(pages.iter().all(|p| p.status == StatusCode::OK));
    // Pages differ only in their per-response CSRF mask.
    let first = without_csrf(&pages[0].body);
    assert!(pages.iter().all(|p| without_csrf(&p.body) == first));
    assert_eq!(reset_mails(&app), 0);
    // From another address the owner gets the link.
    let page = ask_for_reset(&app, &user.email, "198.51.100.1").await;
    assert_eq!(without_csrf(&page.body), first);
    assert_eq!(reset_mails(&app), 1);
}
