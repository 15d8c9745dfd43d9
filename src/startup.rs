//! Builds the app: database, migrations, seed, templates, and the HTTP server on
//! its own listener (port 0 in tests).

use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, Logger};
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;

use crate::auth::csrf::FORM_LIMIT;
use crate::auth::Hashing;
use crate::config::{Config, DigestSettings, SessionSettings};
use crate::db::seed::{self, DemoAccount};
use crate::db::{self, DbPool};
use crate::mail::worker::Worker;
use crate::mail::{Composer, Transport};
use crate::render::Renderer;
use crate::routes::{self, middleware, AppState};

/// A built app, bound to its listener, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    pool: DbPool,
    mail: Worker,
    sessions: SessionSettings,
    digests: DigestSettings,
}

/// Connects, migrates and seeds the database named by the config.
pub fn prepare_database(
    config: &Config,
    demo_password: Option<&str>,
) -> Result<(DbPool, Option<Vec<DemoAccount>>), String> {
    let pool = db::connect(&config.database_url, config.db_pool_size)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    db::run_migrations(&mut conn)?;
    let seeded = match seed::seed_if_empty(
        &mut conn,
        config.seed_demo,
        demo_password,
        chrono::Utc::now().naive_utc(),
    ) {
        Ok(seeded) => seeded,
        // Another instance seeded the same empty database a moment earlier.
        Err(error) if db::is_unique_violation(&error) => None,
        Err(error) => return Err(format!("seeding failed: {error:?}")),
    };
    Ok((pool, seeded))
}

impl Application {
    /// Prepares the database and binds `config.bind_addr`.
    pub fn build(config: Config) -> Result<Application, String> {
        let (pool, seeded) =
            prepare_database(&config, std::env::var("DEMO_PASSWORD").ok().as_deref())?;
        if let Some(accounts) = seeded.filter(|a| !a.is_empty()) {
            print_demo_accounts(&accounts);
        }
        let listener = TcpListener::bind(&config.bind_addr)
            .map_err(|e| format!("cannot listen on {}: {e}", config.bind_addr))?;
        Application::with_listener(config, pool, listener)
    }

    /// Builds the server on an existing pool and listener.
    pub fn with_listener(
        config: Config,
        pool: DbPool,
        listener: TcpListener,
    ) -> Result<Application, String> {
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let renderer = std::sync::Arc::new(
            Renderer::load(&template_dir()).map_err(|e| format!("templates: {e:?}"))?,
        );
        let mail = Application::worker(&config, pool.clone(), renderer.clone())?;
        let sessions = config.sessions;
        let digests = config.digests;
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            renderer,
            config,
            hashing: Hashing::new(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            ),
        });
        let https = state.config.uses_https();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(middleware::render_error_pages))
                .wrap(from_fn(middleware::refuse_cross_site))
                .wrap(from_fn(routes::second_factor::require_enrolment))
                .wrap(from_fn(middleware::load_session))
                .wrap(middleware::security_headers(https))
                .wrap(Compress::default())
                .wrap(
                    Logger::new("%{method}xi %{path}xi %s %Dms")
                        .custom_request_replace("method", |req| req.method().to_string())
                        .custom_request_replace("path", |req| loggable_path(req.path())),
                )
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .app_data(web::FormConfig::default().limit(FORM_LIMIT))
                .service(actix_files::Files::new("/static", static_dir()))
                .configure(routes::configure)
                .default_service(web::to(middleware::not_found))
        })
        .listen(listener)
        .map_err(|e| e.to_string())?
        .run();
        Ok(Application {
            port,
            server,
            pool,
            mail,
            sessions,
            digests,
        })
    }

    /// An outbox worker for `config` on `pool` (the command line's `mail test` uses
    /// one without a server).
    pub fn mail_worker_for(config: &Config, pool: DbPool) -> Result<Worker, String> {
        let renderer = Renderer::load(&template_dir()).map_err(|e| format!("templates: {e:?}"))?;
        Application::worker(config, pool, std::sync::Arc::new(renderer))
    }

    fn worker(
        config: &Config,
        pool: DbPool,
        renderer: std::sync::Arc<Renderer>,
    ) -> Result<Worker, String> {
        Ok(Worker {
            pool,
            transport: std::sync::Arc::new(Transport::from_config(config)?),
            composer: std::sync::Arc::new(Composer::new(config, renderer)?),
            settings: config.outbox.clone(),
        })
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database pool (tests use it to arrange data).
    pub fn pool(&self) -> DbPool {
        self.pool.clone()
    }

    /// The outbox worker of this instance (tests drive extra workers with it).
    pub fn mail_worker(&self) -> Worker {
        self.mail.clone()
    }

    /// Serves until the process is stopped; meanwhile the outbox worker sends mail,
    /// housekeeping sweeps expired sessions, and the scheduler queues the daily
    /// deadline digests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let sweeper = tokio::spawn(housekeeping(self.pool.clone(), self.sessions));
        let scheduler = tokio::spawn(crate::scheduler::run(self.pool.clone(), self.digests));
        let mailer = tokio::spawn(self.mail.run());
        let outcome = self.server.await;
        sweeper.abort();
        scheduler.abort();
        mailer.abort();
        outcome
    }
}

