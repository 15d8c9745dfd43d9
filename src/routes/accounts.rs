//! Accounts by email: accepting an invitation, asking for a password reset and
//! using its link, and the administrator's bulk invitation of delegates from CSV.
//!
//! Every link page answers an unknown, used or expired token with one and the same
//! page, so nobody learns which it was.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tera::Context;

use super::auth::{ensure_session, with_cookie};
use super::forms::{FormErrors, UNPROCESSABLE};
use super::pages::{flash, now, page, see_other, with_db};
use crate::auth::session::{self, random_token, session_cookie};
use crate::auth::{throttle, CsrfForm, CurrentUser, Hashing, Visit};
use crate::db::sessions::SessionRow;
use crate::db::tokens::{self, AccountToken, TokenPurpose};
use crate::db::users::{NewUser, User};
use crate::db::{is_unique_violation, write_transaction};
use crate::domain::credentials::{check_new_password, mask_email, Email};
use crate::domain::csv::{is_header, parse_csv};
use crate::domain::text::{char_len, normalize};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};
use crate::routes::roles::Admin;
use crate::routes::AppState;

/// The hash stored for an account whose password nobody knows yet: a real argon2id
/// hash of a random password that is thrown away. A login attempt on it costs the
/// same time as on any account, so it does not tell that the account is new.
pub async fn unusable_password_hash(hashing: &Hashing) -> Result<String, AppError> {
    hashing.hash(random_token()).await
}

// ---------------------------------------------------------------------------
// Setting a password from a link (invitation or reset)

/// The set-password form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// A token from a URL that could be one of ours (64 hex digits); anything else is
/// answered as unknown without asking the database.
fn plausible_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The usable token behind a link and its active account, if both exist.
async fn open_link(
    state: &AppState,
    token: &str,
    purpose: TokenPurpose,
) -> Result<Option<(AccountToken, User)>, AppError> {
    if !plausible_token(token) {
        return Ok(None);
    }
    let secret = state.config.secret_key.clone();
    let token = token.to_owned();
    with_db(&state.pool, move |conn| {
        let Some(row) = AccountToken::find_usable(conn, &secret, &token, purpose, now())? else {
            return Ok(None);
        };
        let user = User::find(conn, row.user())?.filter(|u| u.active);
        Ok(user.map(|user| (row, user)))
    })
    .await
}

/// The one page for every link that does not work (unknown, used or expired).
async fn link_not_usable(state: &AppState, visit: &Visit) -> Result<HttpResponse, AppError> {
    page(
        state,
        visit,
        "accounts/link_invalid.html",
        Context::new(),
        StatusCode::NOT_FOUND,
    )
    .await
}

/// Renders the set-password form of a link.
async fn set_password_page(
    state: &AppState,
    visit: &Visit,
    purpose: TokenPurpose,
    token: &str,
    user: &User,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let mut context = Context::new();
    context.insert("purpose", purpose.as_str());
    context.insert("action", &purpose.path(token));
    context.insert("account_email", &user.email);
    context.insert("errors", errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        UNPROCESSABLE
    };
    page(state, visit, "accounts/set_password.html", context, status).await
}

/// `GET` of a link: the set-password form, or the page for a link that does not
/// work. A visitor without a session gets one in the account's language, so the
/// form carries a CSRF token and speaks the user's language.
async fn link_form(
    state: web::Data<AppState>,
    mut visit: Visit,
    token: String,
    purpose: TokenPurpose,
) -> Result<HttpResponse, AppError> {
    let Some((_, user)) = open_link(&state, &token, purpose).await? else {
        return link_not_usable(&state, &visit).await;
    };
    if visit.id_hash.is_none() {
        visit.lang = Lang::from_code(&user.locale);
    }
    let cookie = ensure_session(&state, &mut visit).await?;
    let response = set_password_page(
        &state,
        &visit,
        purpose,
        &token,
        &user,
        &FormErrors::default(),
    )
    .await?;
    with_cookie(response, cookie)
}

