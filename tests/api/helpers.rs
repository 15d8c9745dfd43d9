//! `spawn_app()` and a `TestSession` with one helper per action a person takes.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use std::net::TcpListener;

use dialogue_desk::auth::password::hash_password;
use dialogue_desk::auth::session::random_token;
use dialogue_desk::config::{
    Config, DigestSettings, Environment, OutboxSettings, Secret, SecretKey, SessionSettings,
    TrustedProxies,
};
use dialogue_desk::db::bodies::Body;
use dialogue_desk::db::users::NewUser;
use dialogue_desk::db::{DbConnection, DbPool};
use dialogue_desk::domain::{Role, UserId};
use dialogue_desk::mail::worker::Worker;
use dialogue_desk::startup::{prepare_database, Application};
use std::time::Duration;

use crate::smtp::{free_port, SmtpServer};

/// The password every test user gets.
pub const PASSWORD: &str = "mật khẩu thử nghiệm 2023";

/// A database that removes itself when the test ends.
enum TestDatabase {
    /// Held only so the folder lives as long as the test.
    Sqlite(#[expect(dead_code, reason = "kept for its Drop")] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                let _ =
                    conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
            }
        }
    }
}

fn create_database() -> (String, TestDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("desk_test_{}", &random_token()[..16]);
            let mut conn = diesel::PgConnection::establish(&admin_url)
                .expect("TEST_DATABASE_URL must reach a PostgreSQL server");
            conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .expect("the test role must be allowed to create databases");
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a URL with a database name");
            (
                format!("{base}/{name}"),
                TestDatabase::Postgres { admin_url, name },
            )
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir
                .path()
                .join("desk.sqlite3")
                .to_string_lossy()
                .into_owned();
            (path, TestDatabase::Sqlite(dir))
        }
    }
}

/// The running app of one test.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The app's own pool, to arrange data and look at the database.
    pub pool: DbPool,
    /// The mail server the app sends to (None while it is "down").
    pub smtp: Option<SmtpServer>,
    /// The port the app sends mail to.
    pub smtp_port: u16,
    /// A worker like the app's own, for tests that run more of them.
    pub mail_worker: Worker,
    _database: TestDatabase,
}

/// Whether the test's mail server is up when the app starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailServer {
    Up,
    Down,
}

/// A user made for a test.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: UserId,
    pub email: String,
    pub password: String,
}

/// Starts the app on a random port with a new database seeded with the reference
/// data (bodies, fields, routing table, the 2023 conference) and no demo data.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(MailServer::Up).await
}

/// Starts the app with its mail server up or down. The outbox works at test pace:
/// it looks every 50 ms, retries after 1 s (doubling), and takes over a claim left
/// unfinished after 2 s.
pub async fn spawn_app_with(mail: MailServer) -> TestApp {
    spawn(mail, Environment::Development, None).await
}

/// Starts the app as behind a reverse proxy: `TRUSTED_PROXIES` set to `proxies`
/// (the tests' requests come from 127.0.0.1).
pub async fn spawn_app_behind_proxy(proxies: &str) -> TestApp {
    let trusted = TrustedProxies::parse(proxies).expect("valid TRUSTED_PROXIES");
    spawn_configured(MailServer::Up, Environment::Development, None, trusted).await
}

/// Starts the app as in production (the second factor enforced).
pub async fn spawn_production_app() -> TestApp {
    spawn(MailServer::Up, Environment::Production, None).await
}

/// Starts the app on a new database seeded as `SEED_DEMO` seeds it: the reference
/// data and the demo accounts (all with `password`) and items.
pub async fn spawn_demo_app(password: &str) -> TestApp {
    spawn(MailServer::Up, Environment::Development, Some(password)).await
}

/// Starts the app with its mail server up or down, in `environment`, with the demo
/// data when `demo_password` is given.
async fn spawn(mail: MailServer, environment: Environment, demo_password: Option<&str>) -> TestApp {
    spawn_configured(mail, environment, demo_password, TrustedProxies::default()).await
}

