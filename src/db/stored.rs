//! How the desk's typed states are stored: as their stable names in text columns
//! (checked by a `CHECK` constraint in both migration folders), written and read
//! through one `ToSql`/`FromSql` pair per type. A name the code does not know is a
//! deserialization error, logged here, never a default value.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::MultiBackend;
use crate::domain::calendar::DayKind;
use crate::domain::contribution::ContributionState;
use crate::domain::deadlines::{ExtensionStatus, Stage};
use crate::domain::follow_up::{Outcome, Progress};
use crate::domain::{
    EventKind, ItemStatus, MailEvent, MailStatus, Role, Satisfaction, TokenPurpose,
};

/// Reads a stored name into `T`, logging a name `T` does not know.
fn parse_stored<T>(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text = <String as FromSql<Text, MultiBackend>>::from_sql(value)?;
    text.parse::<T>().map_err(|error| {
        tracing::error!(%error, "a row holds a value the desk does not know");
        Box::new(error) as Box<dyn std::error::Error + Send + Sync>
    })
}

/// Implements text storage for a type with `as_str` and `FromStr`. The
/// `foreign_derive` proxy gives the type diesel's expression and row traits
/// without the domain ring importing diesel.
macro_rules! stored_as_text {
    ($($ty:ident => $proxy:ident),* $(,)?) => {$(
        #[derive(AsExpression, FromSqlRow)]
        #[diesel(foreign_derive, sql_type = Text)]
        #[expect(dead_code, reason = "a proxy that only carries diesel's derives")]
        struct $proxy($ty);

        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                <str as ToSql<Text, MultiBackend>>::to_sql(self.as_str(), out)
            }
        }

        // The shared connection binds a value through the engine it wraps, so each
        // engine needs the same impl.
        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.as_str(), out)
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(
                value: <MultiBackend as Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                parse_stored(value)
            }
        }
    )*};
}

stored_as_text!(
    EventKind => StoredEventKind,
    ItemStatus => StoredItemStatus,
    Role => StoredRole,
    Satisfaction => StoredSatisfaction,
    MailEvent => StoredMailEvent,
    MailStatus => StoredMailStatus,
    TokenPurpose => StoredTokenPurpose,
    DayKind => StoredDayKind,
    Stage => StoredStage,
    ExtensionStatus => StoredExtensionStatus,
    Outcome => StoredOutcome,
    Progress => StoredProgress,
    ContributionState => StoredContributionState,
);
