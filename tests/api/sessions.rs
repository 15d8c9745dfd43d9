//! Session lifetimes, "your sessions", stateless tokens for anonymous forms, and
//! per-page token masking (issue 8).

use crate::helpers::{csrf_in, spawn_app, TestApp, TestUser, PASSWORD};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

const CHROME_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) \
    AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const FIREFOX_ON_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

fn session_count(app: &TestApp) -> i64 {
    use dialogue_desk::db::schema::sessions;
    use diesel::prelude::*;
    sessions::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// Moves every session of `user` back in time by `minutes` (last activity) and
/// `started_minutes` (start).
fn age_sessions(app: &TestApp, user: &TestUser, minutes: i64, started_minutes: i64) {
    use dialogue_desk::db::schema::sessions;
    use diesel::prelude::*;
    let now = chrono::Utc::now().naive_utc();
    diesel::update(sessions::table.filter(sessions::user_id.eq(user.id.0)))
        .set((
            sessions::last_seen_at.eq(now - chrono::Duration::minutes(minutes)),
            sessions::created_at.eq(now - chrono::Duration::minutes(started_minutes)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
}

fn last_seen(app: &TestApp, user: &TestUser) -> chrono::NaiveDateTime {
    use dialogue_desk::db::schema::sessions;
    use diesel::prelude::*;
    sessions::table
        .filter(sessions::user_id.eq(user.id.0))
        .select(sessions::last_seen_at)
        .first(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn loading_the_public_forms_many_times_writes_no_session() {
    let app = spawn_app().await;
    for _ in 0..15 {
        let scraper = app.session();
        assert_eq!(scraper.get("/login").await.status, StatusCode::OK);
        assert_eq!(scraper.get("/password/forgot").await.status, StatusCode::OK);
    }
    assert_eq!(session_count(&app), 0);
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    assert_eq!(delegate.get("/my").await.status, StatusCode::OK);
    assert_eq!(session_count(&app), 1);
}

#[tokio::test]
async fn a_login_with_another_browsers_token_or_no_token_cookie_is_refused() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let other = app.session();
    let foreign = csrf_in(&other.get("/login").await.body).unwrap();
    let victim = app.session();
    victim.get("/login").await;
    let fields = [
        ("csrf_token", foreign.as_str()),
        ("email", user.email.as_str()),
        ("password", PASSWORD),
    ];
    assert_eq!(
        victim.post_raw("/login", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    // A token copied from a page, sent without the signed cookie it belongs to.
    let cookieless = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = cookieless
        .post(format!("{}/login", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A forged cookie (unsigned) is no better.
    let forged = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/login", app.address))
        .header(
            "cookie",
            format!("csrf=abc.{}.def", chrono::Utc::now().timestamp()),
        )
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(session_count(&app), 0);
}

#[tokio::test]
async fn two_loads_of_a_page_show_different_tokens_and_both_are_accepted() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let first = csrf_in(&delegate.get("/my").await.body).unwrap();
    let second = csrf_in(&delegate.get("/my").await.body).unwrap();
    assert_ne!(first, second);
    for token in [&first, &second] {
        let page = delegate
            .post_raw(
                "/language",
                &[("csrf_token", token), ("lang", "en"), ("next", "/my")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{token}");
    }
    // The anonymous login form is masked per load too.
    let visitor = app.session();
    let a = csrf_in(&visitor.get("/login").await.body).unwrap();
    let b = csrf_in(&visitor.get("/login").await.body).unwrap();
    assert_ne!(a, b);
}

#[tokio::test]
async fn an_anonymous_visitor_can_switch_the_language_without_a_session() {
    let app = spawn_app().await;
    let mut visitor = app.session();
    visitor.csrf = csrf_in(&visitor.get("/login").await.body).unwrap();
    let page = visitor
        .post("/language", &[("lang", "en"), ("next", "/login")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(visitor
        .get("/login")
        .await
        .body
        .contains("<html lang=\"en\">"));
    assert_eq!(session_count(&app), 0);
}

#[tokio::test]
async fn a_session_idle_for_thirty_minutes_ends_with_an_explanation() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    age_sessions(&app, &user, 29, 29);
    assert_eq!(delegate.get("/my").await.status, StatusCode::OK);
    age_sessions(&app, &user, 31, 31);
    let page = delegate.get("/my").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let location = page.location.unwrap();
    assert!(location.starts_with("/login"), "{location}");
    let login = delegate.get(&location).await;
    assert!(
        login.body.contains("Phiên làm việc đã hết hạn"),
        "{}",
        login.body
    );
    assert_eq!(session_count(&app), 0);
    assert_eq!(
        delegate.get("/my").await.location.as_deref(),
        Some("/login")
    );
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_login_however_active() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    age_sessions(&app, &user, 1, 11 * 60 + 50);
    assert_eq!(delegate.get("/my").await.status, StatusCode::OK);
    age_sessions(&app, &user, 1, 12 * 60 + 1);
    let page = delegate.get("/my").await;
    assert_eq!(page.location.as_deref(), Some("/login?expired=1"));
}

#[tokio::test]
async fn activity_is_written_back_at_most_once_a_minute() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&user).await;
    age_sessions(&app, &user, 0, 5);
    let recent = last_seen(&app, &user);
    delegate.get("/my").await;
    assert_eq!(last_seen(&app, &user), recent, "no write within the minute");
    age_sessions(&app, &user, 2, 5);
    let older = last_seen(&app, &user);
    delegate.get("/my").await;
    assert!(last_seen(&app, &user) > older + chrono::Duration::minutes(1));
}

async fn login_as(app: &TestApp, user: &TestUser, agent: &str) -> crate::helpers::TestSession {
    let mut session = app.session_as(agent);
    let response = session.login(&user.email, &user.password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    session.refresh_csrf().await;
    session
}

#[tokio::test]
async fn your_sessions_lists_each_browser_and_signs_out_everywhere_else() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Drafter, Some("TCTU"));
    let laptop = login_as(&app, &user, CHROME_ON_WINDOWS).await;
    let home = login_as(&app, &user, FIREFOX_ON_LINUX).await;
    let stranger = app.login(&app.add_user(Role::Delegate, None)).await;

    let page = laptop.get("/account/sessions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Các phiên đăng nhập của đồng chí"));
    assert!(
        page.body
            .contains("Chrome trên Windows <strong>(phiên này)</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Firefox trên Linux"));
    assert_eq!(page.body.matches("phiên này").count(), 1);
    assert!(!page.body.contains("dialogue-desk tests"));
    assert!(laptop
        .get("/account/password")
        .await
        .body
        .contains("href=\"/account/sessions\""));

    let done = laptop.post("/account/sessions/others", &[]).await;
    assert_eq!(done.location.as_deref(), Some("/account/sessions"));
    let after = laptop.get("/account/sessions").await;
    assert!(after.body.contains("Đã đăng xuất khỏi mọi nơi khác"));
    assert!(!after.body.contains("Firefox trên Linux"));
    assert_eq!(home.get("/queue").await.location.as_deref(), Some("/login"));
    assert_eq!(laptop.get("/queue").await.status, StatusCode::OK);
    assert_eq!(stranger.get("/my").await.status, StatusCode::OK);
}

#[tokio::test]
async fn your_sessions_speaks_english_and_needs_the_forms_token() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let mut laptop = login_as(&app, &user, CHROME_ON_WINDOWS).await;
    let phone = login_as(&app, &user, FIREFOX_ON_LINUX).await;
    laptop
        .post_ok("/language", &[("lang", "en"), ("next", "/my")])
        .await;
    laptop.refresh_csrf().await;
    let page = laptop.get("/account/sessions").await;
    assert!(page.body.contains("Your sessions"));
    assert!(page.body.contains("Chrome on Windows"));
    assert!(page.body.contains("Sign out everywhere else"));
    let refused = laptop
        .post_raw("/account/sessions/others", &[("csrf_token", "00")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(phone.get("/my").await.status, StatusCode::OK);
    assert_eq!(
        app.session()
            .get("/account/sessions")
            .await
            .location
            .as_deref(),
        Some("/login")
    );
}

#[test]
fn the_binary_refuses_development_mode_on_a_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dialogue-desk"))
        .env("BIND_ADDR", "0.0.0.0:0")
        .env("DATABASE_URL", dir.path().join("desk.sqlite3"))
        .env_remove("APP_ENV")
        .env_remove("SECRET_KEY")
        .env_remove("BASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("APP_ENV=production"), "{stderr}");
    assert!(stderr.contains("SECRET_KEY"), "{stderr}");
    assert!(
        !dir.path().join("desk.sqlite3").exists(),
        "refused before any work"
    );
}
