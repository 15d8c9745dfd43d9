//! The lists: a delegate's own items, a body's queue, the approver's review queue,
//! the coordinator's triage, all items and the answers waiting to be published.
//! One handler serves them all; each list differs only in its scope and filter.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::pages::{now, typed_page, with_db, NavCounts};
use crate::auth::CurrentUser;
use crate::db::bodies::Body;
use crate::db::deadline_report::{self, Holder, UrgencyCounts};
use crate::db::fields::Field;
use crate::db::items::{Count, Item, ItemFilter, ItemLine, Scope, Sort};
use crate::domain::deadlines::Urgency;
use crate::domain::follow_up::{Outcome, Resolution};
use crate::domain::text::fold_for_search;
use crate::domain::{BodyId, FieldId, ItemStatus, Role};
use crate::error::AppError;
use crate::export::Format;
use crate::routes::list_export::{self, ListExport};
use crate::routes::roles::{Approver, Coordinator, Delegate, Reader, Staff};
use crate::routes::AppState;

/// Rows per page.
pub const PAGE_SIZE: i64 = 25;

/// Which list is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `/my`: the delegate's items.
    Mine,
    /// `/queue`: the items the body leads.
    Queue,
    /// `/coordinating`: the items the body was asked to coordinate on.
    Coordinating,
    /// `/review`: drafts waiting for the approver.
    Review,
    /// `/triage`: unrouted items and those held by a coordinating body.
    Triage,
    /// `/items`: every item (coordinator).
    All,
    /// `/publish`: approved answers to publish (coordinator).
    Publish,
}

impl ListKind {
    fn title_key(self) -> &'static str {
        match self {
            ListKind::Mine => "nav_my",
            ListKind::Queue => "nav_queue",
            ListKind::Coordinating => "nav_coordinating",
            ListKind::Review => "nav_review",
            ListKind::Triage => "nav_triage",
            ListKind::All => "nav_all",
            ListKind::Publish => "nav_publish",
        }
    }

    fn path(self) -> &'static str {
        match self {
            ListKind::Mine => "/my",
            ListKind::Queue => "/queue",
            ListKind::Coordinating => "/coordinating",
            ListKind::Review => "/review",
            ListKind::Triage => "/triage",
            ListKind::All => "/items",
            ListKind::Publish => "/publish",
        }
    }
}

/// Filters as they arrive in the query string; anything unreadable is ignored.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    body: String,
    /// The old "overdue only" checkbox (`1`), kept for links already out there.
    #[serde(default)]
    overdue: String,
    /// `overdue`, `due_soon`, `in_time` or `paused`.
    #[serde(default)]
    urgency: String,
    /// `body` (drafting and approval) or `coordinators` (triage and publication):
    /// the deadlines page's rows link here.
    #[serde(default)]
    held: String,
    #[serde(default)]
    q: String,
    /// The published answer's outcome (issue 10).
    #[serde(default)]
    outcome: String,
    /// `answered`, `resolved` or `answered_not_resolved` (issue 10).
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
    /// `1`: the whole list (up to the count cap) as a document to print.
    #[serde(default)]
    print: String,
    /// `xlsx` or `csv`: the whole filtered list as a file (issue 11).
    #[serde(default)]
    format: String,
}

/// A list line with names in the user's language.
#[derive(Debug, Serialize)]
struct Line {
    id: i32,
    reference: String,
    title: String,
    status: String,
    submitted_at: chrono::NaiveDateTime,
    deadline: chrono::NaiveDateTime,
    /// The date shown in the due column: what is due next for staff, the whole
    /// answer's date for the delegate.
    due: Option<chrono::NaiveDateTime>,
    /// `overdue`, `due_soon`, `in_time` or `paused`; None when nothing is owed.
    urgency: Option<&'static str>,
    /// Whether an extension moved the whole answer's date.
    extended: bool,
    overdue: bool,
    field: String,
    body: Option<String>,
    delegate: String,
    /// When the answer was published, and when the item was resolved.
    published_at: Option<chrono::NaiveDateTime>,
    resolved_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Serialize)]
struct Choice {
    id: i32,
    name: String,
}

