//! Role checks as extractors: a handler that takes [`Admin`], [`Coordinator`],
//! [`Staff`], [`Overseer`] or [`Delegate`] instead of `CurrentUser` only runs for
//! that role, so a new handler cannot forget the check. Anyone else gets the
//! answer of a missing page (404), a visitor without a session the login page.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{ready, Ready};
use std::ops::Deref;

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::AppError;

/// Declares an extractor that wraps `CurrentUser` when its role is one of `roles`.
macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident: $($role:path)|+) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub CurrentUser);

        impl $name {
            /// Whether `role` passes this check.
            pub fn admits(role: Role) -> bool {
                matches!(role, $($role)|+)
            }
        }

        impl Deref for $name {
            type Target = CurrentUser;

            fn deref(&self) -> &CurrentUser {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<$name, AppError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                ready(match CurrentUser::from_request(req, payload).into_inner() {
                    Ok(current) if $name::admits(current.user.role()) => Ok($name(current)),
                    Ok(_) => Err(AppError::Forbidden),
                    Err(error) => Err(error),
                })
            }
        }
    };
}

role_extractor!(
    /// An administrator.
    Admin: Role::Admin
);
role_extractor!(
    /// A coordinator of the conference.
    Coordinator: Role::Coordinator
);
role_extractor!(
    /// A drafter or approver of a body.
    Staff: Role::Drafter | Role::Approver
);
role_extractor!(
    /// An approver of a body.
    Approver: Role::Approver
);
role_extractor!(
    /// Whoever watches the outbox: an administrator or a coordinator.
    Overseer: Role::Admin | Role::Coordinator
);
role_extractor!(
    /// A delegate.
    Delegate: Role::Delegate
);
role_extractor!(
    /// Whoever reads every item and the coordinators' overviews: a coordinator,
    /// or the read-only provincial leadership (which no form admits).
    Reader: Role::Coordinator | Role::Leadership
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_admits_exactly_its_roles() {
        let admitted = |check: fn(Role) -> bool| -> Vec<Role> {
            Role::ALL.into_iter().filter(|r| check(*r)).collect()
        };
        assert_eq!(admitted(Admin::admits), vec![Role::Admin]);
        assert_eq!(admitted(Coordinator::admits), vec![Role::Coordinator]);
        assert_eq!(admitted(Staff::admits), vec![Role::Drafter, Role::Approver]);
        assert_eq!(admitted(Approver::admits), vec![Role::Approver]);
        assert_eq!(admitted(Delegate::admits), vec![Role::Delegate]);
        assert_eq!(
            admitted(Reader::admits),
            vec![Role::Coordinator, Role::Leadership]
        );
        let mut overseers = admitted(Overseer::admits);
        overseers.sort_by_key(|r| r.as_str());
        assert_eq!(overseers, vec![Role::Admin, Role::Coordinator]);
    }
}
