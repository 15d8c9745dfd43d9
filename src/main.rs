//! The `dialogue-desk` command: serve (the default), migrate, add a user, send a
//! test mail, print a year's working calendar. It parses the command line, reads the config and calls the library.

use clap::{Parser, Subcommand};
use dialogue_desk::commands::{self, NewAccount};
use dialogue_desk::config::Config;
#[derive(Parser)]
#[command(
    name = "dialogue-desk",
    version,
    about = "Proposal and response desk for a dialogue conference.\n\nConfiguration comes from the environment: DATABASE_URL, BIND_ADDR, BASE_URL, SECRET_KEY, APP_ENV, SEED_DEMO, DEMO_PASSWORD, DB_POOL_SIZE, SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, OFFICE_HOURS, DIGEST_INTERVAL_SECONDS, SMTP_URL, SMTP_ALLOW_PLAINTEXT, TEMPLATE_DIR, STATIC_DIR, RUST_LOG (see .env.example)."
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
    /// Print a year's working days per month, its holidays and days off, and its
    /// working Saturdays, as the database holds them.
    Calendar {
        /// The year, such as 2026.
        year: i32,
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
        /// delegate, drafter, approver, coordinator, admin or leadership.
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
        Command::Serve => commands::serve(config),
        Command::Migrate => commands::migrate(&config),
        Command::Calendar { year } => commands::print_calendar(&config, year),
        Command::Mail {
            action: MailCommand::Test { address },
        } => commands::send_test_mail(config, &address),
        Command::User {
            action:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    body,
                },
        } => commands::add_user(
            &config,
            &NewAccount {
                email,
                name,
                role,
                body,
            },
        ),
    };
    if let Err(message) = result {
        fail(&message);
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
