//! The stable names the typed states are stored and shown under, read back in one
//! place: a name that is none of a type's values is an error, never a default.

use std::str::FromStr;

use super::{EventKind, ItemStatus, MailEvent, MailStatus, Role, Satisfaction, TokenPurpose};

/// A stored name that is none of a type's values (a row written by other code, or
/// by hand): refused, never read as a default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownName {
    /// What was being read, such as "mail event".
    pub kind: &'static str,
    /// The text found.
    pub value: String,
}

impl UnknownName {
    /// The error for `value` read as a `kind`.
    pub fn new(kind: &'static str, value: &str) -> UnknownName {
        UnknownName {
            kind,
            value: value.to_owned(),
        }
    }
}

/// `FromStr` for each type with `ALL` and `as_str`, refusing unknown names.
macro_rules! parsed_by_name {
    ($($ty:ident => $kind:literal),* $(,)?) => {$(
        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .into_iter()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| UnknownName::new($kind, s))
            }
        }
    )*};
}

parsed_by_name!(
    EventKind => "event kind",
    ItemStatus => "item status",
    MailEvent => "mail event",
    MailStatus => "mail status",
    Role => "role",
    Satisfaction => "satisfaction",
    TokenPurpose => "token purpose",
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name reads back as its value.
    fn round_trips<T>(all: &[T], name: impl Fn(&T) -> &'static str)
    where
        T: FromStr + PartialEq + std::fmt::Debug,
        T::Err: std::fmt::Debug,
    {
        for value in all {
            assert_eq!(&name(value).parse::<T>().unwrap(), value);
        }
    }

    #[test]
    fn every_name_round_trips_and_unknown_names_are_refused() {
        round_trips(&EventKind::ALL, |v| v.as_str());
        round_trips(&ItemStatus::ALL, |v| v.as_str());
        round_trips(&MailEvent::ALL, |v| v.as_str());
        round_trips(&MailStatus::ALL, |v| v.as_str());
        round_trips(&Role::ALL, |v| v.as_str());
        round_trips(&Satisfaction::ALL, |v| v.as_str());
        round_trips(&TokenPurpose::ALL, |v| v.as_str());
        assert!("superuser".parse::<Role>().is_err());
        assert!("spam".parse::<MailEvent>().is_err());
        assert!("archived".parse::<ItemStatus>().is_err());
        let unknown = "admin".parse::<TokenPurpose>().unwrap_err();
        assert_eq!(unknown, UnknownName::new("token purpose", "admin"));
    }
}