/// `spawn`, with the proxies whose `X-Forwarded-For` the app believes.
async fn spawn_configured(
    mail: MailServer,
    environment: Environment,
    demo_password: Option<&str>,
    trusted_proxies: TrustedProxies,
) -> TestApp {
    let (database_url, database) = create_database();
    let smtp = match mail {
        MailServer::Up => Some(SmtpServer::start().await),
        MailServer::Down => None,
    };
    let smtp_port = smtp.as_ref().map(|s| s.port).unwrap_or_else(free_port);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().unwrap().port();
    let config = Config {
        database_url,
        bind_addr: format!("127.0.0.1:{port}"),
        base_url: format!("http://127.0.0.1:{port}"),
        secret_key: SecretKey::new(random_token().into_bytes()),
        environment,
        seed_demo: demo_password.is_some(),
        db_pool_size: 8,
        smtp_url: Some(Secret::new(format!("smtp://127.0.0.1:{smtp_port}"))),
        mail_from: "Bàn kiến nghị <no-reply@desk.test>".into(),
        mail_dir: String::new(),
        outbox: OutboxSettings {
            poll: Duration::from_millis(50),
            retry_base: Duration::from_secs(1),
            max_attempts: 5,
            lease: Duration::from_secs(2),
            concurrency: 4,
        },
        sessions: SessionSettings::default(),
        trusted_proxies,
        // Tests queue digests themselves at the instants they choose.
        digests: DigestSettings::off(),
    };
    let (pool, _) = prepare_database(&config, demo_password).expect("database prepared");
    let app = Application::with_listener(config, pool, listener).expect("app built");
    let pool = app.pool();
    let mail_worker = app.mail_worker();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        pool,
        smtp,
        smtp_port,
        mail_worker,
        _database: database,
    }
}

impl TestApp {
    /// A connection to the test's database.
    pub fn conn(&self) -> diesel::r2d2::PooledConnection<dialogue_desk::db::connection::DbManager> {
        self.pool.get().expect("a database connection")
    }

    /// Adds a user with `role` in the body with `body_code`.
    pub fn add_user(&self, role: Role, body_code: Option<&str>) -> TestUser {
        let mut conn = self.conn();
        let body_id = body_code.map(|code| {
            Body::find_by_code(&mut conn, code)
                .unwrap()
                .unwrap_or_else(|| panic!("no body {code}"))
                .id
        });
        let email = format!("{}-{}@test.vn", role.as_str(), &random_token()[..8]);
        let now = chrono::Utc::now().naive_utc();
        let id = NewUser {
            email: email.clone(),
            full_name: format!("Người dùng {}", role.as_str()),
            unit: "Sở Thử nghiệm".into(),
            role,
            body_id,
            password_hash: hash_password(PASSWORD),
            locale: "vi".into(),
            active: true,
            created_at: now,
            password_changed_at: now,
        }
        .insert(&mut conn)
        .unwrap();
        TestUser {
            id,
            email,
            password: PASSWORD.into(),
        }
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn session(&self) -> TestSession {
        self.session_as("dialogue-desk tests")
    }

    /// A browser-like client that names itself `user_agent`.
    pub fn session_as(&self, user_agent: &str) -> TestSession {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        TestSession {
            client: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(Policy::none())
                .user_agent(user_agent)
                .build()
                .unwrap(),
            jar,
            address: self.address.clone(),
            csrf: String::new(),
        }
    }

    /// A logged-in session of `user`.
    pub async fn login(&self, user: &TestUser) -> TestSession {
        let mut session = self.session();
        let response = session.login(&user.email, &user.password).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {}",
            user.email
        );
        session.refresh_csrf().await;
        session
    }

    /// The id of the field with `code`.
    pub fn field_id(&self, code: &str) -> i32 {
        use dialogue_desk::db::schema::fields;
        use diesel::prelude::*;
        fields::table
            .filter(fields::code.eq(code))
            .select(fields::id)
            .first(&mut *self.conn())
            .unwrap()
    }

    /// The id of the body with `code`.
    pub fn body_id(&self, code: &str) -> i32 {
        Body::find_by_code(&mut self.conn(), code)
            .unwrap()
            .unwrap()
            .id
    }

