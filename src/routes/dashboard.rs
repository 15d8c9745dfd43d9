//! The dashboard (`GET /dashboard?conference=…`): the figures of one conference
//! or all, with bar charts drawn on the server as inline SVG, each followed by its
//! numbers as a table. Coordinators see every body; a body's drafters and
//! approvers see their own body's figures only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::auth::CurrentUser;
use crate::db::conferences::Conference;
use crate::db::stats::{self, StatsScope};
use crate::domain::table::DisplayTable;
use crate::domain::{BodyId, Role};
use crate::error::AppError;
use crate::reports::figures::figure_sections;
use crate::reports::{Directory, Names};
use crate::routes::pages::{now, typed_page, with_db};
use crate::routes::AppState;

/// Whose figures `current` may read: `None` for every body (coordinators and the
/// read-only provincial leadership), `Some(body)` for a body's staff. Anyone else gets the answer of a missing
/// page. The one access check of the dashboard and the reports.
pub fn report_scope(current: &CurrentUser) -> Result<Option<BodyId>, AppError> {
    match current.user.role() {
        Role::Coordinator | Role::Leadership => Ok(None),
        Role::Drafter | Role::Approver => current.user.body().map(Some).ok_or(AppError::Forbidden),
        Role::Delegate | Role::Admin => Err(AppError::Forbidden),
    }
}

/// The conference chosen in a query string ("" or absent: all).
pub fn chosen_conference(text: &str) -> Option<i32> {
    text.trim().parse().ok()
}

/// The dashboard's query string.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    conference: String,
}

/// A conference in the chooser.
#[derive(Debug, Serialize)]
pub struct ConferenceChoice {
    id: i32,
    name: String,
    selected: bool,
}

/// One block of the page: its chart (SVG text, drawn and escaped by
/// `domain::chart`) and its table.
#[derive(Debug, Serialize)]
struct SectionView {
    id: &'static str,
    svg: Option<String>,
    table: DisplayTable,
}

/// The template variables of `/dashboard`.
#[derive(Debug, Serialize)]
struct DashboardPage {
    conferences: Vec<ConferenceChoice>,
    conference: Option<i32>,
    body_name: Option<String>,
    sections: Vec<SectionView>,
}

/// Every conference, the chosen one marked.
pub fn conference_choices(all: &[Conference], chosen: Option<i32>) -> Vec<ConferenceChoice> {
    let mut all: Vec<&Conference> = all.iter().collect();
    all.sort_by_key(|c| (std::cmp::Reverse(c.held_on), c.id));
    all.into_iter()
        .map(|c| ConferenceChoice {
            id: c.id,
            name: c.name.clone(),
            selected: Some(c.id) == chosen,
        })
        .collect()
}

/// `GET /dashboard`.
pub async fn page(
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let body = report_scope(&current)?.map(|b| b.0);
    let lang = current.visit.lang;
    let conference = chosen_conference(&query.conference);
    let scope = StatsScope {
        conference,
        period: None,
        body,
    };
    let at = now();
    let (figures, directory) = with_db(&state.pool, move |conn| {
        Ok((stats::figures(conn, &scope, at)?, Directory::load(conn)?))
    })
    .await?;
    let Directory {
        bodies,
        fields,
        conferences,
    } = directory;
    let text = |key: &str| state.renderer.text(lang, key);
    let names = Names {
        bodies: &bodies,
        fields: &fields,
        lang,
        text: &text,
    };
    let sections = figure_sections(&figures, &names)
        .into_iter()
        .map(|section| SectionView {
            id: section.id,
            svg: section.chart.map(|chart| chart.to_svg()),
            table: section.table.display(),
        })
        .collect();
    let context = DashboardPage {
        conferences: conference_choices(&conferences, conference),
        conference,
        body_name: body.map(|id| names.body(Some(id))),
        sections,
    };
    typed_page(
        &state,
        &current.visit,
        "dashboard/page.html",
        &context,
        StatusCode::OK,
    )
    .await
}
