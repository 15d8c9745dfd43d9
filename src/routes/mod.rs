//! HTTP only: extract, validate, call the workflow, render or redirect. The whole
//! URL map is in [`configure`].

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod delegate;
pub mod forms;
pub mod items;
pub mod middleware;
pub mod outbox;
pub mod pages;
pub mod queues;
pub mod roles;
pub mod second_factor;
pub mod state;

pub use state::AppState;

use actix_web::web;

/// Every route of the app, top to bottom.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg
        // Everyone
        .route("/", web::get().to(auth::home))
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/language", web::post().to(auth::set_language))
        .route("/account/password", web::get().to(auth::password_form))
        .route("/account/password", web::post().to(auth::change_password))
        // Second factor (issue 8): the code after the password, enrolment
        .route(
            "/login/second-factor",
            web::get().to(second_factor::login_code_form),
        )
        .route(
            "/login/second-factor",
            web::post().to(second_factor::login_code),
        )
        .route(
            "/account/second-factor",
            web::get().to(second_factor::enrol_form),
        )
        .route(
            "/account/second-factor",
            web::post().to(second_factor::enrol),
        )
        // Delegate
        .route("/my", web::get().to(queues::mine))
        .route("/proposals/new", web::get().to(delegate::new_proposal))
        .route("/proposals", web::post().to(delegate::submit_proposal))
        .route(
            "/proposals/{id}/submitted",
            web::get().to(delegate::submitted),
        )
        .route("/items/{id}/withdraw", web::post().to(items::withdraw))
        .route("/items/{id}/satisfaction", web::post().to(items::rate))
        // Every role that may see an item
        .route("/items/{id}", web::get().to(items::show))
        .route("/items/{id}/print", web::get().to(items::print))
        .route("/items/{id}/notes", web::post().to(items::add_note))
        .route(
            "/items/{id}/satisfaction-reply",
            web::post().to(items::reply_to_satisfaction),
        )
        // Drafter and approver
        .route("/queue", web::get().to(queues::queue))
        .route("/coordinating", web::get().to(queues::coordinating))
        .route("/items/{id}/draft", web::post().to(items::save_draft))
        .route(
            "/items/{id}/send-for-review",
            web::post().to(items::send_for_review),
        )
        .route("/review", web::get().to(queues::review))
        .route("/items/{id}/approve", web::post().to(items::approve))
        .route(
            "/items/{id}/return",
            web::post().to(items::return_to_drafting),
        )
        // Coordinator
        .route("/triage", web::get().to(queues::triage))
        .route("/items", web::get().to(queues::all))
        .route("/items/{id}/route", web::post().to(items::reroute))
        .route(
            "/items/{id}/coordinating-bodies",
            web::post().to(items::add_coordinating_body),
        )
        .route("/items/{id}/merge", web::post().to(items::merge))
        .route("/items/{id}/send-back", web::post().to(items::send_back))
        .route("/items/{id}/publish", web::post().to(items::publish_one))
        .route("/publish", web::get().to(queues::to_publish))
        .route("/publish", web::post().to(items::publish_selection))
        .route(
            "/items/{id}/implementation",
            web::post().to(items::follow_implementation),
        )
        // Administrator and coordinator: the outbox
        .route("/outbox", web::get().to(outbox::list))
        .route(
            "/outbox/resend-failed",
            web::post().to(outbox::resend_failed),
        )
        .route("/outbox/{id}/resend", web::post().to(outbox::resend))
        .route("/account/notices", web::post().to(auth::set_notices))
        // Accounts by email (invitations, forgotten passwords)
        .route("/invite/{token}", web::get().to(accounts::invite_form))
        .route("/invite/{token}", web::post().to(accounts::accept_invite))
        .route("/password/forgot", web::get().to(accounts::forgot_form))
        .route("/password/forgot", web::post().to(accounts::forgot))
        .route(
            "/password/reset/{token}",
            web::get().to(accounts::reset_form),
        )
        .route(
            "/password/reset/{token}",
            web::post().to(accounts::reset_password),
        )
        .route("/admin/users/import", web::get().to(accounts::import_form))
        .route("/admin/users/import", web::post().to(accounts::import))
        // Administrator ("new" before "{id}", which would otherwise match it)
        .route("/admin/users", web::get().to(admin::users))
        .route("/admin/users/new", web::get().to(admin::new_user))
        .route("/admin/users", web::post().to(admin::create_user))
        .route("/admin/users/{id}", web::get().to(admin::edit_user))
        .route("/admin/users/{id}", web::post().to(admin::update_user))
        .route(
            "/admin/users/{id}/second-factor/reset",
            web::post().to(second_factor::reset),
        )
        .route(
            "/admin/second-factor",
            web::get().to(second_factor::admin_page),
        )
        .route(
            "/admin/second-factor",
            web::post().to(second_factor::set_policy),
        )
        .route("/admin/bodies", web::get().to(admin::bodies))
        .route("/admin/bodies/new", web::get().to(admin::new_body))
        .route("/admin/bodies", web::post().to(admin::create_body))
        .route("/admin/bodies/{id}", web::get().to(admin::edit_body))
        .route("/admin/bodies/{id}", web::post().to(admin::update_body))
        .route("/admin/fields", web::get().to(admin::fields))
        .route("/admin/fields/new", web::get().to(admin::new_field))
        .route("/admin/fields", web::post().to(admin::create_field))
        .route("/admin/fields/{id}", web::get().to(admin::edit_field))
        .route("/admin/fields/{id}", web::post().to(admin::update_field))
        .route("/admin/conferences", web::get().to(admin::conferences))
        .route(
            "/admin/conferences/new",
            web::get().to(admin::new_conference),
        )
        .route(
            "/admin/conferences",
            web::post().to(admin::create_conference),
        )
        .route(
            "/admin/conferences/{id}",
            web::get().to(admin::edit_conference),
        )
        .route(
            "/admin/conferences/{id}",
            web::post().to(admin::update_conference),
        )
        // The working calendar (issue 9), one page per year
        .route("/admin/calendar", web::get().to(admin::calendar))
        .route("/admin/calendar", web::post().to(admin::create_entry))
        .route("/admin/calendar/{id}", web::get().to(admin::edit_entry))
        .route("/admin/calendar/{id}", web::post().to(admin::update_entry))
        .route(
            "/admin/calendar/{id}/delete",
            web::post().to(admin::delete_entry),
        );
}
