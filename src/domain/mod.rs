//! Plain types and rules of the desk; nothing here knows about HTTP or SQL.

pub mod calendar;
pub mod credentials;
pub mod csv;
pub mod ids;
pub mod import;
pub mod item;
pub mod lang;
pub mod mail;
pub mod permissions;
pub mod reference;
pub mod role;
pub mod status;
pub mod text;
pub mod token;

pub use ids::{BodyId, ConferenceId, FieldId, ItemId, UserId};
pub use item::Satisfaction;
pub use lang::Lang;
pub use mail::{MailEvent, MailStatus};
pub use permissions::{Abilities, Actor, Operation, Relation};
pub use reference::{PrefixProblem, ReferencePrefix};
pub use role::Role;
pub use status::{Action, InvalidTransition, ItemStatus};
pub use token::TokenPurpose;

/// A stored name that is none of a type's values (a row written by other code, or
/// by hand): refused, never read as a default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownName {
    /// What was being read, such as "mail event".
    pub kind: &'static str,
    /// The text found.
    pub value: String,
}

impl UnknownName {
    /// The error for `value` read as a `kind`.
    pub fn new(kind: &'static str, value: &str) -> UnknownName {
        UnknownName {
            kind,
            value: value.to_owned(),
        }
    }
}
