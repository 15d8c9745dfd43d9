//! The second factor over HTTP: the code asked after the password, enrolment, the
//! administrator's page, and the middleware that keeps a staff member who must
//! enrol on the enrolment page.

mod admin;
mod enrol;
mod login;
mod middleware;

pub use admin::{admin_page, reset, set_policy, PolicyForm};
pub use enrol::{enrol, enrol_form};
pub use login::{login_code, login_code_form, start_login, CodeForm};
pub use middleware::require_enrolment;
