//! Id newtypes, so that an item id cannot be passed where a user id is wanted.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {
        $(
            #[$doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
            #[serde(transparent)]
            pub struct $name(pub i32);
        )*
    };
}

id_type!(
    /// The id of a proposal or recommendation.
    ItemId,
    /// The id of a user account.
    UserId,
    /// The id of a responsible body.
    BodyId,
    /// The id of a field of the routing table.
    FieldId,
    /// The id of a conference.
    ConferenceId,
);
