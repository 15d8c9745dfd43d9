//! The one form helper of the administrator's areas: the add and edit form
//! page of each area, body choices, checkbox values, codes, and saving with a
//! one-time message.

use actix_web::HttpResponse;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::bodies::Body;
use crate::db::{is_unique_violation, DbConnection};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::forms::FormErrors;
use crate::routes::pages::{flash, typed_page, with_db};
use crate::routes::AppState;

/// Longest code of a body or a field.
const CODE_MAX_CHARS: usize = 40;

/// One option of a body select, with the id as text to compare with the form.
#[derive(Debug, Serialize)]
pub(super) struct Choice {
    id: String,
    name: String,
    active: bool,
}

/// A ticked checkbox arrives as any value; an unticked one not at all.
pub(super) fn ticked(value: &str) -> bool {
    !value.is_empty()
}

/// The form value of a checkbox in the state `on`.
pub(super) fn tick(on: bool) -> String {
    if on { "on" } else { "" }.to_owned()
}

/// A code such as `TCTU` or `to-chuc-can-bo`: ASCII letters, digits, `-` and `_`.
pub(super) fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= CODE_MAX_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The four areas of the administrator's pages.
#[derive(Debug, Clone, Copy)]
pub(super) enum Area {
    Users,
    Bodies,
    Fields,
    Conferences,
}

impl Area {
    pub(super) fn base(self) -> &'static str {
        match self {
            Area::Users => "/admin/users",
            Area::Bodies => "/admin/bodies",
            Area::Fields => "/admin/fields",
            Area::Conferences => "/admin/conferences",
        }
    }

    pub(super) fn form_template(self) -> &'static str {
        match self {
            Area::Users => "admin/user_form.html",
            Area::Bodies => "admin/body_form.html",
            Area::Fields => "admin/field_form.html",
            Area::Conferences => "admin/conference_form.html",
        }
    }
}

/// Renders an area's add (`id` None) or edit form: status 200 when there are no
/// errors, 422 when it comes back with messages beside the fields.
pub(super) async fn form_page(
    state: &AppState,
    current: &CurrentUser,
    area: Area,
    id: Option<i32>,
    form: &impl Serialize,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let base = area.base();
    let (action, here) = match id {
        Some(id) => (format!("{base}/{id}"), format!("{base}/{id}")),
        None => (base.to_owned(), format!("{base}/new")),
    };
    let bodies = if matches!(area, Area::Users | Area::Fields | Area::Bodies) {
        Some(body_choices(state, current.visit.lang).await?)
    } else {
        None
    };
    let context = FormPage {
        action,
        here,
        editing: id.is_some(),
        form,
        errors,
        bodies,
        roles: matches!(area, Area::Users).then(|| Role::ALL.map(Role::as_str)),
    };
    let status = errors.status();
    typed_page(
        state,
        &current.visit,
        area.form_template(),
        &context,
        status,
    )
    .await
}

/// An area's empty add form, filled with `form`'s defaults.
pub(super) async fn new_page(
    state: &AppState,
    current: &CurrentUser,
    area: Area,
    form: &impl Serialize,
) -> Result<HttpResponse, AppError> {
    form_page(state, current, area, None, form, &FormErrors::default()).await
}

/// An area's edit form, filled from the row `find` loads (404 when there is none).
pub(super) async fn edit_page<R, F>(
    state: &AppState,
    current: &CurrentUser,
    area: Area,
    id: i32,
    find: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<Option<R>> + Send + 'static,
) -> Result<HttpResponse, AppError>
where
    R: Send + 'static,
    F: for<'r> From<&'r R> + Serialize,
{
    let row = with_db(&state.pool, move |conn| {
        find(conn)?.ok_or(AppError::NotFound)
    })
    .await?;
    form_page(
        state,
        current,
        area,
        Some(id),
        &F::from(&row),
        &FormErrors::default(),
    )
    .await
}

/// The template variables of an area's form (those left out are undefined).
#[derive(Serialize)]
struct FormPage<'a, F: Serialize> {
    /// Where the form posts.
    action: String,
    /// The page's own path, for the navigation.
    here: String,
    /// Editing an existing row rather than adding one.
    editing: bool,
    /// The values as typed or stored.
    form: &'a F,
    /// Messages beside the fields.
    errors: &'a FormErrors,
    /// Users and fields: the bodies to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    bodies: Option<Vec<Choice>>,
    /// Users: the roles to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    roles: Option<[&'static str; Role::ALL.len()]>,
}

/// Every body as an option, in the user's language.
pub(super) async fn body_choices(state: &AppState, lang: Lang) -> Result<Vec<Choice>, AppError> {
    let bodies = with_db(&state.pool, |conn| Ok(Body::all(conn)?)).await?;
    Ok(bodies
        .iter()
        .map(|b| Choice {
            id: b.id.to_string(),
            name: b.name(lang).to_owned(),
            active: b.active,
        })
        .collect())
}

/// The body chosen in a select, if it is one of `bodies`, and whether it is active.
pub(super) fn chosen_body(bodies: &[Body], value: &str) -> Option<(i32, bool)> {
    let id = value.parse::<i32>().ok()?;
    bodies.iter().find(|b| b.id == id).map(|b| (b.id, b.active))
}

/// Runs `work` and leaves `flash_key` for the next page, in one go.
pub(super) async fn commit(
    state: &AppState,
    current: &CurrentUser,
    flash_key: &'static str,
    work: impl FnOnce(&mut DbConnection) -> Result<(), AppError> + Send + 'static,
) -> Result<(), AppError> {
    let session = current.session.clone();
    with_db(&state.pool, move |conn| {
        work(conn)?;
        flash(conn, &session, flash_key)
    })
    .await
}

/// `Ok(true)` when saved, `Ok(false)` when a unique email or code refused it.
pub(super) fn saved(outcome: Result<(), AppError>) -> Result<bool, AppError> {
    match outcome {
        Ok(()) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// An update that touched no row: the thing does not exist.
pub(super) fn updated(rows: usize) -> Result<(), AppError> {
    if rows == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ascii_letters_digits_hyphens_and_underscores() {
        assert!(valid_code("TCTU"));
        assert!(valid_code("to-chuc-can-bo"));
        assert!(valid_code("BCSD_UBND2"));
        assert!(!valid_code(""));
        assert!(!valid_code("tổ chức"));
        assert!(!valid_code("a b"));
        assert!(!valid_code(&"x".repeat(CODE_MAX_CHARS + 1)));
    }

    #[test]
    fn a_checkbox_counts_as_ticked_whatever_value_it_sends() {
        assert!(ticked("on"));
        assert!(ticked("1"));
        assert!(!ticked(""));
        assert!(ticked(&tick(true)));
        assert!(!ticked(&tick(false)));
    }
}
