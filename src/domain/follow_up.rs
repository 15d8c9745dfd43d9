//! From answer to result: how an answer is classified, and how far a commitment
//! (or a task of the conference's notice) has got.

use chrono::NaiveDate;
use serde::Serialize;
use std::str::FromStr;

use super::UnknownName;

/// How the answer disposes of the item; drafted with the answer and approved with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Accepted: it will be acted on (the answer carries commitments).
    Accepted,
    /// Explained or clarified; no action is needed.
    Explained,
    /// Not accepted, with the reason.
    NotAccepted,
    /// Beyond the province's authority: forwarded to a named higher body.
    Forwarded,
    /// Answered at the conference itself.
    AnsweredAtConference,
}

impl Outcome {
    /// Every outcome, in the order forms offer them.
    pub const ALL: [Outcome; 5] = [
        Outcome::Accepted,
        Outcome::Explained,
        Outcome::NotAccepted,
        Outcome::Forwarded,
        Outcome::AnsweredAtConference,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Explained => "explained",
            Outcome::NotAccepted => "not_accepted",
            Outcome::Forwarded => "forwarded",
            Outcome::AnsweredAtConference => "answered_at_conference",
        }
    }

    /// Whether the answer promises action, followed through commitments.
    pub fn takes_action(self) -> bool {
        self == Outcome::Accepted
    }

    /// Whether publishing an answer with this outcome resolves the item at once.
    /// An explanation, or an answer already given at the conference, asks nothing
    /// more of anyone; an accepted answer is resolved by its commitments later;
    /// an answer not accepted or forwarded is answered, but the desk never calls
    /// it resolved (the matter stays open elsewhere).
    pub fn resolved_at_publication(self) -> bool {
        matches!(self, Outcome::Explained | Outcome::AnsweredAtConference)
    }
}

impl FromStr for Outcome {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Outcome, UnknownName> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == text)
            .ok_or_else(|| UnknownName::new("outcome", text))
    }
}

/// Where an item stands between answer and result, as lists filter it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The answer is published.
    Answered,
    /// The item is resolved (nothing more is owed).
    Resolved,
    /// The answer is published but the item is not resolved.
    AnsweredNotResolved,
}

impl Resolution {
    /// Every choice, in the order the list filter offers them.
    pub const ALL: [Resolution; 3] = [
        Resolution::Answered,
        Resolution::Resolved,
        Resolution::AnsweredNotResolved,
    ];

    /// The name used in the query string and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Answered => "answered",
            Resolution::Resolved => "resolved",
            Resolution::AnsweredNotResolved => "answered_not_resolved",
        }
    }

    /// The choice named `text`, if any.
    pub fn parse(text: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// When a commitment is due: a number of working days after its clock starts
/// (the answer's publication), or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitmentDue {
    /// This many working days (1..=1000) after publication.
    WorkingDays(u32),
    /// By the close of this office day.
    On(NaiveDate),
}

/// The longest a commitment may be given, in working days (about four years).
pub const MAX_COMMITMENT_WORKING_DAYS: u32 = 1000;

/// A commitment as the drafter writes it with the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentPlan {
    /// What will be done.
    pub description: String,
    /// The owning body's id.
    pub owner_body: i32,
    /// When it is due.
    pub due: CommitmentDue,
    /// The document it will issue, if planned (may be empty).
    pub planned_document: String,
}

/// How far a commitment or a task has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Nothing reported yet.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Done,
    /// It cannot be done (the reason is in the check-in).
    CannotBeDone,
}

impl Progress {
    /// Every state, in the order forms offer them.
    pub const ALL: [Progress; 4] = [
        Progress::NotStarted,
        Progress::InProgress,
        Progress::Done,
        Progress::CannotBeDone,
    ];

    /// The stable name stored in the database and the locale key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::NotStarted => "not_started",
            Progress::InProgress => "in_progress",
            Progress::Done => "done",
            Progress::CannotBeDone => "cannot_be_done",
        }
    }

    /// Whether the commitment is closed (nothing more will happen to it).
    pub fn is_closed(self) -> bool {
        matches!(self, Progress::Done | Progress::CannotBeDone)
    }
}

impl FromStr for Progress {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Progress, UnknownName> {
        Progress::ALL
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| UnknownName::new("progress", text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_and_unknown_ones_are_refused() {
        for outcome in Outcome::ALL {
            assert_eq!(outcome.as_str().parse::<Outcome>(), Ok(outcome));
        }
        for progress in Progress::ALL {
            assert_eq!(progress.as_str().parse::<Progress>(), Ok(progress));
        }
        assert!("maybe".parse::<Outcome>().is_err());
        assert!("half_done".parse::<Progress>().is_err());
    }

    #[test]
    fn only_an_accepted_answer_takes_action_and_two_states_close_a_commitment() {
        assert!(Outcome::Accepted.takes_action());
        assert!(!Outcome::Forwarded.takes_action());
        assert!(Progress::Done.is_closed());
        assert!(Progress::CannotBeDone.is_closed());
        assert!(!Progress::InProgress.is_closed());
    }

    #[test]
    fn only_an_explanation_or_an_answer_at_the_conference_resolves_at_publication() {
        let resolved: Vec<Outcome> = Outcome::ALL
            .into_iter()
            .filter(|o| o.resolved_at_publication())
            .collect();
        assert_eq!(
            resolved,
            vec![Outcome::Explained, Outcome::AnsweredAtConference]
        );
    }
}
