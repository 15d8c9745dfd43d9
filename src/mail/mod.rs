//! Email: composing a queued message from its templates, the transport that sends
//! it (SMTP, or files in development), and the worker that drains the outbox.

pub mod compose;
pub mod transport;
pub mod worker;

pub use compose::Composer;
pub use transport::Transport;
