//! The life of an item: its states and the only moves allowed between them.

use serde::Serialize;
use std::fmt;

/// Where an item stands in its life, from submission to implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Filed by a delegate, not yet in a body's queue (no lead body for its field).
    Submitted,
    /// In the lead body's queue; nobody has drafted yet.
    Routed,
    /// The lead body is writing the answer.
    Drafting,
    /// A draft waits for the body's approver.
    InReview,
    /// The approver approved the draft; it waits for the coordinator to publish.
    Approved,
    /// The answer is public to the delegate.
    Published,
    /// Implementation of the answer is under way.
    InProgress,
    /// Implementation is finished.
    Done,
    /// The delegate took the item back before drafting began.
    Withdrawn,
    /// Folded into another item whose answer serves both.
    Merged,
}

/// Something a person does to an item that may change its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Put an unrouted item into a body's queue.
    Route,
    /// Move an item to another lead body.
    Reroute,
    /// Save a revision of the answer.
    SaveDraft,
    /// Hand the latest draft to the approver.
    SendForReview,
    /// Accept the draft as the body's answer.
    Approve,
    /// Give the draft back to the drafters with a comment.
    ReturnToDrafting,
    /// The coordinator asks the body to rework an approved answer.
    SendBack,
    /// Make the approved answer public to the delegate.
    Publish,
    /// The delegate takes the item back.
    Withdraw,
    /// Fold the item into another one.
    Merge,
    /// Record that implementation has started.
    StartImplementation,
    /// Record that implementation is complete.
    CompleteImplementation,
}

/// A move the item's life does not allow from its present state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not allowed while the item is {from}")]
pub struct InvalidTransition {
    /// The state the item was in.
    pub from: ItemStatus,
    /// The move that was refused.
    pub action: Action,
}

impl ItemStatus {
    /// Every state, in the order of an item's life.
    pub const ALL: [ItemStatus; 10] = [
        ItemStatus::Submitted,
        ItemStatus::Routed,
        ItemStatus::Drafting,
        ItemStatus::InReview,
        ItemStatus::Approved,
        ItemStatus::Published,
        ItemStatus::InProgress,
        ItemStatus::Done,
        ItemStatus::Withdrawn,
        ItemStatus::Merged,
    ];

    /// The state after `action`, or why the action is refused now.
    pub fn apply(self, action: Action) -> Result<ItemStatus, InvalidTransition> {
        use Action as A;
        use ItemStatus as S;
        let next = match (self, action) {
            (S::Submitted, A::Route) => S::Routed,
            (S::Submitted | S::Routed | S::Drafting | S::InReview, A::Reroute) => S::Routed,
            // Editing an approved answer voids the approval: it must be reviewed again.
            (S::Routed | S::Drafting | S::Approved, A::SaveDraft) => S::Drafting,
            (S::Drafting, A::SendForReview) => S::InReview,
            (S::InReview, A::Approve) => S::Approved,
            (S::InReview, A::ReturnToDrafting) => S::Drafting,
            (S::Approved, A::SendBack) => S::Drafting,
            (S::Approved, A::Publish) => S::Published,
            (S::Submitted | S::Routed, A::Withdraw) => S::Withdrawn,
            (S::Submitted | S::Routed | S::Drafting | S::InReview | S::Approved, A::Merge) => {
                S::Merged
            }
            (S::Published, A::StartImplementation) => S::InProgress,
            (S::Published | S::InProgress, A::CompleteImplementation) => S::Done,
            (from, action) => return Err(InvalidTransition { from, action }),
        };
        Ok(next)
    }

    /// Whether `action` is allowed from this state.
    pub fn allows(self, action: Action) -> bool {
        self.apply(action).is_ok()
    }

    /// Whether the published answer exists and is visible to the delegate, who may
    /// then say how satisfied they are with it.
    pub fn is_answered(self) -> bool {
        matches!(
            self,
            ItemStatus::Published | ItemStatus::InProgress | ItemStatus::Done
        )
    }

    /// Whether the item can still be worked on (not closed by withdrawal or merger).
    pub fn is_open(self) -> bool {
        !matches!(self, ItemStatus::Withdrawn | ItemStatus::Merged)
    }

