//! The coordinator's deadlines page: per body holding items, how many are in
//! time, due soon, overdue or paused (each a link to that list), then the overdue
//! items longest overdue first and the extension requests waiting for a decision.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Serialize;

use super::pages::{now, typed_page, with_db};
use crate::db::bodies::Body;
use crate::db::deadline_report::{self, Holder, PendingExtension, UrgencyCounts};
use crate::domain::deadlines::Urgency;
use crate::error::AppError;
use crate::routes::roles::Reader;
use crate::routes::AppState;

/// One row of counts: who holds the items and the list they link to.
#[derive(Debug, Serialize)]
struct HolderRow {
    name: String,
    /// The all-items list narrowed to this holder; `&urgency=…` is appended.
    link: String,
    counts: UrgencyCounts,
    total: i64,
}

/// One overdue item, names in the reader's language.
#[derive(Debug, Serialize)]
struct OverdueRow {
    id: i32,
    reference: String,
    title: String,
    holder: String,
    stage: &'static str,
    due: NaiveDateTime,
    days_overdue: u32,
}

/// The template variables of `/deadlines`.
#[derive(Debug, Serialize)]
struct DeadlinesPage {
    urgencies: Vec<&'static str>,
    rows: Vec<HolderRow>,
    totals: UrgencyCounts,
    overdue: Vec<OverdueRow>,
    extensions: Vec<PendingExtension>,
}

/// `GET /deadlines`.
pub async fn page(state: web::Data<AppState>, current: Reader) -> Result<HttpResponse, AppError> {
    let lang = current.0.visit.lang;
    let at = now();
    let (overview, bodies) = with_db(&state.pool, move |conn| {
        Ok((deadline_report::overview(conn, at)?, Body::all(conn)?))
    })
    .await?;
    let coordinators = state.renderer.text(lang, "deadlines_coordinators_row");
    let name_of = |holder: Holder| match holder {
        Holder::Coordinators => coordinators.clone(),
        Holder::Body(id) => bodies
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name(lang).to_owned())
            .unwrap_or_default(),
    };
    let counts_of = |holder: Holder| {
        overview
            .counts
            .iter()
            .find(|(h, _)| *h == holder)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    };
    // The coordinating body's own stages first, then every body that holds
    // something or could (active), by name.
    let mut body_rows: Vec<HolderRow> = bodies
        .iter()
        .filter(|b| b.active || counts_of(Holder::Body(b.id)).total() > 0)
        .map(|b| Holder::Body(b.id))
        .map(|h| row(h, name_of(h), counts_of(h)))
        .collect();
    body_rows.sort_by(|a, b| a.name.cmp(&b.name));
    let mut rows = vec![row(
        Holder::Coordinators,
        name_of(Holder::Coordinators),
        counts_of(Holder::Coordinators),
    )];
    rows.extend(body_rows);
    let mut totals = UrgencyCounts::default();
    for (_, c) in &overview.counts {
        totals.overdue += c.overdue;
        totals.due_soon += c.due_soon;
        totals.in_time += c.in_time;
        totals.paused += c.paused;
    }
    let overdue = overview
        .overdue
        .iter()
        .map(|line| OverdueRow {
            id: line.id,
            reference: line.reference.clone(),
            title: line.title.clone(),
            holder: name_of(line.holder),
            stage: line.stage.as_str(),
            due: line.due,
            days_overdue: line.days_overdue,
        })
        .collect();
    let context = DeadlinesPage {
        urgencies: Urgency::ALL.map(Urgency::as_str).to_vec(),
        rows,
        totals,
        overdue,
        extensions: overview.extensions,
    };
    typed_page(
        &state,
        &current.0.visit,
        "deadlines.html",
        &context,
        StatusCode::OK,
    )
    .await
}

fn row(holder: Holder, name: String, counts: UrgencyCounts) -> HolderRow {
    let link = match holder {
        Holder::Coordinators => "/items?held=coordinators".to_owned(),
        Holder::Body(id) => format!("/items?held=body&body={id}"),
    };
    HolderRow {
        name,
        link,
        total: counts.total(),
        counts,
    }
}