/// Every quarter hour: deletes expired sessions and failed attempts that no
/// longer count (outside the throttle window), and refreshes the planner's
/// statistics. Harmless when several instances do it at once: each delete only
/// removes rows nobody can use any more.
async fn housekeeping(pool: DbPool, lifetimes: SessionSettings) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        every.tick().await;
        let pool = pool.clone();
        let swept = web::block(move || -> Result<(usize, usize), String> {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let now = chrono::Utc::now().naive_utc();
            db::refresh_planner_statistics(&mut conn).map_err(|e| e.to_string())?;
            let sessions = crate::db::sessions::SessionRow::delete_expired(
                &mut conn,
                now - lifetimes.idle,
                now - lifetimes.absolute,
            )
            .map_err(|e| e.to_string())?;
            let failures =
                crate::auth::throttle::sweep(&mut conn, now).map_err(|e| e.to_string())?;
            Ok((sessions, failures))
        })
        .await;
        match swept {
            Ok(Ok((sessions, failures))) if sessions + failures > 0 => {
                tracing::info!(
                    sessions,
                    failures,
                    "expired sessions and old failures removed"
                )
            }
            Ok(Err(error)) => tracing::warn!(%error, "session sweep failed"),
            _ => {}
        }
    }
}

/// The request path as logged: the single-use tokens of invitation and reset links
/// are hidden, since a log line must not open an account.
fn loggable_path(path: &str) -> String {
    for prefix in ["/invite/", "/password/reset/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}…");
            }
        }
    }
    path.to_owned()
}

fn print_demo_accounts(accounts: &[DemoAccount]) {
    println!("\nDemo accounts (shown once; they share one password):");
    // The email column is as wide as the longest address, so the passwords line up.
    let width = accounts.iter().map(|a| a.email.len()).max().unwrap_or(0);
    for account in accounts {
        println!(
            "  {:<12} {:<width$} {}",
            account.role.as_str(),
            account.email,
            account.password
        );
    }
    println!();
}

/// Templates are read from `templates/` beside the crate (or `TEMPLATE_DIR`).
fn template_dir() -> String {
    asset_dir("TEMPLATE_DIR", "templates")
}

fn static_dir() -> String {
    asset_dir("STATIC_DIR", "static")
}

/// An asset folder: the variable if set, else the folder in the working directory,
/// else the one in the source tree the binary was built from.
fn asset_dir(variable: &str, name: &str) -> String {
    if let Ok(dir) = std::env::var(variable) {
        return dir;
    }
    if std::path::Path::new(name).is_dir() {
        return name.to_owned();
    }
    format!("{}/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_never_reach_the_access_log() {
        assert_eq!(loggable_path("/invite/0123abcd"), "/invite/…");
        assert_eq!(
            loggable_path("/password/reset/0123abcd"),
            "/password/reset/…"
        );
        assert_eq!(loggable_path("/items/12"), "/items/12");
    }
}