    /// Moves every recorded failed attempt `by` into the past, as if that time
    /// had gone by (the throttle's window slides over them).
    pub fn age_failures(&self, by: chrono::Duration) {
        use dialogue_desk::db::schema::login_failures;
        use diesel::prelude::*;
        let mut conn = self.conn();
        let rows: Vec<(i32, chrono::NaiveDateTime)> = login_failures::table
            .select((login_failures::id, login_failures::failed_at))
            .load(&mut *conn)
            .unwrap();
        for (id, at) in rows {
            diesel::update(login_failures::table.find(id))
                .set(login_failures::failed_at.eq(at - by))
                .execute(&mut *conn)
                .unwrap();
        }
    }

    /// Runs raw SQL on the test database (for arranging time, e.g. expiry).
    pub fn execute(&self, sql: &str) {
        let mut conn = self.conn();
        let conn: &mut DbConnection = &mut conn;
        conn.batch_execute(sql).unwrap();
    }
}

/// One person's browser.
pub struct TestSession {
    pub client: reqwest::Client,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
    pub address: String,
    /// The session's CSRF token, read from a page.
    pub csrf: String,
}

/// A response read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// The value of the first hidden `csrf_token` input in `html`.
pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// `html` with every CSRF token blanked: tokens are masked afresh on each page,
/// so two renderings of one page differ only there.
pub fn without_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(marker) {
        let value_start = at + marker.len();
        out.push_str(&rest[..value_start]);
        let end = rest[value_start..]
            .find('"')
            .map_or(rest.len(), |e| value_start + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The value of the hidden input `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

impl TestSession {
    async fn read(response: reqwest::Response) -> Page {
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Page {
            status,
            location,
            body: response.text().await.unwrap_or_default(),
        }
    }

    /// The cookies this browser would send to the app, as one header value.
    pub fn cookies(&self) -> String {
        use reqwest::cookie::CookieStore;
        self.jar
            .cookies(&self.address.parse().unwrap())
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.client
                .get(format!("{}{path}", self.address))
                .send()
                .await
                .expect("request sent"),
        )
        .await
    }

    /// `POST path` with the form fields and this session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", &self.csrf)];
        form.extend_from_slice(fields);
        self.post_raw(path, &form).await
    }

    /// `POST path` with exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::read(
            self.client
                .post(format!("{}{path}", self.address))
                .form(fields)
                .send()
                .await
                .expect("request sent"),
        )
        .await
    }

    /// Opens the login page (getting its signed anonymous token) and logs in.
    pub async fn login(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.login_from(None, email, password).await
    }

    /// Logs in as `login` does, with the `X-Forwarded-For` header a proxy would add
    /// (`Some(address)`), or none.
    pub async fn login_from(
        &mut self,
        forwarded_for: Option<&str>,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = self.get("/login").await;
        self.csrf = csrf_in(&page.body).expect("the login form carries a CSRF token");
        let mut request = self.client.post(format!("{}/login", self.address));
        if let Some(address) = forwarded_for {
            request = request.header("X-Forwarded-For", address);
        }
        request
            .form(&[
                ("csrf_token", self.csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Reads the session's current CSRF token from a page every user can open.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/account/password").await;
        self.csrf = csrf_in(&page.body).expect("a page with a CSRF token");
    }

    /// Files a proposal through the form; returns the item id.
    pub async fn submit_proposal(&self, title: &str, content: &str, field_id: i32) -> i32 {
        let form = self.get("/proposals/new").await;
        assert_eq!(form.status, StatusCode::OK);
        let token = hidden_value(&form.body, "submission_token").expect("a submission token");
        let page = self
            .post(
                "/proposals",
                &[
                    ("title", title),
                    ("content", content),
                    ("field_id", &field_id.to_string()),
                    ("related_units", ""),
                    ("submission_token", &token),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        item_id_from(page.location.as_deref().unwrap())
    }
}

/// The item id in `/proposals/{id}/submitted` or `/items/{id}`.
pub fn item_id_from(location: &str) -> i32 {
    location
        .split('/')
        .find_map(|part| part.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

impl TestSession {
    /// `POST path` for a step a test builds on: it must succeed (a 303 to the
    /// next page), or the test fails here rather than later for a reason that
    /// hides the cause.
    pub async fn post_ok(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.post(path, fields).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "POST {path} did not succeed: {}",
            page.body
        );
        page
    }
}
