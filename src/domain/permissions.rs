//! Who may do what to an item: deny by default, decided from the person's role and
//! how they stand to the item (owner, lead body, coordinating body).

use serde::Serialize;

use super::{Action, BodyId, ItemStatus, Role, UserId};

/// The person acting: their id, role and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user's id.
    pub user: UserId,
    /// The user's role.
    pub role: Role,
    /// The user's body, for staff.
    pub body: Option<BodyId>,
}

/// How an actor stands to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Relation {
    /// The actor filed it.
    pub owner: bool,
    /// The actor's body leads the answer.
    pub lead_body: bool,
    /// The actor's body was asked to coordinate.
    pub coordinating_body: bool,
    /// The actor's body was asked for a contribution to the answer (issue 10):
    /// it sees the item read-only and works on its own contribution.
    pub contributing_body: bool,
}

/// Something a person may try to do to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// See the item at all.
    View,
    /// Take it back before drafting.
    Withdraw,
    /// Say how satisfied they are with the answer.
    Rate,
    /// Write an internal note.
    AddNote,
    /// Write or revise the answer, and send it for review.
    Draft,
    /// Approve or return a draft.
    Review,
    /// Route or re-route the item, add coordinating bodies, merge it.
    Triage,
    /// Send an approved answer back, publish it.
    Publish,
    /// Record implementation progress.
    FollowImplementation,
    /// Ask the delegate for more information (pausing the clock), or restart it.
    AskInfo,
    /// Give the information the body asked for.
    ProvideInfo,
    /// Ask for a later due date for the answer.
    RequestExtension,
    /// Grant or refuse a later due date.
    DecideExtension,
    /// Ask a coordinating body or one of the lead body's units for a contribution,
    /// or withdraw the request.
    RequestContribution,
    /// Write the asked body's contribution and send it for approval.
    Contribute,
    /// Approve or return the asked body's contribution.
    ApproveContribution,
}

impl Operation {
    /// Every operation, for exhaustive tests.
    pub const ALL: [Operation; 16] = [
        Operation::View,
        Operation::Withdraw,
        Operation::Rate,
        Operation::AddNote,
        Operation::Draft,
        Operation::Review,
        Operation::Triage,
        Operation::Publish,
        Operation::FollowImplementation,
        Operation::AskInfo,
        Operation::ProvideInfo,
        Operation::RequestExtension,
        Operation::DecideExtension,
        Operation::RequestContribution,
        Operation::Contribute,
        Operation::ApproveContribution,
    ];
}

impl Actor {
    /// Whether this actor may perform `operation` on an item they stand to as
    /// `relation`. Anything not granted here is refused.
    pub fn may(&self, operation: Operation, relation: Relation) -> bool {
        use Operation as Op;
        let staff_of_item = relation.lead_body || relation.coordinating_body;
        match self.role {
            Role::Delegate => {
                relation.owner
                    && matches!(
                        operation,
                        Op::View | Op::Withdraw | Op::Rate | Op::ProvideInfo
                    )
            }
            Role::Drafter => match operation {
                Op::View => staff_of_item || relation.contributing_body,
                Op::AddNote => staff_of_item,
                Op::Draft | Op::AskInfo | Op::RequestExtension | Op::RequestContribution => {
                    relation.lead_body
                }
                Op::Contribute => relation.contributing_body,
                _ => false,
            },
            Role::Approver => match operation {
                Op::View => staff_of_item || relation.contributing_body,
                Op::AddNote => staff_of_item,
                Op::Draft
                | Op::Review
                | Op::AskInfo
                | Op::RequestExtension
                | Op::RequestContribution => relation.lead_body,
                Op::Contribute | Op::ApproveContribution => relation.contributing_body,
                _ => false,
            },
            Role::Coordinator => matches!(
                operation,
                Op::View
                    | Op::AddNote
                    | Op::Triage
                    | Op::Publish
                    | Op::FollowImplementation
                    | Op::AskInfo
                    | Op::DecideExtension
            ),
            Role::Admin => false,
            // Read only: it sees every item (the scope gives it all of them) and
            // may do nothing to any.
            Role::Leadership => operation == Op::View,
        }
    }
}

