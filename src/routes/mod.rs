//! HTTP only: extract, validate, call the workflow, render or redirect. The whole
//! URL map is the `routes!` table below, which expands to [`configure`] and [`ROUTES`].

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod commitments;
pub mod contributions;
pub mod dashboard;
pub mod deadlines;
pub mod delegate;
pub mod forms;
pub mod items;
pub mod list_export;
pub mod middleware;
pub mod monitoring;
pub mod outbox;
pub mod pages;
pub mod queues;
pub mod reports;
pub mod roles;
pub mod second_factor;
pub mod sessions;
pub mod state;
pub mod tasks;
pub mod thematic;

pub use state::AppState;

use actix_web::http::Method;
use actix_web::web;

/// Declares the URL map once and expands it twice: into [`configure`], which
/// registers each route in the order written, and into [`ROUTES`], the same list
/// as data (actix cannot list the routes of a `ServiceConfig`), so a test can
/// check that every route has its row in the authorization matrix.
macro_rules! routes {
    ($($method:ident $path:literal => $handler:path,)*) => {
        /// Every route of the app as (method, path pattern), in registration order.
        pub const ROUTES: &[(Method, &str)] = &[$((Method::$method, $path),)*];

        /// Every route of the app, top to bottom.
        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::route().method(Method::$method).to($handler));)*
        }
    };
}

