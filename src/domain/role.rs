//! Who a user is on the desk, and which body they belong to.

use serde::Serialize;

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
    /// The provincial leadership (Thường trực / Ban Thường vụ Tỉnh ủy): sees
    /// every item, list and report a coordinator sees, and changes nothing.
    Leadership,
}

impl Role {
    /// Every role, in the order shown to administrators.
    pub const ALL: [Role; 6] = [
        Role::Delegate,
        Role::Drafter,
        Role::Approver,
        Role::Coordinator,
        Role::Admin,
        Role::Leadership,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Delegate => "delegate",
            Role::Drafter => "drafter",
            Role::Approver => "approver",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
            Role::Leadership => "leadership",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_roles_need_a_body() {
        assert!(!Role::Delegate.needs_body());
        assert!(!Role::Admin.needs_body());
        assert!(!Role::Leadership.needs_body() && !Role::Leadership.drafts());
        assert!(Role::Drafter.needs_body() && Role::Approver.needs_body());
        assert!(Role::Coordinator.needs_body());
    }
}