/// `POST` of a link: checks the new password, then in one transaction uses the
/// token (only one request can), stores the password (which ends every session of
/// the user), ends the user's other tokens and logs this browser in afresh.
#[expect(clippy::too_many_arguments, reason = "the extractors of one handler")]
async fn set_password_by_link(
    state: web::Data<AppState>,
    visit: Visit,
    token: String,
    purpose: TokenPurpose,
    form: NewPasswordForm,
) -> Result<HttpResponse, AppError> {
    let Some((row, user)) = open_link(&state, &token, purpose).await? else {
        return link_not_usable(&state, &visit).await;
    };
    let (catalog, lang) = (state.renderer.catalog(), visit.lang);
    let mut errors = FormErrors::default();
    if let Err(problem) = check_new_password(&form.new_password) {
        errors.add("new_password", catalog, lang, problem.message_key());
    }
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", catalog, lang, "error_password_mismatch");
    }
    if !errors.is_empty() {
        return set_password_page(&state, &visit, purpose, &token, &user, &errors).await;
    }

    let hash = state.hashing.hash(form.new_password).await?;
    let secret = state.config.secret_key.clone();
    let old_session = visit.id_hash.clone();
    let user_id = user.user_id();
    // A successful reset also forgets the address's failed logins and reset
    // requests: whoever holds the mailbox has proved it.
    let mut cleared = throttle::keys(&user.email, "");
    cleared.truncate(1);
    cleared.push(reset_throttle_key(&user.email));
    let flash_key = match purpose {
        TokenPurpose::Invitation => "accounts_flash_invitation_accepted",
        TokenPurpose::PasswordReset => "accounts_flash_password_reset",
    };
    let started = with_db(&state.pool, move |conn| {
        write_transaction(conn, |conn| {
            let at = now();
            if !AccountToken::consume(conn, &row.token_hash, purpose, at)? {
                return Ok(None);
            }
            User::set_password_hash(conn, user_id, &hash, at)?;
            AccountToken::revoke_unused(conn, user_id, None, at)?;
            throttle::clear(conn, &cleared)?;
            if let Some(old) = &old_session {
                SessionRow::delete(conn, old)?;
            }
            let started = session::start(conn, &secret, Some(user_id), lang, at)?;
            flash(conn, &started.id_hash, flash_key)?;
            Ok(Some(started.id))
        })
    })
    .await?;
    let Some(id) = started else {
        // Another request used the link between our check and our update.
        return link_not_usable(&state, &visit).await;
    };
    tracing::info!(
        user = user_id.0,
        purpose = purpose.as_str(),
        "password set from an emailed link"
    );
    with_cookie(see_other("/"), Some(session_cookie(&state.config, id)))
}

/// `GET /invite/{token}`: the invited user chooses a password.
pub async fn invite_form(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    link_form(state, visit, token, TokenPurpose::Invitation).await
}

/// `POST /invite/{token}`: sets the first password and logs the user in.
pub async fn accept_invite(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let purpose = TokenPurpose::Invitation;
    set_password_by_link(state, visit, token, purpose, form).await
}

/// `GET /password/reset/{token}`: the user chooses a new password.
pub async fn reset_form(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    link_form(state, visit, token, TokenPurpose::PasswordReset).await
}

/// `POST /password/reset/{token}`: sets the new password, ends every other
/// session of the user and logs this browser in.
pub async fn reset_password(
    state: web::Data<AppState>,
    visit: Visit,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = path.into_inner();
    let purpose = TokenPurpose::PasswordReset;
    set_password_by_link(state, visit, token, purpose, form).await
}

// ---------------------------------------------------------------------------
// Forgotten password

/// The forgotten-password form as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The throttle key that counts reset requests for one address.
fn reset_throttle_key(email: &str) -> String {
    format!("reset:{email}")
}

/// `GET /password/forgot`: asks for the address. Like the login form, a visitor
/// without a session gets an anonymous one for the CSRF token.
pub async fn forgot_form(
    state: web::Data<AppState>,
    mut visit: Visit,
) -> Result<HttpResponse, AppError> {
    let cookie = ensure_session(&state, &mut visit).await?;
    let mut context = Context::new();
    context.insert("form", &ForgotForm::default());
    context.insert("errors", &FormErrors::default());
    let response = page(
        &state,
        &visit,
        "accounts/forgot.html",
        context,
        StatusCode::OK,
    )
    .await?;
    with_cookie(response, cookie)
}

