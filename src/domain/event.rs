//! The kinds of step an item's timeline records.

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// The delegate filed it.
    Submitted,
    /// It entered a body's queue.
    Routed,
    /// The coordinator moved it to another body.
    Rerouted,
    /// A body was asked to coordinate.
    CoordinatingBodyAdded,
    /// A revision of the answer was saved.
    DraftSaved,
    /// The draft went to the approver.
    SentForReview,
    /// The approver approved the draft.
    Approved,
    /// The approver returned the draft.
    Returned,
    /// The coordinator sent an approved answer back for more work.
    SentBack,
    /// The answer was published.
    Published,
    /// The delegate withdrew it.
    Withdrawn,
    /// It was merged into another item.
    Merged,
    /// Another item was merged into it.
    MergeReceived,
    /// Implementation started.
    ImplementationStarted,
    /// Implementation finished.
    ImplementationDone,
    /// The delegate rated the answer.
    SatisfactionGiven,
    /// The answer's mail reached the delegate's mail server.
    AnswerEmailed,
    /// Staff replied to the delegate's satisfaction comment.
    SatisfactionReplied,
    /// Staff asked the delegate for more information; the clock stopped.
    InfoRequested,
    /// The delegate gave the information asked for; the clock restarted.
    InfoProvided,
    /// Staff restarted the clock without waiting for the delegate.
    ClockResumed,
    /// The lead body asked for a later due date.
    ExtensionRequested,
    /// A coordinator granted more time: the answer's due date moved.
    ExtensionGranted,
    /// A coordinator refused more time.
    ExtensionRefused,
    /// Overdue long enough that the head of the lead body is chased too.
    EscalatedToHead,
    /// Overdue long enough that the coordinating body is chased too.
    EscalatedToCoordinators,
    /// The owning body reported progress on one of the answer's commitments.
    CommitmentCheckedIn,
    /// The delegate rated the result (not the answer) once the item was resolved.
    ResultRated,
    /// The lead body asked a body for a contribution to the answer.
    ContributionRequested,
    /// The asked body's contribution went to its approver.
    ContributionSentForApproval,
    /// The asked body's approver approved its contribution.
    ContributionApproved,
    /// The asked body's approver returned its contribution for more work.
    ContributionReturned,
    /// The lead body withdrew its request for a contribution.
    ContributionWithdrawn,
    /// A commitment's terms were corrected (its due date, with the reason, after
    /// publication).
    CommitmentChanged,
    /// An overdue commitment of the item was escalated to its owning body's head.
    CommitmentEscalatedToHead,
    /// An overdue commitment of the item was escalated to the coordinators.
    CommitmentEscalatedToCoordinators,
}

impl EventKind {
    /// Every kind of step.
    pub const ALL: [EventKind; 36] = [
        EventKind::Submitted,
        EventKind::Routed,
        EventKind::Rerouted,
        EventKind::CoordinatingBodyAdded,
        EventKind::DraftSaved,
        EventKind::SentForReview,
        EventKind::Approved,
        EventKind::Returned,
        EventKind::SentBack,
        EventKind::Published,
        EventKind::Withdrawn,
        EventKind::Merged,
        EventKind::MergeReceived,
        EventKind::ImplementationStarted,
        EventKind::ImplementationDone,
        EventKind::SatisfactionGiven,
        EventKind::AnswerEmailed,
        EventKind::SatisfactionReplied,
        EventKind::InfoRequested,
        EventKind::InfoProvided,
        EventKind::ClockResumed,
        EventKind::ExtensionRequested,
        EventKind::ExtensionGranted,
        EventKind::ExtensionRefused,
        EventKind::EscalatedToHead,
        EventKind::EscalatedToCoordinators,
        EventKind::CommitmentCheckedIn,
        EventKind::ResultRated,
        EventKind::ContributionRequested,
        EventKind::ContributionSentForApproval,
        EventKind::ContributionApproved,
        EventKind::ContributionReturned,
        EventKind::ContributionWithdrawn,
        EventKind::CommitmentChanged,
        EventKind::CommitmentEscalatedToHead,
        EventKind::CommitmentEscalatedToCoordinators,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::Routed => "routed",
            EventKind::Rerouted => "rerouted",
            EventKind::CoordinatingBodyAdded => "coordinating_body_added",
            EventKind::DraftSaved => "draft_saved",
            EventKind::SentForReview => "sent_for_review",
            EventKind::Approved => "approved",
            EventKind::Returned => "returned",
            EventKind::SentBack => "sent_back",
            EventKind::Published => "published",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Merged => "merged",
            EventKind::MergeReceived => "merge_received",
            EventKind::ImplementationStarted => "implementation_started",
            EventKind::ImplementationDone => "implementation_done",
            EventKind::SatisfactionGiven => "satisfaction_given",
            EventKind::AnswerEmailed => "answer_emailed",
            EventKind::SatisfactionReplied => "satisfaction_replied",
            EventKind::InfoRequested => "info_requested",
            EventKind::InfoProvided => "info_provided",
            EventKind::ClockResumed => "clock_resumed",
            EventKind::ExtensionRequested => "extension_requested",
            EventKind::ExtensionGranted => "extension_granted",
            EventKind::ExtensionRefused => "extension_refused",
            EventKind::EscalatedToHead => "escalated_to_head",
            EventKind::EscalatedToCoordinators => "escalated_to_coordinators",
            EventKind::CommitmentCheckedIn => "commitment_checked_in",
            EventKind::ResultRated => "result_rated",
            EventKind::ContributionRequested => "contribution_requested",
            EventKind::ContributionSentForApproval => "contribution_sent_for_approval",
            EventKind::ContributionApproved => "contribution_approved",
            EventKind::ContributionReturned => "contribution_returned",
            EventKind::ContributionWithdrawn => "contribution_withdrawn",
            EventKind::CommitmentChanged => "commitment_changed",
            EventKind::CommitmentEscalatedToHead => "commitment_escalated_to_head",
            EventKind::CommitmentEscalatedToCoordinators => "commitment_escalated_to_coordinators",
        }
    }

    /// Whether the delegate sees this step on their item's timeline. Internal
    /// drafting steps stay inside the body.
    pub fn visible_to_delegate(self) -> bool {
        matches!(
            self,
            EventKind::Submitted
                | EventKind::Routed
                | EventKind::Rerouted
                | EventKind::Published
                | EventKind::Withdrawn
                | EventKind::Merged
                | EventKind::ImplementationStarted
                | EventKind::ImplementationDone
                | EventKind::SatisfactionGiven
                | EventKind::CommitmentCheckedIn
                | EventKind::ResultRated
                // The delegate follows the promised dates, not who is chased.
                | EventKind::CommitmentChanged
                | EventKind::AnswerEmailed
                | EventKind::SatisfactionReplied
                // The delegate is the one asked, and is told when the date moves;
                // asking for more time and a refusal stay inside the bodies.
                | EventKind::InfoRequested
                | EventKind::InfoProvided
                | EventKind::ClockResumed
                | EventKind::ExtensionGranted
        )
    }
}
