//! The administrator's area: users, bodies, fields and the routing table,
//! conferences, the working calendar. Each area has a list, a form to add and a
//! form to edit; a form that fails its checks comes back with messages (422), a
//! saved one leaves a one-time message and goes back to the list (303). The areas
//! share one form helper (the calendar, one page per year, only its saving).

pub mod bodies;
pub mod calendar;
pub mod conferences;
pub mod fields;
mod form;
pub mod users;

pub use bodies::{bodies, create_body, edit_body, new_body, update_body};
pub use calendar::{calendar, create_entry, delete_entry, edit_entry, update_entry};
pub use conferences::{
    conferences, create_conference, edit_conference, new_conference, update_conference,
};
pub use fields::{create_field, edit_field, fields, new_field, update_field};
pub use users::{create_user, edit_user, new_user, update_user, users, USERS_PER_PAGE};
