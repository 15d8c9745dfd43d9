//! Every change to an item, each one database transaction: load the item within
//! the actor's scope, check the permission and the state move, write the change,
//! its timeline entry and the mails it causes together. One file per area.

mod access;
mod answer_commitments;
mod clock;
mod contributions;
mod delegate;
mod drafting;
mod extensions;
mod follow_up;
mod notices;
mod publication;
mod submit;
mod triage;

pub use access::{load_for, relation};
pub use answer_commitments::{
    add_commitment, edit_commitment, edit_mode, remove_commitment, CommitmentChanges, EditMode,
};
pub use clock::{ask_info, clock_view, provide_info, resume_clock, ClockView, PauseLine};
pub use contributions::{
    accepts_contributions, accepts_requests, approve_contribution, contribution_panel,
    request_contribution, return_contribution, withdraw_contribution, write_contribution,
    ContributionDue, ContributionPanel, RequestProblem,
};
pub use delegate::{rate, withdraw};
pub use drafting::{
    approve, return_to_drafting, save_draft, save_draft_and_send_for_review, send_for_review,
};
pub use extensions::{
    check_date, grant_extension, refuse_extension, request_extension, DateProblem,
};
pub use follow_up::{
    answering_item, check_in, commitment_view, rate_result, reports_on, CheckedIn, CommitmentView,
    Report,
};
pub use publication::{
    follow_implementation, publish, reply_to_satisfaction, send_back, PublishedItem,
};
pub use submit::{submit, Submission, Submitted};
pub use triage::{add_coordinating_body, add_note, merge, reroute};
