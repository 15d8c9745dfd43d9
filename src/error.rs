//! The app's one error type and how each kind becomes a response.
//!
//! Handlers return `Result<_, AppError>`. A form that fails validation is not an
//! error: it is re-rendered with messages (see `routes::forms`).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::db::{ConflictKind, DatabaseFailure, StoreError};
use crate::domain::PrefixProblem;

/// What went wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or this user may not know that it does.
    #[error("not found")]
    NotFound,
    /// The user may not do this. Answered exactly like `NotFound`, so outsiders
    /// learn nothing about what exists.
    #[error("forbidden")]
    Forbidden,
    /// The page needs a logged-in user.
    #[error("login required")]
    LoginRequired,
    /// The form's CSRF token or origin did not match this session.
    #[error("the request failed the CSRF check")]
    CsrfRejected,
    /// The request body is larger than the app accepts.
    #[error("request body too large")]
    TooLarge,
    /// The action does not fit the item's present state (someone else acted first).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A database failure.
    #[error("database error")]
    Database(#[from] diesel::result::Error),
    /// Anything else that should not happen.
    #[error("unexpected error: {0}")]
    Unexpected(String),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Conflict(kind) => AppError::Conflict(conflict_key(kind)),
            StoreError::Database(cause) => AppError::Database(cause),
        }
    }
}

/// The text key that explains a storage conflict to the user: the one place a
/// conflict's kind meets its words.
pub fn conflict_key(kind: ConflictKind) -> &'static str {
    match kind {
        ConflictKind::Transition => "error_transition",
        ConflictKind::ConferenceClosed => "error_conference_closed",
        ConflictKind::SameBody => "error_same_body",
        ConflictKind::NoDraft => "error_no_draft",
        ConflictKind::OwnDraft => "error_own_draft",
        ConflictKind::EditedThisCycle => "error_edited_this_cycle",
        ConflictKind::MergeSelf => "error_merge_self",
        ConflictKind::MergeTarget => "error_merge_target",
        ConflictKind::NoSatisfaction => "error_no_satisfaction",
        ConflictKind::PrefixTaken => "error_prefix_taken",
        ConflictKind::ExtensionPending => "error_extension_pending",
        ConflictKind::ExtensionDecided => "error_extension_decided",
        ConflictKind::ClockState => "error_clock_state",
        ConflictKind::CommitmentClosed => "error_commitment_closed",
        ConflictKind::NotResolved => "error_not_resolved",
        ConflictKind::NoOutcome => "error_no_outcome",
        ConflictKind::NoCommitment => "error_no_commitment",
        ConflictKind::CommitmentsNotAllowed => "error_commitments_not_allowed",
        ConflictKind::CommitmentGone => "error_commitment_gone",
        ConflictKind::StaleForm => "error_stale_form",
    }
}

/// The text key that explains why a conference's reference prefix was refused,
/// for the message beside the form field.
pub fn prefix_problem_key(problem: PrefixProblem) -> &'static str {
    match problem {
        PrefixProblem::Empty => "error_prefix_empty",
        PrefixProblem::TooLong => "error_prefix_too_long",
        PrefixProblem::BadShape => "error_prefix_shape",
    }
}

impl DatabaseFailure for AppError {
    fn database_error(&self) -> Option<&diesel::result::Error> {
        match self {
            AppError::Database(error) => Some(error),
            _ => None,
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        AppError::Unexpected(format!("database pool: {error}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::Unexpected(format!("blocking task: {error}"))
    }
}

impl From<tera::Error> for AppError {
    fn from(error: tera::Error) -> Self {
        AppError::Unexpected(format!("template: {error:?}"))
    }
}

/// Which page explains an error to the user; the error-page middleware renders it
/// in the user's language with the normal layout.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    /// The locale key of the page's heading.
    pub title_key: &'static str,
    /// The locale key of the explanation.
    pub message_key: &'static str,
}

impl AppError {
    fn page(&self) -> ErrorPage {
        let (title_key, message_key) = match self {
            AppError::NotFound | AppError::Forbidden => {
                ("error_not_found_title", "error_not_found")
            }
            AppError::LoginRequired => ("error_login_required_title", "error_login_required"),
            AppError::CsrfRejected => ("error_csrf_title", "error_csrf"),
            AppError::TooLarge => ("error_too_large_title", "error_too_large"),
            AppError::Conflict(key) => ("error_conflict_title", *key),
            AppError::Database(_) | AppError::Unexpected(_) => {
                ("error_unexpected_title", "error_unexpected")
            }
        };
        ErrorPage {
            title_key,
            message_key,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Forbidden => StatusCode::NOT_FOUND,
            AppError::LoginRequired => StatusCode::SEE_OTHER,
            AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Database(_) | AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::LoginRequired => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/login"))
                    .finish();
            }
            AppError::Database(cause) => tracing::error!(error = ?cause, "database error"),
            AppError::Unexpected(cause) => tracing::error!(error = %cause, "unexpected error"),
            AppError::Forbidden => tracing::info!("forbidden request answered as not found"),
            AppError::CsrfRejected => tracing::warn!("request refused by the CSRF check"),
            AppError::TooLarge => tracing::info!("request body over the limit refused"),
            AppError::NotFound | AppError::Conflict(_) => {}
        }
        let mut response = HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.page().title_key);
        response.extensions_mut().insert(self.page());
        response
    }
}
