//! The `dialogue-desk` command: serve (the default), migrate, or add a user.

use clap::{Parser, Subcommand};
use dialogue_desk::auth::password::hash_password;
use dialogue_desk::auth::session::random_token;
use dialogue_desk::config::Config;
use dialogue_desk::db::outbox::{self, MailEvent, MailStatus};
use dialogue_desk::db::{bodies::Body, users::NewUser};
use dialogue_desk::domain::credentials::{check_new_password, Email};
use dialogue_desk::domain::Role;
use dialogue_desk::startup::{prepare_database, Application};

#[derive(Parser)]
#[command(
    name = "dialogue-desk",
    version,
    about = "Proposal and response desk for a dialogue conference.\n\nConfiguration comes from the environment: DATABASE_URL, BIND_ADDR, BASE_URL, SECRET_KEY, APP_ENV, SEED_DEMO, DEMO_PASSWORD, DB_POOL_SIZE, TEMPLATE_DIR, STATIC_DIR, RUST_LOG (see .env.example)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the web app (the default).
    Serve,
    /// Apply pending database migrations (and seed an empty database), then exit.
    Migrate,
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Email.
    Mail {
        #[command(subcommand)]
        action: MailCommand,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send a test message through the outbox to ADDRESS now, and say what became of
    /// it (SMTP_URL and MAIL_FROM as for the server; without SMTP_URL in
    /// development the message is written to MAIL_DIR).
    Test {
        /// The address to send to.
        address: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account, such as the first administrator. Prints a generated password
    /// unless one is given in the DESK_NEW_PASSWORD variable.
    Add {
        /// Login email.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// delegate, drafter, approver, coordinator or admin.
        #[arg(long, default_value = "admin")]
        role: String,
        /// Body code for staff roles, such as TCTU or DUK.
        #[arg(long)]
        body: Option<String>,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_web=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let config = Config::from_env().unwrap_or_else(|e| fail(&e.to_string()));
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => {
            prepare_database(&config, None).map(|_| println!("Database is up to date."))
        }
        Command::Mail {
            action: MailCommand::Test { address },
        } => send_test_mail(config, &address),
        Command::User {
            action:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    body,
                },
        } => add_user(&config, &email, &name, &role, body.as_deref()),
    };
    if let Err(message) = result {
        fail(&message);
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

fn serve(config: Config) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let base_url = config.base_url.clone();
        let app = Application::build(config)?;
        tracing::info!("serving on {base_url}");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn add_user(
    config: &Config,
    email: &str,
    name: &str,
    role: &str,
    body: Option<&str>,
) -> Result<(), String> {
    let email = Email::parse(email).ok_or("that email address is not valid")?;
    let role: Role = role.parse().map_err(|e| format!("{e}"))?;
    // Adding an account never seeds demo accounts whose password nobody would see.
    let config = Config {
        seed_demo: false,
        ..config.clone()
    };
    let (pool, _) = prepare_database(&config, None)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let body_id = match body {
        Some(code) => Some(
            Body::find_by_code(&mut conn, code)
                .map_err(|e| e.to_string())?
                .ok_or(format!("no body has the code {code}"))?
                .id,
        ),
        None if role.needs_body() => return Err(format!("a {} needs --body", role.as_str())),
        None => None,
    };
    let (password, generated) = match std::env::var("DESK_NEW_PASSWORD") {
        Ok(given) => (given, false),
        Err(_) => (
            format!("{}-{}", &random_token()[..8], &random_token()[..8]),
            true,
        ),
    };
    check_new_password(&password, email.as_str())
        .map_err(|p| format!("the password is refused: {p}"))?;
    let now = chrono::Utc::now().naive_utc();
    NewUser {
        email: email.as_str().to_owned(),
        full_name: name.trim().to_owned(),
        unit: String::new(),
        role,
        body_id,
        password_hash: hash_password(&password),
        locale: "vi".to_owned(),
        active: true,
        created_at: now,
        password_changed_at: now,
    }
    .insert(&mut conn)
    .map_err(|e| format!("cannot add the user: {e}"))?;
    println!("Added {} ({}).", email.as_str(), role.as_str());
    if generated {
        println!("Password (shown once): {password}");
    }
    Ok(())
}

fn send_test_mail(config: Config, address: &str) -> Result<(), String> {
    let email = Email::parse(address).ok_or("that email address is not valid")?;
    let config = Config {
        seed_demo: false,
        ..config
    };
    let (pool, _) = prepare_database(&config, None)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().naive_utc();
    outbox::enqueue_address(
        &mut conn,
        MailEvent::Test,
        None,
        None,
        email.as_str(),
        "vi",
        &serde_json::json!({}),
        now,
    )
    .map_err(|e| e.to_string())?;
    let worker = Application::mail_worker_for(&config, pool.clone())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime
        .block_on(worker.run_once())
        .map_err(|e| format!("{e:?}"))?;
    let (rows, _) =
        outbox::page(&mut conn, None, Some(MailEvent::Test), 0, 1).map_err(|e| e.to_string())?;
    match rows.first().map(|(row, _)| row) {
        Some(row) if row.status == MailStatus::Sent => {
            println!("Sent to {}.", email.as_str());
            Ok(())
        }
        Some(row) => Err(format!(
            "not sent ({}): {}",
            row.status.as_str(),
            row.last_error.clone().unwrap_or_default()
        )),
        None => Err("the test message was not queued".to_owned()),
    }
}
