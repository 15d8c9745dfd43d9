//! The second factor for staff: enrolment, the code after the password, replay
//! and recovery codes, the administrator's reset and policy, and enforcement in
//! production. Codes are computed here from the secret the enrolment page shows,
//! as an authenticator app would.

use crate::helpers::{csrf_in, spawn_app, spawn_production_app, TestApp, TestSession, TestUser};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;
use totp_rs::{Algorithm, Secret, TOTP};

/// An authenticator app: the secret read from the enrolment page.
pub(crate) struct Phone {
    totp: TOTP,
}

impl Phone {
    /// Reads the secret from the enrolment page, as a person types it.
    fn from_page(html: &str) -> Phone {
        let marker = "id=\"totp-secret\" class=\"secret\">";
        let start = html.find(marker).expect("the secret is shown in text") + marker.len();
        let end = start + html[start..].find('<').unwrap();
        let typed: String = html[start..end].split_whitespace().collect();
        let bytes = Secret::Encoded(typed).to_bytes().expect("base32");
        Phone {
            totp: TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()),
        }
    }

    /// The code the app shows `offset` seconds from now.
    fn code_in(&self, offset: i64) -> String {
        let at = chrono::Utc::now().timestamp() + offset;
        self.totp.generate(at as u64)
    }

    /// The code shown now.
    fn code(&self) -> String {
        self.code_in(0)
    }

    /// Six digits that are none of the codes accepted now.
    fn wrong_code(&self) -> String {
        let valid = [self.code_in(-30), self.code(), self.code_in(30)];
        (0..)
            .map(|n| format!("{:06}", (123_456 + n * 7919) % 1_000_000))
            .find(|c| !valid.contains(c))
            .unwrap()
    }
}

/// The recovery codes listed on the page shown after enrolment.
fn recovery_codes_in(html: &str) -> Vec<String> {
    let list_start = html
        .find("id=\"recovery-codes\"")
        .expect("the recovery codes");
    let list = &html[list_start..html[list_start..].find("</ul>").unwrap() + list_start];
    list.split("<code>")
        .skip(1)
        .map(|part| part[..part.find("</code>").unwrap()].to_owned())
        .collect()
}

/// Enrols the logged-in user: scans the page, confirms with the current code.
/// Returns the phone and the recovery codes.
pub(crate) async fn enrol(session: &TestSession) -> (Phone, Vec<String>) {
    let page = session.get("/account/second-factor").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg"),
        "the QR code is drawn on the page"
    );
    let phone = Phone::from_page(&page.body);
    let done = session
        .post("/account/second-factor", &[("code", &phone.code())])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes = recovery_codes_in(&done.body);
    assert_eq!(codes.len(), 10);
    (phone, codes)
}

/// Logs in with the password only; the session then waits for the code.
async fn password_step(app: &TestApp, user: &TestUser) -> TestSession {
    let mut session = app.session();
    let response = session.login(&user.email, &user.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        "/login/second-factor"
    );
    let page = session.get("/login/second-factor").await;
    session.csrf = csrf_in(&page.body).expect("the code form carries a token");
    session
}

/// Logs in a staff member who must still enrol (production): every page but
/// enrolment sends them there, so the form token is read from that page.
async fn login_held(app: &TestApp, user: &TestUser) -> TestSession {
    let mut session = app.session();
    let response = session.login(&user.email, &user.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = session.get("/account/second-factor").await;
    session.csrf = csrf_in(&page.body).expect("the enrolment page carries a token");
    session
}

#[tokio::test]
async fn after_enrolment_the_login_needs_the_code_and_refuses_a_wrong_one() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    let (phone, _) = enrol(&app.login(&user).await).await;

    let waiting = password_step(&app, &user).await;
    let queue = waiting.get("/review").await;
    assert_eq!(queue.status, StatusCode::SEE_OTHER, "not logged in yet");
    assert_eq!(queue.location.as_deref(), Some("/login"));

    let wrong = waiting
        .post("/login/second-factor", &[("code", &phone.wrong_code())])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Mã không đúng"));
    assert_eq!(waiting.get("/review").await.status, StatusCode::SEE_OTHER);

    // The enrolment used the current step; the next step's code is accepted.
    let right = waiting
        .post("/login/second-factor", &[("code", &phone.code_in(30))])
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some("/"));
    assert_eq!(waiting.get("/review").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_code_already_used_is_refused() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Coordinator, Some("DUK"));
    let (phone, _) = enrol(&app.login(&user).await).await;

    let first = password_step(&app, &user).await;
    let code = phone.code_in(30);
    let accepted = first.post("/login/second-factor", &[("code", &code)]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);

    // Someone who watched the code typed tries it at once.
    let second = password_step(&app, &user).await;
    let replay = second
        .post("/login/second-factor", &[("code", &code)])
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(replay.body.contains("Mã này vừa được dùng"));
    assert_eq!(second.get("/triage").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_codes_are_throttled_per_account() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    let (phone, _) = enrol(&app.login(&user).await).await;
    let waiting = password_step(&app, &user).await;
    for _ in 0..5 {
        let wrong = waiting
            .post("/login/second-factor", &[("code", &phone.wrong_code())])
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right code waits now, and the user is told how long.
    let blocked = waiting
        .post("/login/second-factor", &[("code", &phone.code_in(30))])
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.body.contains("giây"));
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Admin, None);
    let (_, codes) = enrol(&app.login(&user).await).await;

    let first = password_step(&app, &user).await;
    let typed = codes[3].to_uppercase();
    let used = first
        .post("/login/second-factor", &[("code", &typed)])
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER);
    assert_eq!(first.get("/admin/users").await.status, StatusCode::OK);
    let state = first.get("/account/second-factor").await;
    assert!(
        state.body.contains("Đồng chí còn 9 mã khôi phục"),
        "{}",
        state.body
    );

    let again = password_step(&app, &user).await;
    let refused = again
        .post("/login/second-factor", &[("code", &codes[3])])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let other = again
        .post("/login/second-factor", &[("code", &codes[4])])
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_secret_is_stored_encrypted() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    let session = app.login(&user).await;
    let page = session.get("/account/second-factor").await;
    let marker = "id=\"totp-secret\" class=\"secret\">";
    let start = page.body.find(marker).unwrap() + marker.len();
    let shown: String = page.body[start..start + page.body[start..].find('<').unwrap()]
        .split_whitespace()
        .collect();
    use dialogue_desk::db::schema::second_factors;
    use diesel::prelude::*;
    let stored: String = second_factors::table
        .filter(second_factors::user_id.eq(user.id.0))
        .select(second_factors::secret_encrypted)
        .first(&mut *app.conn())
        .unwrap();
    let secret_hex = hex_of_base32(&shown);
    assert!(!stored.to_lowercase().contains(&secret_hex));
    assert!(!stored.to_uppercase().contains(&shown));
}

