//! Who is asking: passwords, sessions, CSRF and login throttling.

pub mod csrf;
pub mod password;
pub mod second_factor;
pub mod session;
pub mod throttle;

pub use csrf::CsrfForm;
pub use password::Hashing;
pub use session::{CurrentUser, Visit};