/// What each button of an item's page may do, decided on the server from who is
/// asking, how they stand to the item and the item's state: a button shows only
/// when the action would be allowed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Abilities {
    /// Take the item back.
    pub withdraw: bool,
    /// Say how satisfied one is with the published answer.
    pub rate: bool,
    /// Write an internal note.
    pub note: bool,
    /// Save a draft of the answer.
    pub draft: bool,
    /// Send the latest draft for review.
    pub send_for_review: bool,
    /// Approve or return the latest draft.
    pub review: bool,
    /// Route, re-route, add coordinating bodies, merge.
    pub triage: bool,
    /// Send an approved answer back to its body.
    pub send_back: bool,
    /// Publish the approved answer.
    pub publish: bool,
    /// Record implementation progress.
    pub follow: bool,
}

impl Abilities {
    /// The abilities of `actor`, standing to an item as `relation`, on an item in
    /// `status` whose latest draft (if any) was written by `latest_draft_author`,
    /// and whose current draft cycle has revisions by `cycle_authors`. Nobody
    /// approves a draft cycle they wrote any revision of (four eyes).
    pub fn of(
        actor: &Actor,
        relation: Relation,
        status: ItemStatus,
        latest_draft_author: Option<UserId>,
        cycle_authors: &[UserId],
    ) -> Abilities {
        let may = |op| actor.may(op, relation);
        Abilities {
            withdraw: may(Operation::Withdraw) && status.allows(Action::Withdraw),
            rate: may(Operation::Rate) && status.is_answered(),
            note: may(Operation::AddNote),
            draft: may(Operation::Draft) && status.allows(Action::SaveDraft),
            send_for_review: may(Operation::Draft)
                && status.allows(Action::SendForReview)
                && latest_draft_author.is_some(),
            review: may(Operation::Review)
                && status.allows(Action::Approve)
                && latest_draft_author.is_some_and(|author| author != actor.user)
                && !cycle_authors.contains(&actor.user),
            triage: may(Operation::Triage) && status.allows(Action::Reroute),
            send_back: may(Operation::Publish) && status.allows(Action::SendBack),
            publish: may(Operation::Publish) && status.allows(Action::Publish),
            follow: may(Operation::FollowImplementation)
                && (status.allows(Action::StartImplementation)
                    || status.allows(Action::CompleteImplementation)),
        }
    }
}

/// What the clock panel of an item's page may offer: asking the delegate, their
/// answer, restarting the clock, and the extension forms. Kept apart from
/// [`Abilities`] because it depends on the clock's state, not only the item's.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockAbilities {
    /// Ask the delegate for more information (pauses the clock).
    pub ask_info: bool,
    /// Give the information asked for (restarts the clock).
    pub provide_info: bool,
    /// Restart the clock without an answer.
    pub resume: bool,
    /// Ask for a later due date.
    pub request_extension: bool,
    /// Grant or refuse the pending request.
    pub decide_extension: bool,
}

