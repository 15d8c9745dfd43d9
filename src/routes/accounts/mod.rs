//! Accounts by email: invitations and password resets (links that work once),
//! the forgotten-password form, and the bulk invitation of delegates from CSV.

pub mod forgot;
pub mod import;
pub mod links;

pub use forgot::{forgot, forgot_form};
pub use import::{import, import_form};
pub use links::{accept_invite, invite_form, reset_form, reset_password, unusable_password_hash};
