//! Who is asking: passwords, sessions, CSRF, login throttling, the client's address.

pub mod client;
pub mod csrf;
pub mod device;
pub mod password;
pub mod second_factor;
pub mod session;
pub mod throttle;

pub use client::{client_address, loggable};
pub use csrf::CsrfForm;
pub use password::Hashing;
pub use session::{CurrentUser, Visit};
