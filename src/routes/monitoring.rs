//! Following a conference's conclusions: the monitoring page of every task and
//! commitment, and the inspection visits (the task form lives in `tasks`). Coordinators see everything; drafters and approvers see the
//! rows their body leads or coordinates on, and record nothing here.

use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::Body;
use crate::db::conferences::Conference;
use crate::db::tasks::{monitoring, Inspection, MonitoringRow, NewInspection, ProgressCounts};
use crate::domain::calendar::local_date;
use crate::domain::follow_up::Progress;
use crate::domain::text::normalize;
use crate::domain::{ConferenceId, Role};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{flash, now, see_other, typed_page, with_db};
use crate::routes::roles::Coordinator;
use crate::routes::AppState;

/// Longest inspection text.
const TEXT_MAX_CHARS: usize = 4000;

/// Who may open the monitoring page: a coordinator, or a body's staff (only
/// their own body's rows). Anyone else gets the answer of a missing page.
fn viewer_body(current: &CurrentUser) -> Result<Option<i32>, AppError> {
    match current.user.role() {
        Role::Coordinator | Role::Leadership => Ok(None),
        Role::Drafter | Role::Approver => current
            .user
            .body()
            .map(|b| Some(b.0))
            .ok_or(AppError::Forbidden),
        _ => Err(AppError::Forbidden),
    }
}

/// `GET /monitoring`: the open conference's monitoring page (else the latest).
pub async fn home(
    state: web::Data<AppState>,
    current: CurrentUser,
) -> Result<HttpResponse, AppError> {
    viewer_body(&current)?;
    let conference = with_db(&state.pool, |conn| {
        Ok(match Conference::open(conn)? {
            Some(open) => Some(open),
            None => Conference::all(conn)?
                .into_iter()
                .max_by_key(|c| (c.held_on, c.id)),
        })
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(see_other(&monitoring_url(conference.id)))
}

pub(super) fn monitoring_url(conference: i32) -> String {
    format!("/conferences/{conference}/monitoring")
}

/// The monitoring page's filters.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct MonitoringQuery {
    #[serde(default)]
    body: String,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    overdue: String,
}

/// The inspection form as typed.
#[derive(Debug, Default, Serialize)]
struct InspectionInput {
    visited_on: String,
    body_id: String,
    commitment_id: String,
    findings: String,
    recommendations: String,
}

/// A body to choose.
#[derive(Debug, Serialize)]
pub(super) struct Choice {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) active: bool,
}

/// One inspection, names in the reader's language.
#[derive(Debug, Serialize)]
struct InspectionView {
    visited_on: NaiveDate,
    body: String,
    commitment_id: Option<i32>,
    findings: String,
    recommendations: String,
}

/// One task or commitment on the page.
#[derive(Debug, Serialize)]
struct RowView {
    id: i32,
    is_task: bool,
    item_id: Option<i32>,
    item_reference: Option<String>,
    description: String,
    owner: String,
    coordinating: Vec<String>,
    planned_document: String,
    due_at: Option<NaiveDateTime>,
    urgency: Option<&'static str>,
    progress: &'static str,
    last_check_in: Option<NaiveDateTime>,
    editable: bool,
    inspections: Vec<InspectionView>,
}

/// A task or commitment to pick in the inspection form.
#[derive(Debug, Serialize)]
struct Pick {
    id: String,
    description: String,
}

/// The conference as the page names it.
#[derive(Debug, Serialize)]
pub(super) struct ConferenceInfo {
    pub(super) id: i32,
    pub(super) name: String,
    pub(super) notice_number: String,
}

/// The template variables of the monitoring page.
#[derive(Debug, Serialize)]
struct MonitoringPage<'a> {
    here: String,
    conference: ConferenceInfo,
    is_coordinator: bool,
    counts: ProgressCounts,
    total: usize,
    rows: Vec<RowView>,
    query: &'a MonitoringQuery,
    bodies: Vec<Choice>,
    progresses: Vec<&'static str>,
    inspections: Vec<InspectionView>,
    picks: Vec<Pick>,
    form: &'a InspectionInput,
    errors: &'a FormErrors,
}

