//! One connection type for both engines, the pool, migrations and the write
//! transaction every state change goes through.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

use super::error::DatabaseFailure;

/// A connection to either engine; which one is decided by `DATABASE_URL`.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, for production and several app instances.
    Postgresql(diesel::PgConnection),
    /// SQLite, the embedded default.
    Sqlite(diesel::SqliteConnection),
}

/// The pool of connections an app instance shares between requests.
pub type DbPool = r2d2::Pool<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Which engine a `DATABASE_URL` names, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A PostgreSQL connection string.
    Postgres(String),
    /// A path to a SQLite file.
    Sqlite(String),
}

impl DatabaseTarget {
    /// Reads a `DATABASE_URL`: `postgres://` or `postgresql://` for PostgreSQL,
    /// `sqlite://path` or a plain path for SQLite. Any other scheme is refused,
    /// so a typo never silently creates a stray SQLite file.
    pub fn parse(url: &str) -> Result<DatabaseTarget, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseTarget::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            return Ok(DatabaseTarget::Sqlite(path.to_owned()));
        }
        if url.contains("://") {
            return Err(format!(
                "DATABASE_URL has an unknown scheme; use postgres://… or a SQLite path (got {})",
                url.split("://").next().unwrap_or_default()
            ));
        }
        Ok(DatabaseTarget::Sqlite(url.to_owned()))
    }
}

/// Opens connections for the pool, one engine chosen up front.
#[derive(Debug, Clone)]
pub struct DbManager {
    target: DatabaseTarget,
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.target {
            DatabaseTarget::Postgres(url) => diesel::PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            DatabaseTarget::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path)
                    .map_err(r2d2::Error::ConnectionError)?;
                // Foreign keys are off by default in SQLite; WAL lets readers work
                // while one writer writes; the busy timeout makes writers queue
                // instead of failing at once.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 15000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                let mut conn = DbConnection::Sqlite(conn);
                refresh_planner_statistics(&mut conn).map_err(r2d2::Error::QueryError)?;
                Ok(conn)
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Builds the pool for `database_url`, creating the SQLite file's folder if needed.
pub fn connect(database_url: &str, size: u32) -> Result<DbPool, String> {
    let target = DatabaseTarget::parse(database_url)?;
    if let DatabaseTarget::Sqlite(path) = &target {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create the folder for {path}: {e}"))?;
            }
        }
    }
    r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(30))
        .build(DbManager { target })
        .map_err(|e| format!("cannot connect to the database: {e}"))
}

/// Applies pending migrations for whichever engine this is. On PostgreSQL an
/// advisory lock keeps two instances starting together from migrating at once.
pub fn run_migrations(conn: &mut DbConnection) -> Result<(), String> {
    let result = match conn {
        DbConnection::Sqlite(conn) => conn.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Postgresql(conn) => {
            const MIGRATION_LOCK: i64 = 0x6469_616c_6f67;
            conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .map_err(|e| e.to_string())?;
            let outcome = conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                .map_err(|e| e.to_string())?;
            outcome
        }
    };
    result.map_err(|e| format!("migration failed: {e}"))
}

/// Keeps the query planner's statistics current. SQLite plans without them until
/// told to gather them: with a queue of 100,000 items it would otherwise scan every
/// waiting item to find the few a body coordinates on. `PRAGMA optimize` analyses
/// only the tables that changed enough since the last time, so it is cheap; SQLite
/// advises running it as each connection opens (so every connection plans with
/// current statistics) and now and then on long-lived ones. PostgreSQL's
/// autovacuum does this by itself.
pub fn refresh_planner_statistics(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(conn) => conn.batch_execute("PRAGMA optimize=0x10002;"),
        DbConnection::Postgresql(_) => Ok(()),
    }
}

/// How many times a write that lost a race with another writer is tried again.
/// On SQLite a write transaction takes the lock at its start and waits for it (see
/// [`transaction_taking_the_write_lock`]), so a retry is left for the rare busy
/// timeout under a long queue; on PostgreSQL for serialization failures and
/// deadlocks. Thirty tries with pauses capped at a quarter second wait up to about
/// six seconds in all, which a delegate prefers to losing the form to an error.
const WRITE_ATTEMPTS: u32 = 30;
/// The longest pause between two tries.
const WRITE_PAUSE_CAP_MS: u64 = 250;

