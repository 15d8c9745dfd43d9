//! Mails as plain values: why one is sent, and where it stands in the outbox.

use serde::Serialize;

/// Why an email is sent; each has templates under `templates/emails/<name>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailEvent {
    /// Delegate: receipt of a new item, with its reference.
    ItemReceived,
    /// Delegate: the answer is published (its text is in the mail).
    AnswerPublished,
    /// Delegate: the item went to another body.
    ItemRerouted,
    /// Delegate: the item was merged into another.
    ItemMerged,
    /// Delegate: the withdrawal is confirmed.
    ItemWithdrawn,
    /// Delegate: staff replied to their satisfaction comment.
    SatisfactionReply,
    /// Body staff: a new item in the body's queue.
    NewInQueue,
    /// Approver: a draft waits for approval.
    ReviewWaiting,
    /// Drafter: the approver returned the draft.
    DraftReturned,
    /// Body staff: the coordinator sent an approved answer back.
    SentBack,
    /// Body staff: the coordinator asked the body to coordinate on an item.
    CoordinationRequested,
    /// Coordinator: an item needs triage.
    TriageNeeded,
    /// Delegate: the body asks for more information; the clock is paused.
    InfoRequested,
    /// Body staff: the delegate answered the request for information.
    InfoProvided,
    /// Coordinator: the lead body asks for more time.
    ExtensionRequested,
    /// Body staff: the coordinator granted or refused more time.
    ExtensionDecided,
    /// Delegate: the answer's due date moved (an extension was granted).
    DeadlineExtended,
    /// Staff: once a day, the items they hold or are chased for that are due soon
    /// or overdue.
    DeadlineDigest,
    /// Not a mail of its own: the "due soon" lines of the digest, which a user may
    /// turn off (the overdue lines always go).
    DueSoonReminder,
    /// Body staff: their body owns a new commitment or task of the notice.
    CommitmentAssigned,
    /// Delegate: a commitment of the answer is done.
    CommitmentDone,
    /// Delegate: a commitment of the answer cannot be done (with the reason).
    CommitmentBlocked,
    /// Delegate: every commitment is done; the item is resolved.
    ItemResolved,
    /// Body staff: the lead body of an item asks the body for a contribution.
    ContributionRequested,
    /// Lead body staff: an asked body's contribution was approved.
    ContributionApproved,
    /// Delegate: a coordinator moved a commitment's due date (with the reason).
    CommitmentChanged,
    /// A new user: set your password.
    Invitation,
    /// Forgot password: a reset link.
    PasswordReset,
    /// Account: the password was changed or reset (always sent).
    PasswordChanged,
    /// Account: the second factor was enrolled or reset (always sent).
    SecondFactorChanged,
    /// `dialogue-desk mail test`.
    Test,
}

impl MailEvent {
    /// Every event.
    pub const ALL: [MailEvent; 31] = [
        MailEvent::ItemReceived,
        MailEvent::AnswerPublished,
        MailEvent::ItemRerouted,
        MailEvent::ItemMerged,
        MailEvent::ItemWithdrawn,
        MailEvent::SatisfactionReply,
        MailEvent::NewInQueue,
        MailEvent::ReviewWaiting,
        MailEvent::DraftReturned,
        MailEvent::SentBack,
        MailEvent::CoordinationRequested,
        MailEvent::TriageNeeded,
        MailEvent::InfoRequested,
        MailEvent::InfoProvided,
        MailEvent::ExtensionRequested,
        MailEvent::ExtensionDecided,
        MailEvent::DeadlineExtended,
        MailEvent::DeadlineDigest,
        MailEvent::DueSoonReminder,
        MailEvent::CommitmentAssigned,
        MailEvent::CommitmentDone,
        MailEvent::CommitmentBlocked,
        MailEvent::ItemResolved,
        MailEvent::ContributionRequested,
        MailEvent::ContributionApproved,
        MailEvent::CommitmentChanged,
        MailEvent::Invitation,
        MailEvent::PasswordReset,
        MailEvent::PasswordChanged,
        MailEvent::SecondFactorChanged,
        MailEvent::Test,
    ];