/// Everything the page needs from the database.
struct Loaded {
    conference: Conference,
    rows: Vec<MonitoringRow>,
    bodies: Vec<Body>,
    inspections: Vec<Inspection>,
}

async fn load(state: &AppState, conference: i32) -> Result<Loaded, AppError> {
    let at = now();
    with_db(&state.pool, move |conn| {
        let conference =
            Conference::find(conn, ConferenceId(conference))?.ok_or(AppError::NotFound)?;
        let rows = monitoring(conn, &conference, at)?;
        let inspections = Inspection::of_conference(conn, ConferenceId(conference.id))?;
        Ok(Loaded {
            conference,
            rows,
            bodies: Body::all(conn)?,
            inspections,
        })
    })
    .await
}

fn body_name(bodies: &[Body], id: i32, lang: Lang) -> String {
    bodies
        .iter()
        .find(|b| b.id == id)
        .map(|b| b.name(lang).to_owned())
        .unwrap_or_default()
}

fn inspection_view(i: &Inspection, bodies: &[Body], lang: Lang) -> InspectionView {
    InspectionView {
        visited_on: i.visited_on,
        body: body_name(bodies, i.body_id, lang),
        commitment_id: i.commitment_id,
        findings: i.findings.clone(),
        recommendations: i.recommendations.clone(),
    }
}

/// `GET /conferences/{id}/monitoring`.
pub async fn page(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    query: web::Query<MonitoringQuery>,
) -> Result<HttpResponse, AppError> {
    viewer_body(&current)?;
    // Most visits are recorded on the day: today is offered, and can be changed.
    let form = InspectionInput {
        visited_on: local_date(now()).format("%Y-%m-%d").to_string(),
        ..InspectionInput::default()
    };
    render(
        &state,
        &current,
        path.into_inner(),
        &query,
        &form,
        &FormErrors::default(),
    )
    .await
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    conference: i32,
    query: &MonitoringQuery,
    form: &InspectionInput,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let own_body = viewer_body(current)?;
    let lang = current.visit.lang;
    let loaded = load(state, conference).await?;
    let bodies = &loaded.bodies;
    // Staff see only what their body leads or coordinates, and the visits to it.
    let visible: Vec<&MonitoringRow> = loaded
        .rows
        .iter()
        .filter(|r| own_body.is_none_or(|b| r.involves(b)))
        .collect();
    let inspections: Vec<&Inspection> = loaded
        .inspections
        .iter()
        .filter(|i| own_body.is_none_or(|b| i.body_id == b))
        .collect();
    let picks = visible
        .iter()
        .map(|r| Pick {
            id: r.commitment.id.to_string(),
            description: r.commitment.description.clone(),
        })
        .collect();
    let body_filter = query.body.parse::<i32>().ok();
    let progress_filter = query.progress.parse::<Progress>().ok();
    let overdue_only = !query.overdue.is_empty();
    let shown: Vec<MonitoringRow> = visible
        .into_iter()
        .filter(|r| body_filter.is_none_or(|b| r.involves(b)))
        .filter(|r| progress_filter.is_none_or(|p| r.commitment.progress == p))
        .filter(|r| !overdue_only || r.is_overdue())
        .cloned()
        .collect();
    let counts = ProgressCounts::of(&shown);
    // The leadership reads the whole page but records nothing.
    let is_coordinator = own_body.is_none() && current.user.role() == Role::Coordinator;
    let rows = shown
        .iter()
        .map(|r| {
            let c = &r.commitment;
            RowView {
                id: c.id,
                is_task: c.item_id.is_none(),
                item_id: c.item_id,
                item_reference: r.item_reference.clone(),
                description: c.description.clone(),
                owner: body_name(bodies, c.owner_body_id, lang),
                coordinating: r
                    .coordinating
                    .iter()
                    .map(|b| body_name(bodies, *b, lang))
                    .collect(),
                planned_document: c.planned_document.clone(),
                due_at: c.due_at,
                urgency: r.urgency.map(|u| u.as_str()),
                progress: c.progress.as_str(),
                last_check_in: r.last_check_in,
                editable: is_coordinator && c.item_id.is_none() && !c.is_closed(),
                inspections: inspections
                    .iter()
                    .filter(|i| i.commitment_id == Some(c.id))
                    .map(|i| inspection_view(i, bodies, lang))
                    .collect(),
            }
        })
        .collect();
    let context = MonitoringPage {
        here: "/monitoring".to_owned(),
        conference: ConferenceInfo {
            id: loaded.conference.id,
            name: loaded.conference.name.clone(),
            notice_number: loaded.conference.notice_number.clone(),
        },
        is_coordinator,
        total: shown.len(),
        counts,
        rows,
        query,
        bodies: choices(bodies, lang),
        progresses: Progress::ALL.map(Progress::as_str).to_vec(),
        inspections: inspections
            .iter()
            .map(|i| inspection_view(i, bodies, lang))
            .collect(),
        picks,
        form,
        errors,
    };
    typed_page(
        state,
        &current.visit,
        "monitoring/page.html",
        &context,
        errors.status(),
    )
    .await
}