/// Runs `work` in a transaction, trying it again when the engine reports that it
/// lost a race with a concurrent writer (SQLite's "database is locked", a
/// PostgreSQL serialization failure or deadlock). `work` must therefore be safe to
/// repeat: it only talks to the database.
pub fn write_transaction<T, E: DatabaseFailure>(
    conn: &mut DbConnection,
    mut work: impl FnMut(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    let mut attempt = 1;
    loop {
        match transaction_taking_the_write_lock(conn, &mut work) {
            Err(ref error)
                if error.database_error().is_some_and(is_write_conflict)
                    && attempt < WRITE_ATTEMPTS =>
            {
                attempt += 1;
                let pause = (5 * u64::from(attempt * attempt)).min(WRITE_PAUSE_CAP_MS);
                std::thread::sleep(Duration::from_millis(pause));
            }
            other => return other,
        }
    }
}

/// One try of [`write_transaction`]. On SQLite the outermost transaction begins
/// with `BEGIN IMMEDIATE`: it takes the write lock at its start, waiting up to the
/// busy timeout while another writer holds it. A plain `BEGIN` would read first and
/// ask for the lock only at its first write, and SQLite refuses that upgrade at once
/// ("database is locked", no busy wait) when another transaction wrote in the
/// meantime; under a rush of submissions that surfaced as HTTP 500s. A nested call
/// is a savepoint inside the caller's transaction, as on PostgreSQL.
fn transaction_taking_the_write_lock<T, E: DatabaseFailure>(
    conn: &mut DbConnection,
    work: &mut impl FnMut(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let began_immediate = match conn {
        DbConnection::Sqlite(sqlite) => {
            let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
                .transaction_depth()?;
            if depth.is_none() {
                AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
                true
            } else {
                false
            }
        }
        DbConnection::Postgresql(_) => false,
    };
    if !began_immediate {
        return conn.transaction(|conn| work(conn));
    }
    let outcome = work(conn);
    let DbConnection::Sqlite(sqlite) = conn else {
        unreachable!("only a SQLite connection began an immediate transaction")
    };
    match outcome {
        Ok(value) => match AnsiTransactionManager::commit_transaction(sqlite) {
            Ok(()) => Ok(value),
            Err(error) => {
                // A failed COMMIT leaves the transaction open: end it before the
                // connection goes back to the pool.
                let _ = AnsiTransactionManager::rollback_transaction(sqlite);
                Err(error.into())
            }
        },
        Err(error) => {
            AnsiTransactionManager::rollback_transaction(sqlite)?;
            Err(error)
        }
    }
}

/// Whether a database error means "another writer got there first; try again".
fn is_write_conflict(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("database is locked")
                || message.contains("database is busy")
                || message.contains("deadlock detected")
        }
        _ => false,
    }
}

/// Whether an error is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(error: &impl DatabaseFailure) -> bool {
    matches!(
        error.database_error(),
        Some(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that read before another writer committed would be refused its
    /// write at once on SQLite ("database is locked"); taking the lock at BEGIN
    /// makes it wait instead, so one try suffices.
    #[test]
    fn a_sqlite_write_waits_for_the_lock_instead_of_failing() {
        use diesel::sql_types::Integer;
        use std::sync::mpsc;

        #[derive(QueryableByName)]
        struct Counter {
            #[diesel(sql_type = Integer)]
            value: i32,
        }
        fn bump(conn: &mut DbConnection) -> Result<(), crate::db::StoreError> {
            let current: Counter =
                diesel::sql_query("SELECT value FROM counter").get_result(conn)?;
            diesel::sql_query(format!("UPDATE counter SET value = {}", current.value + 1))
                .execute(conn)?;
            Ok(())
        }

        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("lock.sqlite3");
        let pool = connect(path.to_str().unwrap(), 2).unwrap();
        pool.get()
            .unwrap()
            .batch_execute(
                "CREATE TABLE counter (value INTEGER NOT NULL); INSERT INTO counter VALUES (0);",
            )
            .unwrap();

        let (started, wait_for_start) = mpsc::channel();
        let (second_running, wait_for_second) = mpsc::channel();
        let first_pool = pool.clone();
        let first = std::thread::spawn(move || {
            let mut conn = first_pool.get().unwrap();
            transaction_taking_the_write_lock(&mut conn, &mut |conn: &mut DbConnection| {
                bump(conn)?;
                started.send(()).unwrap();
                // Hold the lock while the second writer starts its transaction.
                wait_for_second.recv().unwrap();
                std::thread::sleep(Duration::from_millis(200));
                Ok::<(), crate::db::StoreError>(())
            })
        });
        wait_for_start.recv().unwrap();
        let mut conn = pool.get().unwrap();
        second_running.send(()).unwrap();
        let second = transaction_taking_the_write_lock(&mut conn, &mut bump);
        assert!(second.is_ok(), "the second writer failed: {second:?}");
        assert!(first.join().unwrap().is_ok());
        let total: Counter = diesel::sql_query("SELECT value FROM counter")
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(total.value, 2, "both writes count, one after the other");
    }

    #[test]
    fn urls_choose_the_engine_and_unknown_schemes_are_refused() {
        assert_eq!(
            DatabaseTarget::parse("postgres://u@localhost/db").unwrap(),
            DatabaseTarget::Postgres("postgres://u@localhost/db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite://data/x.db").unwrap(),
            DatabaseTarget::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("data/x.db").unwrap(),
            DatabaseTarget::Sqlite("data/x.db".into())
        );
        assert!(DatabaseTarget::parse("mysql://localhost/db").is_err());
    }
}
