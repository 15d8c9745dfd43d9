//! The item routes: who may, in which states. Everyone else gets the answer of a
//! missing page (the visitor the login page); the right person in the wrong state
//! a conflict; and a refused request changes nothing.

use actix_web::http::Method;

use super::cast::{Answer, Cast, Fingerprint, Person, Person::*, State, State::*};
use crate::helpers::{spawn_app, TestApp};

/// One item route: who may use it, in which states, with which form. In a form,
/// `{id}` is the item, `{target}` the reference of another open item and
/// `{other_body}` the id of a body that has nothing to do with the item and
/// `{coordinating_body}` the id of the body asked to coordinate on it.
pub struct ItemRule {
    pub method: Method,
    pub path: &'static str,
    pub may: &'static [Person],
    pub when: &'static [State],
    pub form: &'static [(&'static str, &'static str)],
}

const fn rule(
    method: Method,
    path: &'static str,
    may: &'static [Person],
    when: &'static [State],
    form: &'static [(&'static str, &'static str)],
) -> ItemRule {
    ItemRule {
        method,
        path,
        may,
        when,
        form,
    }
}

const GET: Method = Method::GET;
const POST: Method = Method::POST;
/// Who sees the item (the leadership reads it and may post nothing about it).
const SEES: &[Person] = &[
    Owner,
    LeadDrafter,
    LeadApprover,
    CoordinatingDrafter,
    Coordinator,
    Leadership,
];
/// Who writes internal notes and answers the delegate's comment.
const STAFF: &[Person] = &[LeadDrafter, LeadApprover, CoordinatingDrafter, Coordinator];
const LEAD: &[Person] = &[LeadDrafter, LeadApprover];
const ALL: &[State] = State::ALL;
/// Neither withdrawn nor merged.
const OPEN: &[State] = &[Routed, Drafting, InReview, Approved, Published, Rated];
const OPEN_BEFORE_APPROVAL: &[State] = &[Routed, Drafting, InReview];
/// Still owed an answer (its clock runs).
const OWED: &[State] = &[Routed, Drafting, InReview, Approved];
/// Who may ask the delegate for information and restart the clock.
const ASKS: &[Person] = &[LeadDrafter, LeadApprover, Coordinator];

/// The matrix of the item routes, as a spec.
#[rustfmt::skip]
pub const ITEM_RULES: &[ItemRule] = &[
    rule(GET,  "/items/{id}",                        SEES,           ALL,                  &[]),
    rule(GET,  "/items/{id}/print",                  SEES,           ALL,                  &[]),
    rule(GET,  "/proposals/{id}/submitted",          SEES,           ALL,                  &[]),
    rule(POST, "/items/{id}/withdraw",               &[Owner],       &[Routed],            &[("text", "Rút lại.")]),
    rule(POST, "/items/{id}/satisfaction",           &[Owner],       &[Published, Rated],  &[("level", "satisfied"), ("text", "Tốt.")]),
    rule(POST, "/items/{id}/notes",                  STAFF,          ALL,                  &[("text", "Ghi chú.")]),
    // The matrix's items are never resolved: the delegate gets the conflict.
    // The cast's answers are "explained": resolved at publication, so rateable.
    rule(POST, "/items/{id}/result-rating",          &[Owner],       &[Published, Rated],  &[("level", "satisfied")]),
    rule(POST, "/items/{id}/satisfaction-reply",     STAFF,          &[Rated],             &[("text", "Xin cảm ơn.")]),
    rule(POST, "/items/{id}/draft",                  LEAD,           &[Routed, Drafting, Approved], &[("text", "Bản sửa."), ("intent", "save")]),
    rule(POST, "/items/{id}/send-for-review",        LEAD,           &[Drafting],          &[]),
    rule(POST, "/items/{id}/commitments",            LEAD,           &[Routed, Drafting, Approved], &[("description", "Ban hành hướng dẫn."), ("owner_body_id", "{other_body}"), ("due_working_days", "10")]),
    // The matrix's items have no commitment to remove: whoever may gets the conflict.
    rule(POST, "/items/{id}/commitments/remove",     LEAD,           &[],                  &[("commitment", "0")]),
    rule(POST, "/items/{id}/approve",                &[LeadApprover], &[InReview],         &[]),
    rule(POST, "/items/{id}/return",                 &[LeadApprover], &[InReview],         &[("text", "Sửa lại.")]),
    rule(POST, "/items/{id}/route",                  &[Coordinator], OPEN_BEFORE_APPROVAL, &[("body_id", "{other_body}"), ("text", "Đúng cơ quan.")]),
    rule(POST, "/items/{id}/coordinating-bodies",    &[Coordinator], OPEN,                 &[("body_id", "{other_body}")]),
    rule(POST, "/items/{id}/merge",                  &[Coordinator], &[Routed, Drafting, InReview, Approved], &[("target", "{target}")]),
    rule(POST, "/items/{id}/send-back",              &[Coordinator], &[Approved],          &[("text", "Bổ sung.")]),
    rule(POST, "/items/{id}/publish",                &[Coordinator], &[Approved],          &[]),
    rule(POST, "/publish",                           &[Coordinator], &[Approved],          &[("item", "{id}")]),
    rule(POST, "/items/{id}/implementation",         &[Coordinator], &[Published, Rated],  &[("state", "started")]),
    rule(POST, "/items/{id}/info-request",           ASKS,           OWED,                 &[("text", "Đề nghị bổ sung số liệu.")]),
    // The matrix's items are never paused, nor have a pending extension request:
    // whoever may gets the conflict, everyone else the missing page.
    rule(POST, "/items/{id}/info-reply",             &[Owner],       &[],                  &[("text", "Số liệu bổ sung.")]),
    rule(POST, "/items/{id}/clock/resume",           ASKS,           &[],                  &[]),
    rule(POST, "/items/{id}/extensions",             LEAD,           OWED,                 &[("reason", "Cần thêm thời gian."), ("date", "2030-06-04")]),
    rule(POST, "/items/{id}/extensions/decide",      &[Coordinator], &[],                  &[("extension", "0"), ("decision", "grant")]),
    // Contributions (issue 10): the lead body asks its coordinating body while
    // drafting. The matrix's items have no request to withdraw (the lead body gets
    // the conflict), and nobody of the cast is an asked body.
    rule(POST, "/items/{id}/contributions",          LEAD,           &[Routed, Drafting, Approved], &[("body_id", "{coordinating_body}"), ("text", "Đề nghị cho ý kiến."), ("due_working_days", "5")]),
    rule(POST, "/items/{id}/contributions/withdraw", LEAD,           &[],                  &[("body_id", "{coordinating_body}")]),
    rule(POST, "/items/{id}/contribution",           &[],            &[],                  &[("text", "Ý kiến."), ("version", "0"), ("intent", "send")]),
    rule(POST, "/items/{id}/contribution/approve",   &[],            &[],                  &[("version", "0")]),
    rule(POST, "/items/{id}/contribution/return",    &[],            &[],                  &[("text", "Sửa lại."), ("version", "0")]),
];