// The one URL map: `METHOD "path" => handler`, grouped by who uses it.
routes! {
    // Everyone
    GET "/" => auth::home,
    GET "/login" => auth::login_form,
    POST "/login" => auth::login,
    POST "/logout" => auth::logout,
    POST "/language" => auth::set_language,
    GET "/account/password" => auth::password_form,
    POST "/account/password" => auth::change_password,
    GET "/account/sessions" => sessions::list,
    POST "/account/sessions/others" => sessions::end_others,
    // Second factor (issue 8): the code after the password, enrolment
    GET "/login/second-factor" => second_factor::login_code_form,
    POST "/login/second-factor" => second_factor::login_code,
    GET "/account/second-factor" => second_factor::enrol_form,
    POST "/account/second-factor" => second_factor::enrol,
    // Delegate
    GET "/my" => queues::mine,
    GET "/proposals/new" => delegate::new_proposal,
    POST "/proposals" => delegate::submit_proposal,
    GET "/proposals/{id}/submitted" => delegate::submitted,
    POST "/items/{id}/withdraw" => items::withdraw,
    POST "/items/{id}/satisfaction" => items::rate,
    POST "/items/{id}/result-rating" => items::rate_result,
    // Every role that may see an item
    GET "/items/{id}" => items::show,
    GET "/items/{id}/print" => items::print,
    POST "/items/{id}/notes" => items::add_note,
    POST "/items/{id}/satisfaction-reply" => items::reply_to_satisfaction,
    // Drafter and approver
    GET "/queue" => queues::queue,
    GET "/coordinating" => queues::coordinating,
    POST "/items/{id}/draft" => items::save_draft,
    POST "/items/{id}/send-for-review" => items::send_for_review,
    POST "/items/{id}/commitments" => items::add_commitment,
    POST "/items/{id}/commitments/remove" => items::remove_commitment,
    GET "/review" => queues::review,
    POST "/items/{id}/approve" => items::approve,
    POST "/items/{id}/return" => items::return_to_drafting,
    // Coordinator
    GET "/triage" => queues::triage,
    GET "/items" => queues::all,
    POST "/items/{id}/route" => items::reroute,
    POST "/items/{id}/coordinating-bodies" => items::add_coordinating_body,
    POST "/items/{id}/merge" => items::merge,
    POST "/items/{id}/send-back" => items::send_back,
    POST "/items/{id}/publish" => items::publish_one,
    GET "/publish" => queues::to_publish,
    // Exports and the thematic report (issue 11); the lists' exports are
    // `?format=xlsx|csv` on the list routes themselves
    GET "/reports/thematic" => thematic::page,
    GET "/deadlines" => deadlines::page,
    POST "/publish" => items::publish_selection,
    POST "/items/{id}/implementation" => items::follow_implementation,
    // Issue 10: the notice's tasks, monitoring and inspections (coordinators
    // record; a body's staff see their own body's rows)
    GET "/monitoring" => monitoring::home,
    GET "/conferences/{id}/monitoring" => monitoring::page,
    GET "/conferences/{id}/tasks/new" => tasks::new_task,
    POST "/conferences/{id}/tasks" => tasks::create_task,
    GET "/tasks/{id}/edit" => tasks::edit_task,
    POST "/tasks/{id}" => tasks::update_task,
    POST "/conferences/{id}/inspections" => monitoring::record_inspection,
    // The paused clock and extensions (issue 9): staff ask, the delegate answers,
    // the lead body asks for more time, a coordinator decides
    POST "/items/{id}/info-request" => items::ask_info,
    POST "/items/{id}/info-reply" => items::provide_info,
    POST "/items/{id}/clock/resume" => items::resume_clock,
    POST "/items/{id}/extensions" => items::request_extension,
    POST "/items/{id}/extensions/decide" => items::decide_extension,
    // Commitments and the notice's tasks (issue 10): who may see one, the owning
    // body's check-ins
    GET "/commitments/{id}" => commitments::show,
    POST "/commitments/{id}/checkins" => commitments::check_in,
    GET "/commitments/{id}/edit" => commitments::edit_form,
    POST "/commitments/{id}/edit" => commitments::edit,
    // Contributions (issue 10): the lead body asks a coordinating body or one of
    // its units; the asked body writes, its approver approves or returns
    GET "/contributions" => contributions::list,
    POST "/items/{id}/contributions" => items::request_contribution,
    POST "/items/{id}/contributions/withdraw" => items::withdraw_contribution,
    POST "/items/{id}/contribution" => items::write_contribution,
    POST "/items/{id}/contribution/approve" => items::approve_contribution,
    POST "/items/{id}/contribution/return" => items::return_contribution,
    // Reports (issue 11): coordinators see every body, a body's staff their own
    GET "/dashboard" => dashboard::page,
    GET "/reports/periodic" => reports::periodic,
    // Administrator and coordinator: the outbox
    GET "/outbox" => outbox::list,
    POST "/outbox/resend-failed" => outbox::resend_failed,
    POST "/outbox/{id}/resend" => outbox::resend,
    POST "/account/notices" => auth::set_notices,
    // Accounts by email (invitations, forgotten passwords)
    GET "/invite/{token}" => accounts::invite_form,
    POST "/invite/{token}" => accounts::accept_invite,
    GET "/password/forgot" => accounts::forgot_form,
    POST "/password/forgot" => accounts::forgot,
    GET "/password/reset/{token}" => accounts::reset_form,
    POST "/password/reset/{token}" => accounts::reset_password,
    GET "/admin/users/import" => accounts::import_form,
    POST "/admin/users/import" => accounts::import,
    // Administrator ("new" before "{id}", which would otherwise match it)
    GET "/admin/users" => admin::users,
    GET "/admin/users/new" => admin::new_user,
    POST "/admin/users" => admin::create_user,
    GET "/admin/users/{id}" => admin::edit_user,
    POST "/admin/users/{id}" => admin::update_user,
    POST "/admin/users/{id}/second-factor/reset" => second_factor::reset,
    GET "/admin/second-factor" => second_factor::admin_page,
    POST "/admin/second-factor" => second_factor::set_policy,
    GET "/admin/bodies" => admin::bodies,
    GET "/admin/bodies/new" => admin::new_body,
    POST "/admin/bodies" => admin::create_body,
    GET "/admin/bodies/{id}" => admin::edit_body,
    POST "/admin/bodies/{id}" => admin::update_body,
    GET "/admin/fields" => admin::fields,
    GET "/admin/fields/new" => admin::new_field,
    POST "/admin/fields" => admin::create_field,
    GET "/admin/fields/{id}" => admin::edit_field,
    POST "/admin/fields/{id}" => admin::update_field,
    GET "/admin/conferences" => admin::conferences,
    GET "/admin/conferences/new" => admin::new_conference,
    POST "/admin/conferences" => admin::create_conference,
    GET "/admin/conferences/{id}" => admin::edit_conference,
    POST "/admin/conferences/{id}" => admin::update_conference,
    // The working calendar (issue 9), one page per year
    GET "/admin/calendar" => admin::calendar,
    POST "/admin/calendar" => admin::create_entry,
    GET "/admin/calendar/{id}" => admin::edit_entry,
    POST "/admin/calendar/{id}" => admin::update_entry,
    POST "/admin/calendar/{id}/delete" => admin::delete_entry,
}