    /// The stable name, stored and used as the template folder.
    pub fn as_str(self) -> &'static str {
        match self {
            MailEvent::ItemReceived => "item_received",
            MailEvent::AnswerPublished => "answer_published",
            MailEvent::ItemRerouted => "item_rerouted",
            MailEvent::ItemMerged => "item_merged",
            MailEvent::ItemWithdrawn => "item_withdrawn",
            MailEvent::SatisfactionReply => "satisfaction_reply",
            MailEvent::NewInQueue => "new_in_queue",
            MailEvent::ReviewWaiting => "review_waiting",
            MailEvent::DraftReturned => "draft_returned",
            MailEvent::SentBack => "sent_back",
            MailEvent::CoordinationRequested => "coordination_requested",
            MailEvent::TriageNeeded => "triage_needed",
            MailEvent::InfoRequested => "info_requested",
            MailEvent::InfoProvided => "info_provided",
            MailEvent::ExtensionRequested => "extension_requested",
            MailEvent::ExtensionDecided => "extension_decided",
            MailEvent::DeadlineExtended => "deadline_extended",
            MailEvent::DeadlineDigest => "deadline_digest",
            MailEvent::DueSoonReminder => "due_soon_reminder",
            MailEvent::CommitmentAssigned => "commitment_assigned",
            MailEvent::CommitmentDone => "commitment_done",
            MailEvent::CommitmentBlocked => "commitment_blocked",
            MailEvent::ItemResolved => "item_resolved",
            MailEvent::ContributionRequested => "contribution_requested",
            MailEvent::ContributionApproved => "contribution_approved",
            MailEvent::CommitmentChanged => "commitment_changed",
            MailEvent::Invitation => "invitation",
            MailEvent::PasswordReset => "password_reset",
            MailEvent::PasswordChanged => "password_changed",
            MailEvent::SecondFactorChanged => "second_factor_changed",
            MailEvent::Test => "test",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<MailEvent> {
        name.parse().ok()
    }

    /// The staff notices, which a user may turn off one by one.
    pub const STAFF_NOTICES: [MailEvent; 13] = [
        MailEvent::NewInQueue,
        MailEvent::ReviewWaiting,
        MailEvent::DraftReturned,
        MailEvent::SentBack,
        MailEvent::CoordinationRequested,
        MailEvent::TriageNeeded,
        MailEvent::InfoProvided,
        MailEvent::ExtensionRequested,
        MailEvent::ExtensionDecided,
        MailEvent::DueSoonReminder,
        MailEvent::CommitmentAssigned,
        MailEvent::ContributionRequested,
        MailEvent::ContributionApproved,
    ];

    /// Staff notices a user may turn off; the delegate's mails and account mails
    /// always go.
    pub fn is_staff_notice(self) -> bool {
        MailEvent::STAFF_NOTICES.contains(&self)
    }
}

/// A change to an account that its owner is always told about by mail, so a
/// stranger's change does not go unnoticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    /// The user changed their password on the account page.
    PasswordChanged,
    /// The password was set anew through a reset link.
    PasswordReset,
    /// The user enrolled a (new) second factor.
    SecondFactorEnrolled,
    /// An administrator removed the user's second factor.
    SecondFactorReset,
}

impl AccountChange {
    /// The mail that tells of it.
    pub fn mail_event(self) -> MailEvent {
        match self {
            AccountChange::PasswordChanged | AccountChange::PasswordReset => {
                MailEvent::PasswordChanged
            }
            AccountChange::SecondFactorEnrolled | AccountChange::SecondFactorReset => {
                MailEvent::SecondFactorChanged
            }
        }
    }

    /// How it happened, as the mail's templates read it (`payload.change`).
    pub fn detail(self) -> &'static str {
        match self {
            AccountChange::PasswordChanged => "changed",
            AccountChange::SecondFactorEnrolled => "enrolled",
            AccountChange::PasswordReset | AccountChange::SecondFactorReset => "reset",
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its first try.
    Queued,
    /// Claimed by a worker, being sent.
    Sending,
    /// Accepted by the mail server.
    Sent,
    /// A try failed for a passing reason; another is scheduled.
    Retrying,
    /// Refused for good, or out of tries; an administrator may resend it.
    Failed,
}

impl MailStatus {
    /// Every status, for filters.
    pub const ALL: [MailStatus; 5] = [
        MailStatus::Queued,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Retrying,
        MailStatus::Failed,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Retrying => "retrying",
            MailStatus::Failed => "failed",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<MailStatus> {
        name.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staff_notice_can_be_muted_and_no_other_mail_can() {
        for event in MailEvent::ALL {
            assert_eq!(
                event.is_staff_notice(),
                MailEvent::STAFF_NOTICES.contains(&event),
                "{event:?}"
            );
        }
    }
}
