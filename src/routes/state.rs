//! What every handler shares, registered once as app data: the database pool, the
//! template renderer, the config and the password-hashing limiter.

use std::sync::Arc;

use crate::auth::Hashing;
use crate::config::Config;
use crate::db::DbPool;
use crate::render::Renderer;

/// The app's shared state; handlers take it as `web::Data<AppState>`.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub pool: DbPool,
    /// Templates with the texts of both languages (shared with the mail composer).
    pub renderer: Arc<Renderer>,
    /// The config read at start.
    pub config: Config,
    /// Caps concurrent password hashes.
    pub hashing: Hashing,
}