/// The secret's bytes as hex, to look for them in the database.
fn hex_of_base32(base32: &str) -> String {
    Secret::Encoded(base32.to_owned())
        .to_bytes()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn an_administrator_can_reset_a_second_factor_and_it_is_recorded() {
    let app = spawn_app().await;
    let admin = app.login(&app.add_user(Role::Admin, None)).await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    enrol(&app.login(&user).await).await;
    let listed = admin.get("/admin/second-factor").await;
    assert!(listed.body.contains(&user.email));

    let reset = admin
        .post(
            &format!("/admin/users/{}/second-factor/reset", user.id.0),
            &[],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);

    // The password alone logs in again; the user is asked to enrol anew.
    let mut session = app.session();
    let response = session.login(&user.email, &user.password).await;
    assert_eq!(response.headers()["location"].to_str().unwrap(), "/");
    let page = session.get("/account/second-factor").await;
    assert!(page.body.contains("id=\"totp-secret\""));

    use dialogue_desk::db::schema::audit_log;
    use diesel::prelude::*;
    let recorded: Vec<(String, Option<i32>)> = audit_log::table
        .select((audit_log::action, audit_log::target_user_id))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        recorded,
        vec![("second_factor_reset".to_owned(), Some(user.id.0))]
    );
}

#[tokio::test]
async fn only_an_administrator_may_reset_a_second_factor() {
    let app = spawn_app().await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    enrol(&app.login(&user).await).await;
    let refused = coordinator
        .post(
            &format!("/admin/users/{}/second-factor/reset", user.id.0),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    password_step(&app, &user).await;
}

#[tokio::test]
async fn in_production_an_approver_cannot_reach_the_review_queue_without_enrolling() {
    let app = spawn_production_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    let session = login_held(&app, &user).await;
    let held = session.get("/review").await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    assert_eq!(held.location.as_deref(), Some("/account/second-factor"));
    let page = session.get("/account/second-factor").await;
    assert!(page.body.contains("bắt buộc dùng xác thực hai bước"));

    enrol(&session).await;
    assert_eq!(session.get("/review").await.status, StatusCode::OK);
}

#[tokio::test]
async fn in_development_the_login_page_says_enrolment_may_be_skipped() {
    let app = spawn_app().await;
    let page = app.session().get("/login").await;
    assert!(page.body.contains("second-factor-dev-note"));
    let user = app.add_user(Role::Approver, Some("TCTU"));
    let session = app.login(&user).await;
    assert_eq!(session.get("/review").await.status, StatusCode::OK);

    let production = spawn_production_app().await;
    let page = production.session().get("/login").await;
    assert!(!page.body.contains("second-factor-dev-note"));
}

#[tokio::test]
async fn drafters_need_it_in_production_once_the_administrator_says_so() {
    let app = spawn_production_app().await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    assert_eq!(drafter.get("/queue").await.status, StatusCode::OK);

    let admin = login_held(&app, &app.add_user(Role::Admin, None)).await;
    enrol(&admin).await;
    let saved = admin
        .post("/admin/second-factor", &[("drafters_required", "on")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let held = drafter.get("/queue").await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    assert_eq!(held.location.as_deref(), Some("/account/second-factor"));
    enrol(&drafter).await;
    assert_eq!(drafter.get("/queue").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_password_reset_link_does_not_skip_the_code() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Approver, Some("TCTU"));
    enrol(&app.login(&user).await).await;

    let mut stranger = app.session();
    let form = stranger.get("/password/forgot").await;
    stranger.csrf = csrf_in(&form.body).unwrap();
    stranger
        .post("/password/forgot", &[("email", &user.email)])
        .await;
    // The enrolment's own account mail came first.
    let mails = app.smtp.as_ref().unwrap().wait_for(2, 10).await;
    let text = mails
        .iter()
        .map(|m| m.part("text/plain"))
        .find(|text| text.contains("/password/reset/"))
        .expect("the reset mail");
    let at = text.find("/password/reset/").expect("a reset link");
    let token: String = text[at + "/password/reset/".len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let link = format!("/password/reset/{token}");

    let mut holder = app.session();
    let page = holder.get(&link).await;
    holder.csrf = csrf_in(&page.body).unwrap();
    let password = "mật khẩu mới của lãnh đạo ban";
    let set = holder
        .post(
            &link,
            &[("new_password", password), ("confirm_password", password)],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(set.location.as_deref(), Some("/login/second-factor"));
    assert_eq!(holder.get("/review").await.status, StatusCode::SEE_OTHER);
}
