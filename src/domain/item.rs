//! Rules about items that do not depend on storage: references,
//! satisfaction and the limits on what a delegate may write.

use serde::Serialize;

/// Longest title a delegate may give, in characters. (The proposal limits are
/// `u64` because `validator`'s length rule takes them so.)
pub const TITLE_MAX_CHARS: u64 = 300;
/// Shortest title, in characters.
pub const TITLE_MIN_CHARS: u64 = 5;
/// Longest proposal text, in characters.
pub const CONTENT_MAX_CHARS: u64 = 20_000;
/// Shortest proposal text, in characters.
pub const CONTENT_MIN_CHARS: u64 = 10;
/// Longest list of related units, in characters.
pub const RELATED_UNITS_MAX_CHARS: u64 = 500;
/// Longest comment, reason, note or answer, in characters.
pub const COMMENT_MAX_CHARS: usize = 5_000;
/// Longest answer text, in characters.
pub const ANSWER_MAX_CHARS: usize = 50_000;

/// The human reference of an item, such as `KN-2023-0042`: the conference's own
/// prefix (`KN-2023`) and a number that counts up without gaps within the
/// conference. Because a prefix never ends in a digits-only segment (see
/// [`super::reference::ReferencePrefix`]) and prefixes are unique, two conferences
/// can never produce the same reference.
pub fn format_reference(prefix: &str, number: i32) -> String {
    format!("{prefix}-{number:04}")
}

/// How satisfied a delegate says they are with the published answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// The answer settles the matter.
    Satisfied,
    /// The answer settles part of it.
    Partly,
    /// The answer does not settle it.
    NotSatisfied,
}

impl Satisfaction {
    /// Every level, from best to worst.
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::Partly,
        Satisfaction::NotSatisfied,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Partly => "partly",
            Satisfaction::NotSatisfied => "not_satisfied",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_zero_padded_to_four_digits() {
        assert_eq!(format_reference("KN-2023", 42), "KN-2023-0042");
        assert_eq!(format_reference("KN-2023", 12345), "KN-2023-12345");
    }
}
