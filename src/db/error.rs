//! What went wrong in storage or in a workflow step, said in storage's own terms.
//! The web ring (`crate::error`) alone turns it into a status and a text.

/// Why a change to an item (or another record) was refused because of the state
/// it found: someone else acted first, or the request does not fit the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConflictKind {
    /// The item's state does not allow the step (anymore).
    #[error("the item's state does not allow this step")]
    Transition,
    /// The conference takes no submissions now.
    #[error("the conference is closed for submissions")]
    ConferenceClosed,
    /// The item already sits with that body.
    #[error("the item already sits with that body")]
    SameBody,
    /// There is no draft to review or approve.
    #[error("there is no draft")]
    NoDraft,
    /// Nobody approves a draft they wrote.
    #[error("the approver wrote the draft")]
    OwnDraft,
    /// Nobody approves a draft cycle in which they wrote a revision, even if
    /// someone else wrote the latest.
    #[error("the approver wrote a revision of this draft cycle")]
    EditedThisCycle,
    /// An item cannot be merged into itself.
    #[error("an item cannot be merged into itself")]
    MergeSelf,
    /// The merge target is closed.
    #[error("the merge target is closed")]
    MergeTarget,
    /// The delegate has given no satisfaction to reply to.
    #[error("no satisfaction to reply to")]
    NoSatisfaction,
    /// Another conference already uses that reference prefix.
    #[error("the reference prefix is taken")]
    PrefixTaken,
    /// The item already has a request for more time waiting for a decision.
    #[error("an extension request is already pending")]
    ExtensionPending,
    /// The request for more time was decided already (or is not pending).
    #[error("the extension request was already decided")]
    ExtensionDecided,
    /// The clock is not (or no longer) paused, or already paused.
    #[error("the clock is not in the state this step needs")]
    ClockState,
    /// The commitment or task is closed (done, or found impossible): no more
    /// check-ins.
    #[error("the commitment is closed")]
    CommitmentClosed,
    /// The result can be rated only once the item is resolved.
    #[error("the item is not resolved")]
    NotResolved,
    /// The draft has no outcome chosen, so it cannot go to review.
    #[error("the draft has no outcome")]
    NoOutcome,
    /// An accepted answer needs at least one commitment.
    #[error("an accepted answer has no commitment")]
    NoCommitment,
    /// Only an accepted answer carries commitments.
    #[error("this outcome carries no commitments")]
    CommitmentsNotAllowed,
    /// The commitment was removed already.
    #[error("the commitment is gone")]
    CommitmentGone,
    /// The form was filled in from an older version of the record (someone saved
    /// a change since): optimistic locking.
    #[error("the record changed since the form was opened")]
    StaleForm,
}

/// The storage ring's error: what went wrong, with no HTTP in it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or is outside the actor's scope.
    #[error("not found")]
    NotFound,
    /// The actor sees the record but may not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// The data's present state refuses the change.
    #[error("conflict: {0}")]
    Conflict(ConflictKind),
    /// The database failed, or a row held a value the code does not know.
    #[error("database error")]
    Database(#[from] diesel::result::Error),
}

/// An error type that may carry a database error: what `write_transaction` needs to
/// recognise a lost race (and retry) or a duplicate.
pub trait DatabaseFailure: From<diesel::result::Error> {
    /// The database error inside, if this is one.
    fn database_error(&self) -> Option<&diesel::result::Error>;
}

impl DatabaseFailure for StoreError {
    fn database_error(&self) -> Option<&diesel::result::Error> {
        match self {
            StoreError::Database(error) => Some(error),
            _ => None,
        }
    }
}

impl DatabaseFailure for diesel::result::Error {
    fn database_error(&self) -> Option<&diesel::result::Error> {
        Some(self)
    }
}
