//! Storage: the schema, one module of rows and queries per table group, the item
//! workflow's transactions, and the seed data.

pub mod answers;
pub mod bodies;
pub mod commitments;
pub mod conferences;
pub mod connection;
pub mod contribution_digest;
pub mod contributions;
pub mod deadline_report;
pub mod deadlines;
pub mod digests;
pub mod error;
pub mod events;
pub mod extensions;
pub mod fields;
pub mod holidays;
pub mod item_lists;
pub mod item_view;
pub mod items;
pub mod outbox;
pub mod schema;
pub mod search;
pub mod second_factors;
pub mod seed;
pub mod sessions;
pub mod stats;
mod stored;
pub mod tasks;
pub mod thematic;
pub mod throttles;
pub mod tokens;
pub mod users;
pub mod workflow;

pub use connection::{
    connect, is_unique_violation, refresh_planner_statistics, run_migrations, write_transaction,
    DatabaseTarget, DbConnection, DbPool, MultiBackend,
};
pub use error::{ConflictKind, DatabaseFailure, StoreError};