/// `POST /password/forgot`: for an active account, queues a mail with a reset
/// link. The answer is the same page with the same status whether the address
/// has an account or not, and after five requests for one address in the throttle
/// window further ones are quietly dropped, so the desk can neither be asked who
/// has an account nor used to flood a mailbox.
pub async fn forgot(
    state: web::Data<AppState>,
    visit: Visit,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let Some(email) = Email::parse(&form.email) else {
        // A malformed address says nothing about who has an account.
        let mut errors = FormErrors::default();
        errors.add(
            "email",
            state.renderer.catalog(),
            visit.lang,
            "accounts_error_email",
        );
        let mut context = Context::new();
        context.insert("form", &form);
        context.insert("errors", &errors);
        return page(
            &state,
            &visit,
            "accounts/forgot.html",
            context,
            UNPROCESSABLE,
        )
        .await;
    };
    let secret = state.config.secret_key.clone();
    let base_url = state.config.base_url.clone();
    let address = email.as_str().to_owned();
    with_db(&state.pool, move |conn| {
        let at = now();
        let keys = [reset_throttle_key(&address)];
        if throttle::blocked_for(conn, &keys, at)?.is_some() {
            tracing::info!(account = %mask_email(&address), "password reset request throttled");
            return Ok(());
        }
        throttle::record_failure(conn, &keys, at)?;
        let Some(user) = User::find_by_email(conn, &address)?.filter(|u| u.active) else {
            return Ok(());
        };
        write_transaction(conn, |conn| {
            let purpose = TokenPurpose::PasswordReset;
            Ok(tokens::send_link(
                conn, &secret, &base_url, &user, purpose, at,
            )?)
        })?;
        tracing::info!(account = %mask_email(&address), "password reset link queued");
        Ok(())
    })
    .await?;
    let mut context = Context::new();
    let minutes = TokenPurpose::PasswordReset.valid_for().num_minutes();
    context.insert("valid_minutes", &minutes.to_string());
    page(
        &state,
        &visit,
        "accounts/forgot_sent.html",
        context,
        StatusCode::OK,
    )
    .await
}

// ---------------------------------------------------------------------------
// Bulk invitation of delegates from CSV

/// Most rows one import takes (all go in one transaction).
pub const IMPORT_MAX_ROWS: usize = 500;
/// Longest name and unit, as on the user form.
const NAME_MAX_CHARS: usize = 200;

/// The import form: the pasted CSV and which step it is at.
#[derive(Debug, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    step: String,
}

/// One row of the preview: what will be created, or why it cannot be.
#[derive(Debug, Clone, Serialize)]
struct ImportRow {
    line: usize,
    full_name: String,
    email: String,
    unit: String,
    errors: Vec<String>,
}

/// The rows of the pasted CSV with their problems: a missing or too long name, a
/// bad email, too many columns, an email twice in the file or already registered
/// (`registered` answers that). `Err` carries a message for the whole paste.
fn check_import(
    csv: &str,
    mut registered: impl FnMut(&str) -> Result<bool, AppError>,
    catalog: &Catalog,
    lang: Lang,
) -> Result<Result<Vec<ImportRow>, String>, AppError> {
    let text = |key: &str| catalog.get(lang, key).to_owned();
    let mut records = match parse_csv(csv) {
        Ok(records) => records,
        Err(line) => {
            let message = text("accounts_import_error_quote").replace("{line}", &line.to_string());
            return Ok(Err(message));
        }
    };
    if records.first().is_some_and(is_header) {
        records.remove(0);
    }
    if records.is_empty() {
        return Ok(Err(text("accounts_import_error_empty")));
    }
    if records.len() > IMPORT_MAX_ROWS {
        let message =
            text("accounts_import_error_too_many").replace("{max}", &IMPORT_MAX_ROWS.to_string());
        return Ok(Err(message));
    }
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        let cell = |i: usize| normalize(record.fields.get(i).map(String::as_str).unwrap_or(""));
        let mut row = ImportRow {
            line: record.line,
            full_name: cell(0),
            email: cell(1),
            unit: cell(2),
            errors: Vec::new(),
        };
        if record.fields.len() > 3 {
            row.errors.push(text("accounts_import_error_columns"));
        }
        if row.full_name.is_empty() {
            row.errors.push(text("accounts_import_error_name"));
        } else if char_len(&row.full_name) > NAME_MAX_CHARS {
            row.errors.push(text("accounts_import_error_name_long"));
        }
        if char_len(&row.unit) > NAME_MAX_CHARS {
            row.errors.push(text("accounts_import_error_unit_long"));
        }
        match Email::parse(&row.email) {
            None => row.errors.push(text("accounts_import_error_email")),
            Some(email) => {
                row.email = email.as_str().to_owned();
                if let Some(first) = first_line_of.get(&row.email) {
                    let message = text("accounts_import_error_duplicate")
                        .replace("{line}", &first.to_string());
                    row.errors.push(message);
                } else {
                    first_line_of.insert(row.email.clone(), row.line);
                    if registered(&row.email)? {
                        row.errors.push(text("accounts_import_error_registered"));
                    }
                }
            }
        }
        rows.push(row);
    }
    Ok(Ok(rows))
}