    /// Whether a response is still owed, so a passed deadline makes it overdue.
    pub fn awaits_answer(self) -> bool {
        matches!(
            self,
            ItemStatus::Submitted
                | ItemStatus::Routed
                | ItemStatus::Drafting
                | ItemStatus::InReview
                | ItemStatus::Approved
        )
    }

    /// The stable name stored in the database and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Submitted => "submitted",
            ItemStatus::Routed => "routed",
            ItemStatus::Drafting => "drafting",
            ItemStatus::InReview => "in_review",
            ItemStatus::Approved => "approved",
            ItemStatus::Published => "published",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::Withdrawn => "withdrawn",
            ItemStatus::Merged => "merged",
        }
    }
}

impl fmt::Display for ItemStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use ItemStatus as S;

    const ACTIONS: [Action; 12] = [
        A::Route,
        A::Reroute,
        A::SaveDraft,
        A::SendForReview,
        A::Approve,
        A::ReturnToDrafting,
        A::SendBack,
        A::Publish,
        A::Withdraw,
        A::Merge,
        A::StartImplementation,
        A::CompleteImplementation,
    ];

    /// The whole table of allowed moves; anything not listed must be refused.
    const ALLOWED: &[(ItemStatus, Action, ItemStatus)] = &[
        (S::Submitted, A::Route, S::Routed),
        (S::Submitted, A::Reroute, S::Routed),
        (S::Routed, A::Reroute, S::Routed),
        (S::Drafting, A::Reroute, S::Routed),
        (S::InReview, A::Reroute, S::Routed),
        (S::Routed, A::SaveDraft, S::Drafting),
        (S::Drafting, A::SaveDraft, S::Drafting),
        (S::Approved, A::SaveDraft, S::Drafting),
        (S::Drafting, A::SendForReview, S::InReview),
        (S::InReview, A::Approve, S::Approved),
        (S::InReview, A::ReturnToDrafting, S::Drafting),
        (S::Approved, A::SendBack, S::Drafting),
        (S::Approved, A::Publish, S::Published),
        (S::Submitted, A::Withdraw, S::Withdrawn),
        (S::Routed, A::Withdraw, S::Withdrawn),
        (S::Submitted, A::Merge, S::Merged),
        (S::Routed, A::Merge, S::Merged),
        (S::Drafting, A::Merge, S::Merged),
        (S::InReview, A::Merge, S::Merged),
        (S::Approved, A::Merge, S::Merged),
        (S::Published, A::StartImplementation, S::InProgress),
        (S::Published, A::CompleteImplementation, S::Done),
        (S::InProgress, A::CompleteImplementation, S::Done),
    ];

    #[test]
    fn every_listed_move_is_allowed_and_lands_where_expected() {
        for &(from, action, to) in ALLOWED {
            assert_eq!(from.apply(action), Ok(to), "{from} + {action:?}");
        }
    }

    #[test]
    fn every_move_not_listed_is_refused() {
        for from in ItemStatus::ALL {
            for action in ACTIONS {
                let listed = ALLOWED.iter().any(|&(f, a, _)| f == from && a == action);
                if !listed {
                    assert_eq!(
                        from.apply(action),
                        Err(InvalidTransition { from, action }),
                        "{from} + {action:?} should be refused"
                    );
                }
            }
        }
    }

    #[test]
    fn closed_items_accept_no_move_at_all() {
        for closed in [S::Withdrawn, S::Merged, S::Done] {
            for action in ACTIONS {
                assert!(!closed.allows(action), "{closed} + {action:?}");
            }
        }
    }

    #[test]
    fn a_delegate_can_withdraw_only_before_drafting_starts() {
        assert!(S::Submitted.allows(A::Withdraw));
        assert!(S::Routed.allows(A::Withdraw));
        assert!(!S::Drafting.allows(A::Withdraw));
        assert!(!S::Published.allows(A::Withdraw));
    }

    #[test]
    fn satisfaction_is_asked_only_once_the_answer_is_public() {
        let accepting: Vec<_> = ItemStatus::ALL
            .into_iter()
            .filter(|s| s.is_answered())
            .collect();
        assert_eq!(accepting, vec![S::Published, S::InProgress, S::Done]);
    }
}