impl ItemRule {
    /// What `person` gets from this route on an item in `state`.
    pub fn expected(&self, person: Person, state: State) -> Answer {
        if person == Anonymous {
            Answer::ToLogin
        } else if !self.may.contains(&person) {
            Answer::Missing
        } else if !self.when.contains(&state) {
            Answer::Conflict
        } else if self.method == Method::GET {
            Answer::Ok
        } else {
            Answer::Done
        }
    }
}

/// The values a rule's path and form are filled with.
struct Values {
    other_body: String,
    coordinating_body: String,
    target: String,
}

/// Sends `rule`'s request as `person` on item `id`; checks the answer and that the
/// database changed exactly when the answer is `Done`.
async fn check(
    app: &TestApp,
    cast: &Cast,
    values: &Values,
    rule: &ItemRule,
    person: Person,
    state: State,
    id: i32,
) {
    let fill = |text: &str| {
        text.replace("{id}", &id.to_string())
            .replace("{target}", &values.target)
            .replace("{other_body}", &values.other_body)
            .replace("{coordinating_body}", &values.coordinating_body)
    };
    let path = fill(rule.path);
    let form: Vec<(&str, String)> = rule.form.iter().map(|(k, v)| (*k, fill(v))).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let expected = rule.expected(person, state);
    let before = Fingerprint::of(app, id);
    let session = cast.of(person);
    let page = if rule.method == Method::GET {
        session.get(&path).await
    } else {
        session.post(&path, &form).await
    };
    let after = Fingerprint::of(app, id);
    let said = format!(
        "{person:?} {} {} on an item {state:?}: expected {expected:?}, got {} {:?}",
        rule.method, rule.path, page.status, page.location
    );
    assert!(expected.matches(&page), "{said}");
    if expected == Answer::Done {
        assert_ne!(before, after, "{said}, but nothing changed");
    } else {
        assert_eq!(before, after, "{said}, and the item or the outbox changed");
    }
}

/// Every item rule × every person on an item in `state`: the refusals on one item
/// (they change nothing), each permitted action on an item of its own.
async fn every_item_route_in(state: State) {
    let app = spawn_app().await;
    let cast = Cast::new(&app).await;
    let (_, target) = cast.filed(&app).await;
    let values = Values {
        other_body: app.body_id(super::cast::OTHER_BODY).to_string(),
        coordinating_body: app.body_id(super::cast::COORDINATING_BODY).to_string(),
        target,
    };
    let shared = cast.item_in(&app, state).await;
    for rule in ITEM_RULES {
        for person in Person::ALL {
            let id = if rule.expected(person, state) == Answer::Done {
                cast.item_in(&app, state).await
            } else {
                shared
            };
            check(&app, &cast, &values, rule, person, state, id).await;
        }
    }
}

#[tokio::test]
async fn on_a_routed_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Routed).await;
}

#[tokio::test]
async fn on_an_item_in_drafting_each_person_may_do_exactly_their_part() {
    every_item_route_in(Drafting).await;
}

#[tokio::test]
async fn on_an_item_in_review_each_person_may_do_exactly_their_part() {
    every_item_route_in(InReview).await;
}

#[tokio::test]
async fn on_an_approved_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Approved).await;
}

#[tokio::test]
async fn on_a_published_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Published).await;
}

#[tokio::test]
async fn on_a_rated_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Rated).await;
}

#[tokio::test]
async fn on_a_withdrawn_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Withdrawn).await;
}

#[tokio::test]
async fn on_a_merged_item_each_person_may_do_exactly_their_part() {
    every_item_route_in(Merged).await;
}

#[tokio::test]
async fn an_empty_publish_selection_is_the_coordinators_alone() {
    let app = spawn_app().await;
    let cast = Cast::new(&app).await;
    for person in Person::ALL {
        let page = cast.of(person).post("/publish", &[]).await;
        let expected = match person {
            Anonymous => Answer::ToLogin,
            Coordinator => Answer::Redirect,
            _ => Answer::Missing,
        };
        assert!(
            expected.matches(&page),
            "{person:?} POST /publish with nothing ticked: expected {expected:?}, got {}",
            page.status
        );
    }
}
