//! CSRF, login throttling, sessions and headers.

use crate::helpers::{csrf_in, spawn_app, PASSWORD};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn a_form_without_the_sessions_token_is_refused() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let other = app.login(&app.add_user(Role::Delegate, None)).await;
    let field = app.field_id("to-chuc-can-bo").to_string();
    let fields = [
        ("title", "Không có mã"),
        ("content", "Nội dung không có mã."),
        ("field_id", field.as_str()),
    ];
    let missing = delegate.post_raw("/proposals", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("Biểu mẫu đã hết hạn"));
    let mut with_foreign = fields.to_vec();
    with_foreign.push(("csrf_token", &other.csrf));
    let foreign = delegate.post_raw("/proposals", &with_foreign).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(!delegate.get("/my").await.body.contains("Không có mã"));
}

#[tokio::test]
async fn the_login_form_itself_needs_its_token() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let session = app.session();
    let form = session.get("/login").await;
    assert!(
        crate::helpers::csrf_in(&form.body).is_some(),
        "the form carries a token, which the login below leaves out"
    );
    let page = session
        .post_raw("/login", &[("email", &user.email), ("password", PASSWORD)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_cross_site_request_is_refused_even_with_a_valid_token() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    // The language switch, with a valid token, sent with one header naming its source.
    let switch_language = |header: &'static str, value: &str| {
        delegate
            .client
            .post(format!("{}/language", app.address))
            .header(header, value)
            .form(&[
                ("csrf_token", delegate.csrf.as_str()),
                ("lang", "en"),
                ("next", "/my"),
            ])
            .send()
    };
    let response = switch_language("Origin", "https://evil.example")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let fetch_site = switch_language("Sec-Fetch-Site", "cross-site")
        .await
        .unwrap();
    assert_eq!(fetch_site.status(), StatusCode::FORBIDDEN);
    let same_origin = switch_language("Origin", &app.address).await.unwrap();
    assert_eq!(same_origin.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn nothing_changes_state_on_get() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let id = delegate
        .submit_proposal(
            "Thử GET",
            "Nội dung thử GET.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    assert_eq!(
        delegate
            .get(&format!("/items/{id}/withdraw?text=x"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(delegate.get("/logout").await.status, StatusCode::NOT_FOUND);
    assert!(delegate
        .get(&format!("/items/{id}"))
        .await
        .body
        .contains("Đã chuyển cơ quan"));
    assert_eq!(delegate.get("/my").await.status, StatusCode::OK);
}

#[tokio::test]
async fn repeated_failed_logins_are_slowed_down_with_a_clear_message() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let mut session = app.session();
    for attempt in 1..=5 {
        let response = session.login(&user.email, "sai mật khẩu rồi").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // On a browser that never logged into the account, even the right password
    // waits now; the page says how long and offers the reset link.
    let response = session.login(&user.email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = response.text().await.unwrap();
    assert!(body.contains("thử lại sau 30 giây"), "{body}");
    assert!(body.contains("“Quên mật khẩu?”"), "{body}");
    assert!(body.contains("href=\"/password/forgot\""));
    assert!(body.contains(&user.email), "the typed email is kept");
}

#[tokio::test]
async fn an_unknown_email_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let mut session = app.session();
    let wrong = session.login(&user.email, "không đúng mật khẩu").await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    let unknown = session.login("nobody@test.vn", "không đúng mật khẩu").await;
    assert_eq!(wrong_status, unknown.status());
    let unknown_body = unknown.text().await.unwrap();
    let message = "Thư điện tử hoặc mật khẩu không đúng.";
    assert!(wrong_body.contains(message) && unknown_body.contains(message));
}

#[tokio::test]
async fn login_renews_the_session_and_logout_ends_it_on_the_server() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let mut session = app.session();
    session.get("/login").await;
    let anonymous_cookie = session.cookies();
    // The login form's token is a signed cookie; no session before login.
    assert!(anonymous_cookie.contains("csrf="), "{anonymous_cookie}");
    assert!(!anonymous_cookie.contains("session="), "{anonymous_cookie}");
    let login = session.login(&user.email, PASSWORD).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let logged_in_cookie = session.cookies();
    assert!(
        logged_in_cookie.contains("session="),
        "a session id at login"
    );
    session.refresh_csrf().await;
    let logout = session.post("/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    // Replaying the old cookie no longer opens anything.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/my", app.address))
        .header("Cookie", logged_in_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    assert_eq!(delegate.get("/my").await.status, StatusCode::OK);
    let three_hours_ago = (chrono::Utc::now().naive_utc() - chrono::Duration::hours(3))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.execute(&format!(
        "UPDATE sessions SET last_seen_at = '{three_hours_ago}' WHERE user_id = {}",
        user.id.0
    ));
    let page = delegate.get("/my").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?expired=1"));
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let here = app.login(&user).await;
    let elsewhere = app.login(&user).await;
    let weak = here
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "ngắn"),
                ("confirm_password", "ngắn"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("ít nhất 12 ký tự"));
    let common = here
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "password1234"),
                ("confirm_password", "password1234"),
            ],
        )
        .await;
    assert!(common.body.contains("quá phổ biến"));
    let new_password = "một mật khẩu mới rất dài";
    let changed = here
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    // The redirect through `/` keeps the one-time message for the home page.
    assert_eq!(here.get("/").await.status, StatusCode::SEE_OTHER);
    let home = here.get("/my").await;
    assert_eq!(home.status, StatusCode::OK, "this browser stays logged in");
    assert!(home.body.contains("Đã đổi mật khẩu"), "{}", home.body);
    assert_eq!(elsewhere.get("/my").await.status, StatusCode::SEE_OTHER);
    let mut again = app.session();
    assert_eq!(
        again.login(&user.email, new_password).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_a_safe_cookie() {
    let app = spawn_app().await;
    let response = reqwest::get(format!("{}/login", app.address))
        .await
        .unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let csp = header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("referrer-policy"), "same-origin");
    let cookie = header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body = response.text().await.unwrap();
    assert!(!body.contains("<script"), "no inline script");
    let _ = csrf_in(&body).expect("the login form has a token");
}