/// Checks the paste against the database (which addresses are registered).
async fn check_import_now(
    state: &AppState,
    csv: &str,
    lang: Lang,
) -> Result<Result<Vec<ImportRow>, String>, AppError> {
    let _renderer = state.renderer.clone();
    let csv = csv.to_owned();
    let renderer = state.renderer.clone();
    with_db(&state.pool, move |conn| {
        let registered = |email: &str| Ok(User::find_by_email(conn, email)?.is_some());
        check_import(&csv, registered, renderer.catalog(), lang)
    })
    .await
}

/// Renders the import page: the paste, and once checked, the preview.
async fn import_page(
    state: &AppState,
    current: &CurrentUser,
    csv: &str,
    checked: Option<&Result<Vec<ImportRow>, String>>,
) -> Result<HttpResponse, AppError> {
    let mut context = Context::new();
    context.insert("csv", csv);
    let mut status = StatusCode::OK;
    match checked {
        None => {}
        Some(Err(message)) => {
            context.insert("import_error", message);
            status = UNPROCESSABLE;
        }
        Some(Ok(rows)) => {
            let with_errors = rows.iter().filter(|r| !r.errors.is_empty()).count();
            context.insert("rows", rows);
            context.insert("rows_with_errors", &with_errors);
            context.insert("can_confirm", &(with_errors == 0));
            if with_errors > 0 {
                status = UNPROCESSABLE;
            }
        }
    }
    page(
        state,
        &current.visit,
        "accounts/import.html",
        context,
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
    let lang = current.visit.lang;
    let checked = check_import_now(&state, &form.csv, lang).await?;
    let rows = match (&checked, form.step.as_str()) {
        (Ok(rows), "confirm") if rows.iter().all(|r| r.errors.is_empty()) => rows.clone(),
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
                    role: Role::Delegate.as_str().to_owned(),
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
            let checked = check_import_now(&state, &form.csv, lang).await?;
            import_page(&state, &current, &form.csv, Some(&checked)).await
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_gets_its_problems_and_the_file_is_checked_for_duplicates() {
        let catalog = Catalog::load();
        let csv = "name,email,unit\n\
                   Nguyễn Văn A,A@NgheAn.vn,Sở Tài chính\n\
                   ,b@nghean.vn,\n\
                   Trần C,not-an-email,\n\
                   Lê D,a@nghean.vn,\n\
                   Phạm E,taken@nghean.vn,\n\
                   Võ F,f@nghean.vn,x,y\n";
        let registered = |email: &str| Ok(email == "taken@nghean.vn");
        let rows = check_import(csv, registered, &catalog, Lang::En)
            .unwrap()
            .unwrap();
        let problems: Vec<usize> = rows.iter().map(|r| r.errors.len()).collect();
        assert_eq!(problems, vec![0, 1, 1, 1, 1, 1]);
        assert_eq!(rows[0].email, "a@nghean.vn");
        assert_eq!(rows[0].line, 2);
        assert!(rows[3].errors[0].contains('2'), "{:?}", rows[3].errors);
    }

    #[test]
    fn an_empty_paste_is_refused_as_a_whole() {
        let catalog = Catalog::load();
        let outcome = check_import("name,email,unit\n", |_| Ok(false), &catalog, Lang::Vi);
        assert!(outcome.unwrap().is_err());
    }

    #[test]
    fn only_tokens_of_our_shape_are_looked_up() {
        assert!(plausible_token(&random_token()));
        assert!(!plausible_token("abc"));
        assert!(!plausible_token(&"z".repeat(64)));
    }
}
