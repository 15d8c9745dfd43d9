//! Plain types and rules of the desk; nothing here knows about HTTP or SQL.

pub mod browser;
pub mod calendar;
pub mod chart;
pub mod contribution;
pub mod credentials;
pub mod csv;
pub mod deadlines;
pub mod digest;
pub mod event;
pub mod follow_up;
pub mod ids;
pub mod import;
pub mod item;
pub mod lang;
pub mod mail;
pub mod names;
pub mod period;
pub mod permissions;
pub mod reference;
pub mod role;
pub mod status;
pub mod table;
pub mod text;
pub mod token;

pub use event::EventKind;
pub use ids::{BodyId, ConferenceId, FieldId, ItemId, UserId};
pub use item::Satisfaction;
pub use lang::Lang;
pub use mail::{AccountChange, MailEvent, MailStatus};
pub use names::UnknownName;
pub use permissions::{Abilities, Actor, ClockAbilities, Operation, Relation};
pub use reference::{PrefixProblem, ReferencePrefix};
pub use role::Role;
pub use status::{Action, InvalidTransition, ItemStatus};
pub use token::TokenPurpose;
