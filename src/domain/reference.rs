//! A conference's reference prefix, such as `KN` or `DT-2023`: the part of an
//! item's reference before its number.

/// Longest prefix accepted.
pub const PREFIX_MAX_CHARS: usize = 20;

/// A valid prefix: capital letters A–Z and digits, in groups joined by single
/// hyphens (no hyphen first, last or twice in a row), at most
/// [`PREFIX_MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePrefix(String);

impl ReferencePrefix {
    /// Accepts `input` (surrounding spaces ignored) if it follows the rules.
    pub fn parse(input: &str) -> Option<ReferencePrefix> {
        let prefix = input.trim();
        let groups_ok = prefix.split('-').all(|group| {
            !group.is_empty()
                && group
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        });
        (groups_ok && prefix.len() <= PREFIX_MAX_CHARS).then(|| ReferencePrefix(prefix.to_owned()))
    }

    /// The prefix as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_digits_and_inner_hyphens_make_a_prefix() {
        for good in ["KN", "KN2", "DT-2023", "A-B-C", " KN "] {
            assert!(ReferencePrefix::parse(good).is_some(), "{good}");
        }
        assert_eq!(ReferencePrefix::parse(" KN ").unwrap().as_str(), "KN");
    }

    #[test]
    fn empty_lower_case_accented_or_badly_hyphenated_prefixes_are_refused() {
        let too_long = "K".repeat(PREFIX_MAX_CHARS + 1);
        for bad in [
            "", " ", "kn", "Kn", "-KN", "KN-", "K--N", "KN 1", "KN_1", "ĐT", &too_long,
        ] {
            assert!(ReferencePrefix::parse(bad).is_none(), "{bad:?}");
        }
    }
}
