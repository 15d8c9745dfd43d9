//! The commands of the `dialogue-desk` binary besides serving: adding an account,
//! sending a test mail, printing a year's working calendar. `main.rs` only parses the command line and calls these.

use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;

use crate::config::Config;
use crate::db::holidays::{working_calendar, Holiday};
use crate::db::outbox::{self, MailEvent, MailStatus};
use crate::db::{bodies::Body, users::NewUser};
use crate::domain::calendar::DayKind;
use crate::domain::credentials::{check_new_password, Email};
use crate::domain::Role;
use crate::secrets::{hash_password, random_token};
use crate::startup::{prepare_database, Application};

/// An account to add from the command line.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login email.
    pub email: String,
    /// Full name.
    pub name: String,
    /// The role's name (`delegate`, `drafter`, `approver`, `coordinator`, `admin`,
    /// `leadership`).
    pub role: String,
    /// The body's code, for staff roles.
    pub body: Option<String>,
}

/// Migrates the database and serves the app until the process is stopped.
pub fn serve(config: Config) -> Result<(), String> {
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

/// Applies pending migrations (and seeds an empty database).
pub fn migrate(config: &Config) -> Result<(), String> {
    prepare_database(config, None).map(|_| println!("Database is up to date."))
}

/// Adds an account, such as the first administrator. Prints a generated password
/// unless one is given in `DESK_NEW_PASSWORD`.
pub fn add_user(config: &Config, new: &NewAccount) -> Result<(), String> {
    let NewAccount {
        email,
        name,
        role,
        body,
    } = new;
    let email = Email::parse(email).ok_or("that email address is not valid")?;
    let role: Role = role.parse().map_err(|e| format!("{e}"))?;
    // Adding an account never seeds demo accounts whose password nobody would see.
    let config = Config {
        seed_demo: false,
        ..config.clone()
    };
    let (pool, _) = prepare_database(&config, None)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let body_id = match body.as_deref() {
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

/// Sends a test message to `address` through the outbox now and says what
/// became of it.
pub fn send_test_mail(config: Config, address: &str) -> Result<(), String> {
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

/// Prints `year`'s working days per month and its holidays, days off and working
/// Saturdays, as the database holds them.
pub fn print_calendar(config: &Config, year: i32) -> Result<(), String> {
    let (first, last) = match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => (first, last),
        _ => return Err(format!("{year} is not a year the calendar can show")),
    };
    let config = Config {
        seed_demo: false,
        ..config.clone()
    };
    let (pool, _) = prepare_database(&config, None)?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let entries = Holiday::of_year(&mut conn, year).map_err(|e| e.to_string())?;
    let calendar = working_calendar(&mut conn, first, last).map_err(|e| e.to_string())?;
    print!("{}", calendar_report(year, &calendar, &entries));
    Ok(())
}

/// The text `calendar YEAR` prints.
pub fn calendar_report(
    year: i32,
    calendar: &crate::domain::calendar::WorkingCalendar,
    entries: &[Holiday],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Working days in {year} (Asia/Ho_Chi_Minh, Monday to Friday, minus days off, plus working Saturdays)");
    let mut total = 0;
    let mut before = NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.pred_opt())
        .expect("a year in range");
    for month in 1..=12 {
        let end = NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .expect("a month in range");
        let count = calendar.working_days_between(before, end);
        total += count;
        let _ = writeln!(out, "  {year}-{month:02}  {count:>3}");
        before = end;
    }
    let _ = writeln!(out, "  total    {total:>3}");
    for (title, kind) in [
        ("Holidays and days off", DayKind::Holiday),
        ("Working Saturdays", DayKind::WorkingSaturday),
    ] {
        let _ = writeln!(out, "\n{title}:");
        let mut any = false;
        for entry in entries.iter().filter(|e| e.kind == kind) {
            any = true;
            let _ = writeln!(
                out,
                "  {} {}  {} / {}",
                entry.day.format("%Y-%m-%d"),
                entry.day.weekday(),
                entry.name_vi,
                entry.name_en
            );
        }
        if !any {
            let _ = writeln!(out, "  (none)");
        }
    }
    out
}
