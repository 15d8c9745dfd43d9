//! A conference's reference prefix, the part of an item's reference before its
//! number (`KN-2023` in `KN-2023-0042`).
//!
//! References are unique by construction: a reference is `{prefix}-{number:04}`
//! and the number, all digits, is always the segment after the *last* hyphen. So
//! splitting a reference at its last hyphen gives back exactly one prefix and one
//! number ([`split_reference`]): two different (prefix, number) pairs never print
//! alike. Prefixes are unique across conferences (a database constraint) and
//! numbers within one, so no two items share a reference. A prefix may therefore
//! end in digits (`KN-2023`, the shape references always had).

use std::fmt;

/// Longest prefix, in characters.
pub const PREFIX_MAX_CHARS: usize = 20;

/// A valid reference prefix: upper-case letters (A–Z), digits and single inner
/// hyphens, starting with a letter, at most [`PREFIX_MAX_CHARS`] long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePrefix(String);

/// Why a prefix was refused; each has a text in the web ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PrefixProblem {
    /// Nothing was given.
    #[error("the prefix is empty")]
    Empty,
    /// Longer than [`PREFIX_MAX_CHARS`].
    #[error("the prefix is too long")]
    TooLong,
    /// A character other than A–Z, 0–9 and `-`, or a hyphen at either end or
    /// twice in a row, or a digit first.
    #[error("the prefix has a character or hyphen out of place")]
    BadShape,
}

impl ReferencePrefix {
    /// Checks a prefix typed by an administrator (surrounding spaces removed,
    /// letters upper-cased first).
    pub fn parse(input: &str) -> Result<ReferencePrefix, PrefixProblem> {
        let prefix = input.trim().to_uppercase();
        if prefix.is_empty() {
            return Err(PrefixProblem::Empty);
        }
        if prefix.chars().count() > PREFIX_MAX_CHARS {
            return Err(PrefixProblem::TooLong);
        }
        let segments_ok = prefix.split('-').all(|segment| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        });
        let starts_with_letter = prefix.starts_with(|c: char| c.is_ascii_uppercase());
        if !segments_ok || !starts_with_letter {
            return Err(PrefixProblem::BadShape);
        }
        Ok(ReferencePrefix(prefix))
    }

    /// The default prefix of a conference held in `year`: `KN-<year>`, the shape
    /// references have always had.
    pub fn for_year(year: i32) -> ReferencePrefix {
        ReferencePrefix(format!("KN-{year}"))
    }

    /// The prefix as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReferencePrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits a reference at its last hyphen into prefix and number: the inverse of
/// `item::format_reference`, which is why equal references mean equal prefixes.
pub fn split_reference(reference: &str) -> Option<(&str, i32)> {
    let (prefix, number) = reference.rsplit_once('-')?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((prefix, number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::item::format_reference;

    #[test]
    fn good_prefixes_are_accepted_and_upper_cased() {
        assert_eq!(
            ReferencePrefix::parse("KN-2023").unwrap().as_str(),
            "KN-2023"
        );
        assert_eq!(
            ReferencePrefix::parse(" kn-2024-b ").unwrap().as_str(),
            "KN-2024-B"
        );
        assert_eq!(ReferencePrefix::parse("DD").unwrap().as_str(), "DD");
    }

    #[test]
    fn bad_prefixes_are_refused_with_the_reason() {
        assert_eq!(ReferencePrefix::parse("  "), Err(PrefixProblem::Empty));
        assert_eq!(
            ReferencePrefix::parse("KN-ABCDEFGHIJKLMNOPQRSTUV"),
            Err(PrefixProblem::TooLong)
        );
        for bad in [
            "KN--2023", "-KN", "KN-", "KN 2023", "KN_2023", "2023-KN", "KỲ",
        ] {
            assert_eq!(
                ReferencePrefix::parse(bad),
                Err(PrefixProblem::BadShape),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_reference_splits_back_into_its_one_prefix_and_number() {
        for (prefix, number) in [("KN-2023", 42), ("KN-2023-B", 7), ("KN", 12345)] {
            let reference = format_reference(prefix, number);
            assert_eq!(split_reference(&reference), Some((prefix, number)));
        }
        // Two conferences of one year with different prefixes cannot clash.
        assert_ne!(
            format_reference("KN-2023", 1),
            format_reference("KN-2023-B", 1)
        );
    }
}
