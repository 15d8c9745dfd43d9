//! One item: its page, as each role may see it, and every action taken on it.

pub mod actions;
pub mod clock;
pub mod commitments;
pub mod contributions;
pub mod coordination;
pub mod result;
pub mod show;

pub use actions::{
    add_note, approve, rate, reply_to_satisfaction, return_to_drafting, save_draft,
    send_for_review, withdraw,
};
pub use clock::{ask_info, decide_extension, provide_info, request_extension, resume_clock};
pub use commitments::{add_commitment, remove_commitment};
pub use contributions::{
    approve_contribution, request_contribution, return_contribution, withdraw_contribution,
    write_contribution,
};
pub use coordination::{
    add_coordinating_body, follow_implementation, merge, publish_one, publish_selection, reroute,
    send_back,
};
pub use result::rate_result;
pub use show::{print, show};
