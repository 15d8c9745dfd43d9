//! Plain types and rules of the desk; nothing here knows about HTTP or SQL.

pub mod credentials;
pub mod csv;
pub mod ids;
pub mod import;
pub mod item;
pub mod permissions;
pub mod reference;
pub mod role;
pub mod status;
pub mod text;

pub use ids::{BodyId, ConferenceId, FieldId, ItemId, UserId};
pub use item::Satisfaction;
pub use permissions::{Abilities, Actor, Operation, Relation};
pub use role::Role;
pub use status::{Action, InvalidTransition, ItemStatus};
