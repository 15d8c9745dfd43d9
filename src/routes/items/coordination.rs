//! What the coordinator does to an item: route, add coordinating bodies, send
//! back, publish, merge, follow implementation.

use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;
use std::collections::HashMap;

use super::actions::{
    act, act_on_comment, act_on_text, checked_text, comment_actions, step_actions, EmptyForm,
    TextForm,
};
use super::show::item_page;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::bodies::Body;
use crate::db::items::Item;
use crate::db::workflow;
use crate::db::{DbConnection, StoreError};
use crate::domain::item::COMMENT_MAX_CHARS;
use crate::domain::{Actor, BodyId, ItemId};
use crate::error::AppError;
use crate::routes::forms::{FormErrors, UNPROCESSABLE};
use crate::routes::pages::{flash, now, see_other, with_db};
use crate::routes::roles::Coordinator;
use crate::routes::AppState;

/// The re-routing form.
#[derive(Debug, Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    body_id: String,
    #[serde(default)]
    text: String,
}

/// An active body chosen in a form, or not found.
fn active_body(conn: &mut DbConnection, body: Option<BodyId>) -> Result<BodyId, AppError> {
    let body = body.ok_or(AppError::NotFound)?;
    Body::find(conn, body)?
        .filter(|b| b.active)
        .ok_or(AppError::NotFound)?;
    Ok(body)
}

/// `POST /items/{id}/route`: the coordinator routes or re-routes, with a reason.
pub async fn reroute(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<RouteForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let mut input = checked_text(
        &state.renderer,
        lang,
        "route_reason",
        &form.text,
        true,
        COMMENT_MAX_CHARS,
    );
    let body = form.body_id.parse::<i32>().ok().map(BodyId);
    if body.is_none() {
        input.errors.add(
            "route_body",
            state.renderer.catalog(),
            lang,
            "error_choose_body",
        );
    }
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_rerouted",
        move |conn, actor, reason| {
            let body = active_body(conn, body)?;
            Ok::<_, AppError>(workflow::reroute(conn, actor, id, body, &reason, now())?)
        },
    )
    .await
}

/// The form naming a coordinating body.
#[derive(Debug, Deserialize)]
pub struct BodyForm {
    #[serde(default)]
    body_id: String,
}

/// `POST /items/{id}/coordinating-bodies`.
pub async fn add_coordinating_body(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<BodyForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let Some(body) = form.body_id.parse::<i32>().ok().map(BodyId) else {
        let mut errors = FormErrors::default();
        errors.add(
            "coordinating_body",
            state.renderer.catalog(),
            current.visit.lang,
            "error_choose_body",
        );
        return item_page(&state, &current, id, errors, HashMap::new(), UNPROCESSABLE).await;
    };
    act(
        &state,
        &current,
        id,
        "flash_coordinating_added",
        move |conn, actor| {
            let body = active_body(conn, Some(body))?;
            Ok::<_, AppError>(workflow::add_coordinating_body(
                conn,
                actor,
                id,
                body,
                now(),
            )?)
        },
    )
    .await
}

comment_actions! {
    /// `POST /items/{id}/send-back`: the coordinator returns an approved answer to
    /// its body with comments.
    send_back: "send_back_comment", "flash_sent_back", workflow::send_back;
}

/// Publishes one item (a selection of one).
fn publish_item(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ItemId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    workflow::publish(conn, actor, &[id], now).map(drop)
}

step_actions! {
    /// `POST /items/{id}/publish`.
    publish_one: "flash_published", publish_item;
}

/// `POST /publish`: publishes the selected approved answers in one transaction.
/// The form repeats `item=ID` once per ticked box. Only the coordinator's: the
/// workflow checks each item, but an empty selection reaches no item.
pub async fn publish_selection(
    state: web::Data<AppState>,
    current: Coordinator,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ids: Vec<ItemId> = pairs
        .iter()
        .filter(|(name, _)| name == "item")
        .filter_map(|(_, value)| value.parse().ok().map(ItemId))
        .collect();
    let actor = current.actor();
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        if ids.is_empty() {
            return flash(conn, &session, "flash_nothing_selected");
        }
        workflow::publish(conn, &actor, &ids, now())?;
        flash(conn, &session, "flash_published_many")
    })
    .await?;
    Ok(see_other("/publish"))
}

/// The merge form.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/merge`: merges this item into the item with the reference
/// typed by the coordinator.
pub async fn merge(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let lang = current.visit.lang;
    let input = checked_text(
        &state.renderer,
        lang,
        "merge_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let reference = form.target.trim().to_uppercase();
    let lookup = reference.clone();
    let target = with_db(&state.pool, move |conn| {
        Ok(Item::find_by_reference(conn, &lookup)?)
    })
    .await?;
    let Some(target) = target else {
        let mut errors = input.errors;
        errors.add(
            "merge_target",
            state.renderer.catalog(),
            lang,
            "error_unknown_reference",
        );
        let kept = HashMap::from([("merge_target", reference), ("merge_comment", input.text)]);
        return item_page(&state, &current, id, errors, kept, UNPROCESSABLE).await;
    };
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_merged",
        move |conn, actor, comment| workflow::merge(conn, actor, id, target, &comment, now()),
    )
    .await
}

/// The implementation form.
#[derive(Debug, Deserialize)]
pub struct ImplementationForm {
    #[serde(default)]
    state: String,
    #[serde(default)]
    text: String,
}

/// `POST /items/{id}/implementation`: records progress (`started` or `done`).
pub async fn follow_implementation(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<i32>,
    CsrfForm(form): CsrfForm<ImplementationForm>,
) -> Result<HttpResponse, AppError> {
    let id = ItemId(path.into_inner());
    let input = checked_text(
        &state.renderer,
        current.visit.lang,
        "implementation_comment",
        &form.text,
        false,
        COMMENT_MAX_CHARS,
    );
    let done = form.state == "done";
    act_on_text(
        &state,
        &current,
        id,
        input,
        "flash_implementation",
        move |conn, actor, comment| {
            workflow::follow_implementation(conn, actor, id, done, &comment, now())
        },
    )
    .await
}