impl ClockAbilities {
    /// The clock abilities of `actor`, standing to an item as `relation`, on an
    /// item that is `owed` an answer (it has a running stage), whose clock is
    /// `paused` or not, and that has a `pending` extension request or not.
    pub fn of(
        actor: &Actor,
        relation: Relation,
        owed: bool,
        paused: bool,
        pending: bool,
    ) -> ClockAbilities {
        let may = |op| actor.may(op, relation);
        ClockAbilities {
            ask_info: may(Operation::AskInfo) && owed && !paused,
            provide_info: may(Operation::ProvideInfo) && owed && paused,
            resume: may(Operation::AskInfo) && owed && paused,
            request_extension: may(Operation::RequestExtension) && owed && !pending,
            decide_extension: may(Operation::DecideExtension) && owed && pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Operation as Op;

    fn actor(role: Role) -> Actor {
        Actor {
            user: UserId(1),
            role,
            body: role.needs_body().then_some(BodyId(1)),
        }
    }

    const OWNER: Relation = Relation {
        owner: true,
        lead_body: false,
        coordinating_body: false,
        contributing_body: false,
    };
    const LEAD: Relation = Relation {
        owner: false,
        lead_body: true,
        coordinating_body: false,
        contributing_body: false,
    };
    const COORDINATING: Relation = Relation {
        owner: false,
        lead_body: false,
        coordinating_body: true,
        contributing_body: false,
    };
    const STRANGER: Relation = Relation {
        owner: false,
        lead_body: false,
        coordinating_body: false,
        contributing_body: false,
    };

    const CONTRIBUTING: Relation = Relation {
        owner: false,
        lead_body: false,
        coordinating_body: false,
        contributing_body: true,
    };

    fn granted(role: Role, relation: Relation) -> Vec<Operation> {
        Operation::ALL
            .into_iter()
            .filter(|op| actor(role).may(*op, relation))
            .collect()
    }

    #[test]
    fn a_delegate_may_only_view_withdraw_and_rate_their_own_items() {
        assert_eq!(
            granted(Role::Delegate, OWNER),
            vec![Op::View, Op::Withdraw, Op::Rate, Op::ProvideInfo]
        );
        assert!(granted(Role::Delegate, STRANGER).is_empty());
        assert!(granted(Role::Delegate, LEAD).is_empty());
    }

    #[test]
    fn a_drafter_drafts_only_for_the_lead_body_and_notes_as_coordinating_body() {
        assert_eq!(
            granted(Role::Drafter, LEAD),
            vec![
                Op::View,
                Op::AddNote,
                Op::Draft,
                Op::AskInfo,
                Op::RequestExtension,
                Op::RequestContribution
            ]
        );
        assert_eq!(
            granted(Role::Drafter, COORDINATING),
            vec![Op::View, Op::AddNote]
        );
        assert!(granted(Role::Drafter, STRANGER).is_empty());
    }

    #[test]
    fn an_approver_reviews_only_their_own_bodys_items() {
        assert_eq!(
            granted(Role::Approver, LEAD),
            vec![
                Op::View,
                Op::AddNote,
                Op::Draft,
                Op::Review,
                Op::AskInfo,
                Op::RequestExtension,
                Op::RequestContribution
            ]
        );
        assert_eq!(
            granted(Role::Approver, COORDINATING),
            vec![Op::View, Op::AddNote]
        );
        assert!(granted(Role::Approver, STRANGER).is_empty());
    }

    #[test]
    fn a_coordinator_triages_and_publishes_everything_but_never_drafts_or_rates() {
        let expected = vec![
            Op::View,
            Op::AddNote,
            Op::Triage,
            Op::Publish,
            Op::FollowImplementation,
            Op::AskInfo,
            Op::DecideExtension,
        ];
        assert_eq!(granted(Role::Coordinator, STRANGER), expected);
        assert!(!actor(Role::Coordinator).may(Op::Draft, LEAD));
        assert!(!actor(Role::Coordinator).may(Op::Rate, OWNER));
    }

    #[test]
    fn the_leadership_only_views_whatever_its_relation_to_the_item() {
        for relation in [OWNER, LEAD, COORDINATING, STRANGER] {
            assert_eq!(granted(Role::Leadership, relation), vec![Op::View]);
        }
        let leadership = actor(Role::Leadership);
        for status in [
            ItemStatus::Submitted,
            ItemStatus::InReview,
            ItemStatus::Approved,
            ItemStatus::Published,
        ] {
            assert_eq!(
                Abilities::of(&leadership, STRANGER, status, Some(UserId(2)), &[UserId(2)]),
                Abilities::default()
            );
            for (owed, paused, pending) in [(true, false, false), (true, true, true)] {
                assert_eq!(
                    ClockAbilities::of(&leadership, STRANGER, owed, paused, pending),
                    ClockAbilities::default()
                );
            }
        }
    }

    #[test]
    fn an_administrator_has_no_item_rights() {
        for relation in [OWNER, LEAD, COORDINATING, STRANGER] {
            assert!(granted(Role::Admin, relation).is_empty());
        }
    }

    #[test]
    fn an_asked_body_sees_the_item_and_works_only_on_its_contribution() {
        assert_eq!(
            granted(Role::Drafter, CONTRIBUTING),
            vec![Op::View, Op::Contribute]
        );
        assert_eq!(
            granted(Role::Approver, CONTRIBUTING),
            vec![Op::View, Op::Contribute, Op::ApproveContribution]
        );
        // Asking belongs to the lead body; nobody else asks or approves.
        assert!(!actor(Role::Drafter).may(Op::RequestContribution, COORDINATING));
        assert!(!actor(Role::Drafter).may(Op::ApproveContribution, CONTRIBUTING));
        assert!(!actor(Role::Approver).may(Op::ApproveContribution, LEAD));
        assert!(!actor(Role::Coordinator).may(Op::Contribute, STRANGER));
        assert!(granted(Role::Delegate, CONTRIBUTING).is_empty());
        assert!(granted(Role::Admin, CONTRIBUTING).is_empty());
    }

    #[test]
    fn an_approver_may_review_a_draft_only_when_someone_else_wrote_it() {
        let approver = actor(Role::Approver);
        let by_other = Abilities::of(
            &approver,
            LEAD,
            ItemStatus::InReview,
            Some(UserId(2)),
            &[UserId(2)],
        );
        assert!(by_other.review);
        let own = Abilities::of(
            &approver,
            LEAD,
            ItemStatus::InReview,
            Some(UserId(1)),
            &[UserId(1)],
        );
        assert!(!own.review);
        let elsewhere = Abilities::of(
            &approver,
            COORDINATING,
            ItemStatus::InReview,
            Some(UserId(2)),
            &[UserId(2)],
        );
        assert!(!elsewhere.review && elsewhere.note);
    }

    #[test]
    fn an_approver_who_wrote_any_revision_of_the_cycle_may_not_review_it() {
        let approver = actor(Role::Approver);
        let cycle = [UserId(1), UserId(2)];
        let edited = Abilities::of(
            &approver,
            LEAD,
            ItemStatus::InReview,
            Some(UserId(2)),
            &cycle,
        );
        assert!(!edited.review && edited.note);
    }

    #[test]
    fn a_draft_can_be_sent_for_review_only_once_one_exists() {
        let drafter = actor(Role::Drafter);
        let none = Abilities::of(&drafter, LEAD, ItemStatus::Drafting, None, &[]);
        assert!(none.draft && !none.send_for_review);
        let some = Abilities::of(&drafter, LEAD, ItemStatus::Drafting, Some(UserId(1)), &[]);
        assert!(some.send_for_review);
    }

    #[test]
    fn the_owner_may_withdraw_before_routing_and_rate_only_an_answered_item() {
        let delegate = actor(Role::Delegate);
        let fresh = Abilities::of(&delegate, OWNER, ItemStatus::Submitted, None, &[]);
        assert!(fresh.withdraw && !fresh.rate && !fresh.note);
        let answered = Abilities::of(&delegate, OWNER, ItemStatus::Published, None, &[]);
        assert!(answered.rate && !answered.withdraw);
        let stranger = Abilities::of(&delegate, STRANGER, ItemStatus::Published, None, &[]);
        assert_eq!(stranger, Abilities::default());
    }

    #[test]
    fn a_coordinator_publishes_an_approved_answer_or_sends_it_back_but_never_drafts() {
        let coordinator = actor(Role::Coordinator);
        let approved = Abilities::of(
            &coordinator,
            STRANGER,
            ItemStatus::Approved,
            Some(UserId(2)),
            &[UserId(2)],
        );
        assert!(approved.publish && approved.send_back && !approved.draft && !approved.review);
        let published = Abilities::of(&coordinator, STRANGER, ItemStatus::Published, None, &[]);
        assert!(published.follow && !published.publish);
    }

    #[test]
    fn the_lead_body_asks_and_requests_time_the_owner_answers_a_coordinator_decides() {
        let drafter = actor(Role::Drafter);
        let running = ClockAbilities::of(&drafter, LEAD, true, false, false);
        assert!(running.ask_info && running.request_extension && !running.resume);
        let paused = ClockAbilities::of(&drafter, LEAD, true, true, true);
        assert!(paused.resume && !paused.ask_info && !paused.request_extension);
        assert!(!paused.decide_extension && !paused.provide_info);
        let elsewhere = ClockAbilities::of(&drafter, COORDINATING, true, false, false);
        assert_eq!(elsewhere, ClockAbilities::default());
        let owner = ClockAbilities::of(&actor(Role::Delegate), OWNER, true, true, false);
        assert!(owner.provide_info && !owner.resume);
        let coordinator =
            ClockAbilities::of(&actor(Role::Coordinator), STRANGER, true, false, true);
        assert!(coordinator.decide_extension && coordinator.ask_info);
        assert!(!coordinator.request_extension);
        let answered = ClockAbilities::of(&actor(Role::Coordinator), STRANGER, false, true, true);
        assert_eq!(answered, ClockAbilities::default());
    }
}
