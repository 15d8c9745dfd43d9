//! Who a user is on the desk, and which body they belong to.

use serde::Serialize;
use std::str::FromStr;

/// A user's role. Staff roles (drafter, approver, coordinator) always belong to a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Files proposals and sees only their own.
    Delegate,
    /// Drafts answers for their own body.
    Drafter,
    /// Approves or returns their own body's drafts (and may draft too).
    Approver,
    /// Sees everything; routes, publishes and follows implementation.
    Coordinator,
    /// Manages users, bodies, fields, routing and conferences.
    Admin,
}

impl Role {
    /// Every role, in the order shown to administrators.
    pub const ALL: [Role; 5] = [
        Role::Delegate,
        Role::Drafter,
        Role::Approver,
        Role::Coordinator,
        Role::Admin,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Delegate => "delegate",
            Role::Drafter => "drafter",
            Role::Approver => "approver",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Whether the role works inside a body and so must have one.
    pub fn needs_body(self) -> bool {
        matches!(self, Role::Drafter | Role::Approver | Role::Coordinator)
    }

    /// Whether the role writes answers for its body's items.
    pub fn drafts(self) -> bool {
        matches!(self, Role::Drafter | Role::Approver)
    }
}

/// A role name that is not one of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip_and_unknown_names_are_refused() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("superuser".parse::<Role>().is_err());
    }

    #[test]
    fn only_staff_roles_need_a_body() {
        assert!(!Role::Delegate.needs_body());
        assert!(!Role::Admin.needs_body());
        assert!(Role::Drafter.needs_body() && Role::Approver.needs_body());
        assert!(Role::Coordinator.needs_body());
    }
}
