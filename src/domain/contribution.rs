//! Where a contribution asked of a body stands (issue 10).

use serde::Serialize;
use std::str::FromStr;

use super::UnknownName;

/// Where a contribution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionState {
    /// Asked; the asked body drafts (or redrafts after a return).
    Requested,
    /// Sent to the asked body's approver.
    InReview,
    /// Approved: frozen, and shown beside the lead body's draft.
    Approved,
    /// The lead body withdrew the request.
    Withdrawn,
}

impl ContributionState {
    /// Every state.
    pub const ALL: [ContributionState; 4] = [
        ContributionState::Requested,
        ContributionState::InReview,
        ContributionState::Approved,
        ContributionState::Withdrawn,
    ];

    /// The states still owed by the asked body.
    pub const OPEN: [ContributionState; 2] =
        [ContributionState::Requested, ContributionState::InReview];

    /// The stored name (the column's CHECK list), also the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionState::Requested => "requested",
            ContributionState::InReview => "in_review",
            ContributionState::Approved => "approved",
            ContributionState::Withdrawn => "withdrawn",
        }
    }

    /// Still owed by the asked body: it counts for the digest and blocks a second
    /// request to the same body.
    pub fn is_open(self) -> bool {
        ContributionState::OPEN.contains(&self)
    }
}

impl FromStr for ContributionState {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<ContributionState, UnknownName> {
        ContributionState::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownName::new("contribution state", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_and_unknown_ones_are_refused() {
        for state in ContributionState::ALL {
            assert_eq!(state.as_str().parse::<ContributionState>(), Ok(state));
        }
        assert!("draft".parse::<ContributionState>().is_err());
        assert!(ContributionState::InReview.is_open());
        assert!(!ContributionState::Approved.is_open());
    }
}
