//! The people of the matrix, the item in each state of its life, and what of the
//! database a request may change.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{csrf_in, Page, TestApp, TestSession};
use dialogue_desk::db::events::EventKind;
use dialogue_desk::db::schema::{
    answer_revisions, item_coordinating_bodies, item_events, items, notes, outbox,
};
use dialogue_desk::domain::{MailEvent, Role};

/// Everyone who may knock on a route. The item of the matrix is filed by `Owner`,
/// led by TCTU, and TGTU is asked to coordinate on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    Anonymous,
    Owner,
    OtherDelegate,
    LeadDrafter,
    LeadApprover,
    OtherDrafter,
    OtherApprover,
    CoordinatingDrafter,
    Coordinator,
    Admin,
    /// The provincial leadership: reads everything, changes nothing.
    Leadership,
}

use Person::*;

impl Person {
    /// Everyone, anonymous first.
    pub const ALL: [Person; 11] = [
        Anonymous,
        Owner,
        OtherDelegate,
        LeadDrafter,
        LeadApprover,
        OtherDrafter,
        OtherApprover,
        CoordinatingDrafter,
        Coordinator,
        Admin,
        Leadership,
    ];

    /// The role and body code this person is made with (None for the visitor).
    fn account(self) -> Option<(Role, Option<&'static str>)> {
        Some(match self {
            Anonymous => return None,
            Owner | OtherDelegate => (Role::Delegate, None),
            LeadDrafter => (Role::Drafter, Some(LEAD_BODY)),
            LeadApprover => (Role::Approver, Some(LEAD_BODY)),
            OtherDrafter => (Role::Drafter, Some(OTHER_BODY)),
            OtherApprover => (Role::Approver, Some(OTHER_BODY)),
            CoordinatingDrafter => (Role::Drafter, Some(COORDINATING_BODY)),
            Coordinator => (Role::Coordinator, Some("DUK")),
            Admin => (Role::Admin, None),
            Leadership => (Role::Leadership, None),
        })
    }
}

/// The body that leads the answer (the default for cadre organisation).
pub const LEAD_BODY: &str = "TCTU";
/// A body with nothing to do with the item.
pub const OTHER_BODY: &str = "BCSD-UBND";
/// The body asked to coordinate (phối hợp) on the item.
pub const COORDINATING_BODY: &str = "TGTU";

/// The states of an item's life the matrix checks, in order: an item in one state
/// has been through every state before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Routed,
    Drafting,
    InReview,
    Approved,
    Published,
    /// Published, and the delegate said how satisfied they are.
    Rated,
    /// Taken back by the delegate while routed.
    Withdrawn,
    /// Merged, while routed, into another item.
    Merged,
}

impl State {
    /// Every state of the matrix.
    pub const ALL: &'static [State] = &[
        State::Routed,
        State::Drafting,
        State::InReview,
        State::Approved,
        State::Published,
        State::Rated,
        State::Withdrawn,
        State::Merged,
    ];
}

/// What a request is expected to get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 200, nothing changed.
    Ok,
    /// 303 (not to the login page), and the change made.
    Done,
    /// 303 to another page, nothing changed.
    Redirect,
    /// 303 to the login page (also where signing out leads), nothing changed.
    ToLogin,
    /// 404, nothing changed.
    Missing,
    /// 409: allowed to the person, not in this state; nothing changed.
    Conflict,
    /// 422: past the check, the empty form refused; nothing changed.
    Invalid,
    /// 401, or 429 once the address has failed too often: the credentials refused.
    Unauthorized,
}

impl Answer {
    /// Whether `page` is this answer.
    pub fn matches(self, page: &Page) -> bool {
        let to_login = page
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login"));
        match self {
            Answer::Ok => page.status == StatusCode::OK,
            Answer::Done | Answer::Redirect => page.status == StatusCode::SEE_OTHER && !to_login,
            Answer::ToLogin => page.status == StatusCode::SEE_OTHER && to_login,
            Answer::Missing => page.status == StatusCode::NOT_FOUND,
            Answer::Conflict => page.status == StatusCode::CONFLICT,
            Answer::Invalid => page.status == StatusCode::UNPROCESSABLE_ENTITY,
            Answer::Unauthorized => matches!(
                page.status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
        }
    }
}

/// The same browser (cookies, token), dropping a connection after a second idle:
/// a person may wait longer than the server's keep-alive between two requests,
/// and a connection the server has just closed would fail the request.
fn fresh_connections(mut session: TestSession) -> TestSession {
    session.client = reqwest::Client::builder()
        .cookie_provider(session.jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(1))
        .build()
        .unwrap();
    session
}

/// Everyone's browser, logged in, with the CSRF token of their own session.
pub struct Cast {
    sessions: Vec<(Person, TestSession)>,
}

impl Cast {
    /// Makes and logs in everyone; the visitor holds the token of the login page.
    pub async fn new(app: &TestApp) -> Cast {
        let mut sessions = Vec::new();
        for person in Person::ALL {
            let session = match person.account() {
                Some((role, body)) => app.login(&app.add_user(role, body)).await,
                None => {
                    let mut visitor = app.session();
                    let page = visitor.get("/login").await;
                    visitor.csrf = csrf_in(&page.body).expect("a token on the login page");
                    visitor
                }
            };
            sessions.push((person, fresh_connections(session)));
        }
        Cast { sessions }
    }