/// The template variables of a list page (and of its printable form).
#[derive(Debug, Serialize)]
struct ListPage {
    kind: &'static str,
    title_key: &'static str,
    lines: Vec<Line>,
    total: Count,
    has_next: bool,
    page: i64,
    pages: Option<i64>,
    query: ListQuery,
    statuses: Vec<&'static str>,
    fields: Vec<Choice>,
    bodies: Vec<Choice>,
    show_delegate: bool,
    selectable: bool,
    /// The urgencies to filter by.
    urgencies: Vec<&'static str>,
    /// The outcomes and the answered/resolved choices to filter by (issue 10).
    outcomes: Vec<&'static str>,
    resolutions: Vec<&'static str>,
    /// Above a body's queue: how its items stand against their deadlines.
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<UrgencyCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    printed_at: Option<chrono::NaiveDateTime>,
}

/// Serves every list page; the route's extractor has checked the role.
async fn list(
    kind: ListKind,
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let actor = current.actor();
    let query = query.into_inner();
    let lang = current.visit.lang;
    let page_number = query.page.parse::<i64>().unwrap_or(1).clamp(1, 100_000);
    let at = now();
    // The old checkbox still means "overdue".
    let urgency =
        Urgency::parse(&query.urgency).or((query.overdue == "1").then_some(Urgency::Overdue));
    let mut filter = ItemFilter {
        status: query.status.parse::<ItemStatus>().ok(),
        outcome: query.outcome.parse::<Outcome>().ok(),
        resolution: Resolution::parse(&query.resolution),
        field: query.field.parse().ok().map(FieldId),
        lead_body: query.body.parse().ok().map(BodyId),
        urgency: urgency.map(|u| (u, at)),
        search: Some(fold_for_search(query.q.trim())).filter(|q| !q.is_empty()),
        statuses: match query.held.as_str() {
            "body" => Holder::Body(0).statuses(),
            "coordinators" => Holder::Coordinators.statuses(),
            _ => Vec::new(),
        },
        sort: match query.sort.as_str() {
            "newest" => Sort::NewestFirst,
            "deadline" => Sort::DeadlineFirst,
            "next_due" => Sort::NextDueFirst,
            // No order chosen: a search lists the most relevant first (issue 12).
            _ if !query.q.trim().is_empty() => Sort::Relevance,
            _ => Sort::NextDueFirst,
        },
        ..Default::default()
    };
    match kind {
        ListKind::Mine => {
            // The delegate's badge is about the whole answer's date, which the
            // stored urgency columns (stage or answer) do not filter by.
            filter.urgency = None;
            filter.sort = if query.sort == "deadline" {
                Sort::DeadlineFirst
            } else if query.sort != "newest" && !query.q.trim().is_empty() {
                Sort::Relevance
            } else {
                Sort::NewestFirst
            }
        }
        ListKind::Queue => filter.lead_body = actor.body,
        ListKind::Coordinating => filter.coordinating_body = actor.body,
        ListKind::Review => {
            filter.lead_body = actor.body;
            filter.status = Some(ItemStatus::InReview);
        }
        ListKind::Triage => filter.triage = true,
        ListKind::Publish => filter.status = Some(ItemStatus::Approved),
        ListKind::All => {}
    }
    let scope = Scope::for_actor(&actor);
    if let Some(format) = Format::parse(&query.format) {
        let export = ListExport {
            title: state.renderer.text(lang, kind.title_key()),
            lang,
            show_delegate: actor.role != Role::Delegate,
            scope,
            filter,
        };
        return list_export::respond(&state, export, format).await;
    }
    let printing = query.print == "1";
    let (offset, limit) = if printing {
        (0, crate::db::items::COUNT_CAP)
    } else {
        ((page_number - 1) * PAGE_SIZE, PAGE_SIZE)
    };
    let queue_body = (kind == ListKind::Queue).then_some(actor.body).flatten();
    let (found, fields, bodies, counts) = with_db(&state.pool, move |conn| {
        let found = Item::page(conn, scope, &filter, offset, limit)?;
        let counts = match queue_body {
            Some(body) => Some(deadline_report::body_counts(conn, body, at)?),
            None => None,
        };
        Ok((found, Field::all(conn)?, Body::all(conn)?, counts))
    })
    .await?;
    let delegate_view = actor.role == Role::Delegate;
    let lines: Vec<Line> = found
        .lines
        .into_iter()
        .map(|l: ItemLine| {
            // The delegate is owed the whole answer: their badge and date are
            // its, not an internal stage's.
            let (due, urgency) = if delegate_view {
                let due = l.next_due_at.map(|_| l.deadline);
                (due, Urgency::at(at, due, None, l.paused_at.is_some()))
            } else {
                (
                    l.next_due_at,
                    deadline_report::urgency_of(at, l.next_due_at, l.due_soon_at, l.paused_at),
                )
            };
            Line {
                overdue: urgency == Some(Urgency::Overdue),
                due,
                urgency: urgency.map(Urgency::as_str),
                extended: l.deadline != l.original_deadline,
                field: lang.pick(&l.field_vi, &l.field_en).to_owned(),
                body: match (&l.body_vi, &l.body_en) {
                    (Some(vi), Some(en)) => Some(lang.pick(vi, en).to_owned()),
                    _ => None,
                },
                id: l.id,
                reference: l.reference,
                title: l.title,
                status: l.status,
                submitted_at: l.submitted_at,
                deadline: l.deadline,
                delegate: l.delegate_name,
                published_at: l.published_at,
                resolved_at: l.resolved_at,
            }
        })
        .collect();
    // The number of pages is known only while the count is exact.
    let pages = (!found.total.more).then(|| ((found.total.n + PAGE_SIZE - 1) / PAGE_SIZE).max(1));
    let choices = |named: Vec<(i32, String)>| -> Vec<Choice> {
        named
            .into_iter()
            .map(|(id, name)| Choice { id, name })
            .collect()
    };
    let mut context = ListPage {
        kind: kind.path(),
        title_key: kind.title_key(),
        lines,
        total: found.total,
        has_next: found.has_next,
        page: page_number,
        pages,
        query,
        statuses: ItemStatus::ALL.map(ItemStatus::as_str).to_vec(),
        fields: choices(
            fields
                .iter()
                .map(|f| (f.id, f.name(lang).to_owned()))
                .collect(),
        ),
        bodies: choices(
            bodies
                .iter()
                .map(|b| (b.id, b.name(lang).to_owned()))
                .collect(),
        ),
        show_delegate: actor.role != Role::Delegate,
        selectable: kind == ListKind::Publish,
        urgencies: Urgency::ALL.map(Urgency::as_str).to_vec(),
        outcomes: Outcome::ALL.map(Outcome::as_str).to_vec(),
        resolutions: Resolution::ALL.map(Resolution::as_str).to_vec(),
        counts,
        printed_at: None,
    };
    if printing {
        context.printed_at = Some(at);
        let html = state.renderer.render(
            &current.visit,
            &NavCounts::default(),
            "items/print_list.html",
            Context::from_serialize(&context)?,
        )?;
        return Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(html));
    }
    typed_page(
        &state,
        &current.visit,
        "items/list.html",
        &context,
        StatusCode::OK,
    )
    .await
}

macro_rules! list_route {
    ($(#[$doc:meta] $name:ident => $kind:expr, $role:ident),* $(,)?) => {
        $(
            #[$doc]
            pub async fn $name(
                state: web::Data<AppState>,
                current: $role,
                query: web::Query<ListQuery>,
            ) -> Result<HttpResponse, AppError> {
                list($kind, state, current.0, query).await
            }
        )*
    };
}

list_route!(
    /// `GET /my`.
    mine => ListKind::Mine, Delegate,
    /// `GET /queue`.
    queue => ListKind::Queue, Staff,
    /// `GET /coordinating`.
    coordinating => ListKind::Coordinating, Staff,
    /// `GET /review`.
    review => ListKind::Review, Approver,
    /// `GET /triage`.
    triage => ListKind::Triage, Coordinator,
    /// `GET /items`.
    all => ListKind::All, Reader,
    /// `GET /publish`.
    to_publish => ListKind::Publish, Coordinator,
);