pub(super) fn choices(bodies: &[Body], lang: Lang) -> Vec<Choice> {
    bodies
        .iter()
        .map(|b| Choice {
            id: b.id.to_string(),
            name: b.name(lang).to_owned(),
            active: b.active,
        })
        .collect()
}

/// The value of `name` in a posted form (the last one, trimmed).
pub(super) fn value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// A date typed as `YYYY-MM-DD` (a date box) or `dd/mm/yyyy`.
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
}

/// `POST /conferences/{id}/inspections`: records a visit; the page again with
/// messages (422) when something is missing.
pub async fn record_inspection(
    state: web::Data<AppState>,
    current: Coordinator,
    path: web::Path<i32>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let conference = path.into_inner();
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let form = InspectionInput {
        visited_on: value(&pairs, "visited_on"),
        body_id: value(&pairs, "body_id"),
        commitment_id: value(&pairs, "commitment_id"),
        findings: normalize(&value(&pairs, "findings")),
        recommendations: normalize(&value(&pairs, "recommendations")),
    };
    let loaded = load(&state, conference).await?;
    let mut errors = FormErrors::default();
    let today = local_date(now());
    let visited_on = parse_date(&form.visited_on).filter(|d| *d <= today);
    if visited_on.is_none() {
        errors.add("visited_on", catalog, lang, "tasks_error_visited_on");
    }
    let body = form
        .body_id
        .parse::<i32>()
        .ok()
        .filter(|id| loaded.bodies.iter().any(|b| b.id == *id));
    if body.is_none() {
        errors.add("body_id", catalog, lang, "tasks_error_body");
    }
    if form.findings.is_empty() || form.findings.chars().count() > TEXT_MAX_CHARS {
        errors.add("findings", catalog, lang, "tasks_error_findings");
    }
    if form.recommendations.chars().count() > TEXT_MAX_CHARS {
        errors.add("recommendations", catalog, lang, "tasks_error_too_long");
    }
    let commitment = if form.commitment_id.is_empty() {
        None
    } else {
        let found = form
            .commitment_id
            .parse::<i32>()
            .ok()
            .filter(|id| loaded.rows.iter().any(|r| r.commitment.id == *id));
        if found.is_none() {
            errors.add("commitment_id", catalog, lang, "tasks_error_commitment");
        }
        found
    };
    match (visited_on, body) {
        (Some(visited_on), Some(body_id)) if errors.is_empty() => {
            let record = NewInspection {
                conference_id: conference,
                body_id,
                commitment_id: commitment,
                visited_on,
                findings: form.findings.clone(),
                recommendations: form.recommendations.clone(),
                created_by: current.user.id,
                created_at: now(),
            };
            let session = current.session.clone();
            with_db(&state.pool, move |conn| {
                record.insert(conn)?;
                flash(conn, &session, "tasks_flash_inspection_recorded")
            })
            .await?;
            Ok(see_other(&format!(
                "{}#inspections",
                monitoring_url(conference)
            )))
        }
        _ => {
            render(
                &state,
                &current,
                conference,
                &MonitoringQuery::default(),
                &form,
                &errors,
            )
            .await
        }
    }
}