    /// The browser of `person`.
    pub fn of(&self, person: Person) -> &TestSession {
        &self.sessions.iter().find(|(p, _)| *p == person).unwrap().1
    }

    /// A new item of `Owner`, led by the lead body, with the coordinating body
    /// asked, brought to `state` by the people whose work it is.
    pub async fn item_in(&self, app: &TestApp, state: State) -> i32 {
        let (id, _) = self.filed(app).await;
        let item = |action: &str| format!("/items/{id}/{action}");
        if state == State::Withdrawn {
            let reason = [("text", "Không cần nữa.")];
            self.of(Owner).post_ok(&item("withdraw"), &reason).await;
        }
        if state == State::Merged {
            let (_, target) = self.filed(app).await;
            let into = [("target", target.as_str())];
            self.of(Coordinator).post_ok(&item("merge"), &into).await;
        }
        let on_the_way = |s: State| state >= s && state <= State::Rated;
        let drafter = self.of(LeadDrafter);
        if on_the_way(State::Drafting) {
            let draft = [
                ("text", "Dự thảo trả lời."),
                ("intent", "save"),
                ("outcome", "explained"),
            ];
            drafter.post_ok(&item("draft"), &draft).await;
        }
        if on_the_way(State::InReview) {
            drafter.post_ok(&item("send-for-review"), &[]).await;
        }
        if on_the_way(State::Approved) {
            self.of(LeadApprover).post_ok(&item("approve"), &[]).await;
        }
        if on_the_way(State::Published) {
            self.of(Coordinator).post_ok(&item("publish"), &[]).await;
        }
        if on_the_way(State::Rated) {
            let rating = [("level", "satisfied"), ("text", "Cảm ơn.")];
            self.of(Owner).post_ok(&item("satisfaction"), &rating).await;
        }
        settle(app).await;
        id
    }

    /// A new routed item of `Owner` with the coordinating body asked: its id and
    /// reference.
    pub async fn filed(&self, app: &TestApp) -> (i32, String) {
        let id = self
            .of(Owner)
            .submit_proposal(
                "Kiến nghị của ma trận quyền",
                "Nội dung kiến nghị để thử ma trận quyền.",
                app.field_id("to-chuc-can-bo"),
            )
            .await;
        let coordinating = app.body_id(COORDINATING_BODY).to_string();
        self.of(Coordinator)
            .post_ok(
                &format!("/items/{id}/coordinating-bodies"),
                &[("body_id", &coordinating)],
            )
            .await;
        let reference = items::table
            .find(id)
            .select(items::reference)
            .first(&mut *app.conn())
            .unwrap();
        (id, reference)
    }
}

/// Waits until the mail worker has sent what is queued and recorded on the
/// timeline each answer it emailed, so what the worker does is not mistaken for a
/// change made by a request.
pub async fn settle(app: &TestApp) {
    let answer_mail = MailEvent::AnswerPublished.as_str();
    let answer_emailed = EventKind::AnswerEmailed.as_str();
    for _ in 0..400 {
        let conn = &mut *app.conn();
        let waiting: i64 = outbox::table
            .filter(outbox::status.eq_any(["queued", "sending", "retrying"]))
            .count()
            .get_result(conn)
            .unwrap();
        let answers_sent: i64 = outbox::table
            .filter(outbox::event.eq(answer_mail))
            .filter(outbox::status.eq("sent"))
            .count()
            .get_result(conn)
            .unwrap();
        let answers_recorded: i64 = item_events::table
            .filter(item_events::kind.eq(answer_emailed))
            .count()
            .get_result(conn)
            .unwrap();
        if waiting == 0 && answers_sent == answers_recorded {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the outbox did not empty");
}

/// What of an item, and of the mail queue, a change would show in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    row: (String, chrono::NaiveDateTime, Option<String>, Option<i32>),
    counts: [Option<i64>; 5],
}

impl Fingerprint {
    /// The item `id` and the outbox as they are now, in one query: its state, when
    /// it last changed, the delegate's rating, the lead body; how many events,
    /// revisions, notes and coordinating bodies it has; how many mails are queued.
    pub fn of(app: &TestApp, id: i32) -> Fingerprint {
        let (status, updated_at, satisfaction, lead_body, events, revisions, notes, bodies, mails) =
            items::table
                .find(id)
                .select((
                    items::status,
                    items::updated_at,
                    items::satisfaction,
                    items::lead_body_id,
                    item_events::table
                        .filter(item_events::item_id.eq(id))
                        .count()
                        .single_value(),
                    answer_revisions::table
                        .filter(answer_revisions::item_id.eq(id))
                        .count()
                        .single_value(),
                    notes::table
                        .filter(notes::item_id.eq(id))
                        .count()
                        .single_value(),
                    item_coordinating_bodies::table
                        .filter(item_coordinating_bodies::item_id.eq(id))
                        .count()
                        .single_value(),
                    outbox::table.count().single_value(),
                ))
                .first(&mut *app.conn())
                .unwrap();
        Fingerprint {
            row: (status, updated_at, satisfaction, lead_body),
            counts: [events, revisions, notes, bodies, mails],
        }
    }
}
