//! The bulk invitation of delegates from pasted CSV: a preview that saves
//! nothing, then every account with its invitation in one transaction. The row
//! rules are in `domain::import`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};

use super::links::unusable_password_hash;
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::tokens::{self, TokenPurpose};
use crate::db::users::{NewUser, User};
use crate::db::{is_unique_violation, write_transaction};
use crate::domain::import::{check_rows, mark_registered, ImportRefusal, ImportRow, RowProblem};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};
use crate::routes::forms::UNPROCESSABLE;
use crate::routes::pages::typed_page;
use crate::routes::pages::{flash, now, see_other, with_db};
use crate::routes::roles::Admin;
use crate::routes::AppState;
use std::collections::HashSet;

/// The import form: the pasted CSV and which step it is at.
#[derive(Debug, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    step: String,
}

/// A row of the preview as the template shows it: its problems in words.
#[derive(Debug, Serialize)]
struct ImportLine {
    line: usize,
    full_name: String,
    email: String,
    unit: String,
    errors: Vec<String>,
}

/// The import page's template variables (those left out are undefined there).
#[derive(Debug, Serialize)]
struct ImportPage<'a> {
    csv: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    import_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<Vec<ImportLine>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_with_errors: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    can_confirm: Option<bool>,
}

/// The message for a paste refused as a whole.
fn refusal_message(refusal: ImportRefusal, catalog: &Catalog, lang: Lang) -> String {
    let text = |key: &str| catalog.get(lang, key).to_owned();
    match refusal {
        ImportRefusal::UnclosedQuote { line } => {
            text("accounts_import_error_quote").replace("{line}", &line.to_string())
        }
        ImportRefusal::Empty => text("accounts_import_error_empty"),
        ImportRefusal::TooMany { max } => {
            text("accounts_import_error_too_many").replace("{max}", &max.to_string())
        }
    }
}

/// The message for one problem of a row.
fn problem_message(problem: RowProblem, catalog: &Catalog, lang: Lang) -> String {
    let key = match problem {
        RowProblem::Columns => "accounts_import_error_columns",
        RowProblem::NameMissing => "accounts_import_error_name",
        RowProblem::NameTooLong => "accounts_import_error_name_long",
        RowProblem::UnitTooLong => "accounts_import_error_unit_long",
        RowProblem::Email => "accounts_import_error_email",
        RowProblem::Duplicate { .. } => "accounts_import_error_duplicate",
        RowProblem::Registered => "accounts_import_error_registered",
    };
    let message = catalog.get(lang, key).to_owned();
    match problem {
        RowProblem::Duplicate { first_line } => message.replace("{line}", &first_line.to_string()),
        _ => message,
    }
}

/// Checks the paste by the import rules, and its addresses against the accounts.
async fn check_import_now(
    state: &AppState,
    csv: &str,
) -> Result<Result<Vec<ImportRow>, ImportRefusal>, AppError> {
    let mut rows = match check_rows(csv) {
        Ok(rows) => rows,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let lookups: Vec<String> = rows
        .iter()
        .filter(|r| r.needs_lookup())
        .map(|r| r.email.clone())
        .collect();
    // One query for all the paste's addresses, not one per row.
    let registered: HashSet<String> = with_db(&state.pool, move |conn| {
        Ok(User::existing_emails(conn, &lookups)?)
    })
    .await?;
    mark_registered(&mut rows, |email| registered.contains(email));
    Ok(Ok(rows))
}

/// Renders the import page: the paste, and once checked, the preview.
async fn import_page(
    state: &AppState,
    current: &CurrentUser,
    csv: &str,
    checked: Option<&Result<Vec<ImportRow>, ImportRefusal>>,
) -> Result<HttpResponse, AppError> {
    let (catalog, lang) = (state.renderer.catalog(), current.visit.lang);
    let mut context = ImportPage {
        csv,
        import_error: None,
        rows: None,
        rows_with_errors: None,
        can_confirm: None,
    };
    let mut status = StatusCode::OK;
    match checked {
        None => {}
        Some(Err(refusal)) => {
            context.import_error = Some(refusal_message(*refusal, catalog, lang));
            status = UNPROCESSABLE;
        }
        Some(Ok(rows)) => {
            let with_errors = rows.iter().filter(|r| !r.problems.is_empty()).count();
            context.rows = Some(
                rows.iter()
                    .map(|row| ImportLine {
                        line: row.line,
                        full_name: row.full_name.clone(),
                        email: row.email.clone(),
                        unit: row.unit.clone(),
                        errors: row
                            .problems
                            .iter()
                            .map(|p| problem_message(*p, catalog, lang))
                            .collect(),
                    })
                    .collect(),
            );
            context.rows_with_errors = Some(with_errors);
            context.can_confirm = Some(with_errors == 0);
            if with_errors > 0 {
                status = UNPROCESSABLE;
            }
        }
    }
    typed_page(
        state,
        &current.visit,
        "accounts/import.html",
        &context,
        status,
    )
    .await
}

/// `GET /admin/users/import`: the box to paste delegates into.
pub async fn import_form(
    state: web::Data<AppState>,
    current: Admin,
) -> Result<HttpResponse, AppError> {
    import_page(&state, &current, "", None).await
}

/// `POST /admin/users/import`: `step=preview` checks every row and saves nothing;
/// `step=confirm` (the same CSV, carried in a hidden field) checks again and, only
/// if no row has a problem, creates every delegate with an invitation in one
/// transaction. Otherwise it shows the preview again.
pub async fn import(
    state: web::Data<AppState>,
    current: Admin,
    CsrfForm(form): CsrfForm<ImportForm>,
) -> Result<HttpResponse, AppError> {
    let checked = check_import_now(&state, &form.csv).await?;
    let rows = match (&checked, form.step.as_str()) {
        (Ok(rows), "confirm") if rows.iter().all(|r| r.problems.is_empty()) => rows.clone(),
        _ => return import_page(&state, &current, &form.csv, Some(&checked)).await,
    };

    // One hash serves every new account: its password is random and thrown away,
    // and hashing hundreds would keep the administrator waiting for nothing.
    let hash = unusable_password_hash(&state.hashing).await?;
    let secret = state.config.secret_key.clone();
    let base_url = state.config.base_url.clone();
    let session = current.session.clone();
    let count = rows.len();
    let outcome = with_db(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            let at = now();
            for row in &rows {
                let id = NewUser {
                    email: row.email.clone(),
                    full_name: row.full_name.clone(),
                    unit: row.unit.clone(),
                    role: Role::Delegate,
                    body_id: None,
                    password_hash: hash.clone(),
                    locale: Lang::Vi.code().to_owned(),
                    active: true,
                    created_at: at,
                    password_changed_at: at,
                }
                .insert(conn)?;
                let user = User::find(conn, id)?.ok_or(AppError::NotFound)?;
                let purpose = TokenPurpose::Invitation;
                tokens::send_link(conn, &secret, &base_url, &user, purpose, at)?;
            }
            flash(conn, &session, "accounts_flash_imported")
        })
    })
    .await;
    match outcome {
        Ok(()) => {
            tracing::info!(count, by = current.user.id, "delegates invited from CSV");
            Ok(see_other("/admin/users"))
        }
        // Someone registered one of the addresses meanwhile: show why.
        Err(error) if is_unique_violation(&error) => {
            let checked = check_import_now(&state, &form.csv).await?;
            import_page(&state, &current, &form.csv, Some(&checked)).await
        }
        Err(error) => Err(error),
    }
}
