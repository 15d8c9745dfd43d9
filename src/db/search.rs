//! Search through a real index (issue 12): the one place that turns typed words
//! into an index query, for the lists and the thematic report alike.
//!
//! Both engines index `items.search_text`, the accent-folded text an item is found
//! by (reference, title, content, related units and the published answer's text,
//! see `domain::text::fold_for_search`):
//!
//! - SQLite: the FTS5 table `items_search` (external content over `items`, kept
//!   in step by triggers), queried with `MATCH '"can"* "bo"*'` and ranked by
//!   `bm25` (FTS5's `rank`);
//! - PostgreSQL: the GIN expression index `items_search_words`, queried with
//!   `to_tsquery('simple', 'can:* & bo:*')` and ranked by `ts_rank`.
//!
//! Each typed word becomes a prefix term and every term must match. Words are cut
//! at anything that is not a letter or a digit before they reach either engine,
//! so whatever a user types (quotes, `*`, `OR`, `-`, `NEAR(`) is searched as
//! plain words and can never be a syntax error.

use diesel::dsl::sql;
use diesel::sql_types::{Bool, Double, Text};
use diesel::BoxableExpression;

use super::schema::items;
use super::{DbConnection, MultiBackend};
use crate::domain::text::fold_for_search;

/// A condition or an order key on `items`, for either engine.
pub type ItemsExpression<ST> = Box<dyn BoxableExpression<items::table, MultiBackend, SqlType = ST>>;

/// Which engine a query is built for: the two index queries differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// FTS5.
    Sqlite,
    /// Built-in full text.
    Postgresql,
}

impl Engine {
    /// The engine of a connection.
    pub fn of(conn: &DbConnection) -> Self {
        match conn {
            DbConnection::Sqlite(_) => Engine::Sqlite,
            DbConnection::Postgresql(_) => Engine::Postgresql,
        }
    }
}

/// The text PostgreSQL indexes: the same expression as the index
/// `items_search_words` of the migration `2026-12-02-000930_search_index`, or the
/// planner cannot use the index.
const PG_DOCUMENT: &str =
    "to_tsvector('simple', regexp_replace(items.search_text, '[^[:alnum:]]+', ' ', 'g'))";

/// The folded text an item is found by: `items.search_text`, written when the
/// item is filed and again when an answer is published (its text joins the rest),
/// and indexed by both engines.
pub fn item_search_text(
    reference: &str,
    title: &str,
    content: &str,
    related_units: &str,
    published_answer: Option<&str>,
) -> String {
    let mut text = format!("{reference} {title} {content} {related_units}");
    if let Some(answer) = published_answer {
        text.push(' ');
        text.push_str(answer);
    }
    fold_for_search(&text)
}

/// The words of a search, folded and cut to letters and digits: safe to hand to
/// either engine's query syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWords(Vec<String>);

impl SearchWords {
    /// The folded text an item is found by: `items.search_text`, written when the
    /// item is filed and again when an answer is published (its text joins the rest),
    /// and indexed by both engines.
    pub fn item_search_text(
        reference: &str,
        title: &str,
        content: &str,
        related_units: &str,
        published_answer: Option<&str>,
    ) -> String {
        let mut text = format!("{reference} {title} {content} {related_units}");
        if let Some(answer) = published_answer {
            text.push(' ');
            text.push_str(answer);
        }
        fold_for_search(&text)
    }

    /// The words of already folded search text (`fold_for_search` of what was
    /// typed); `None` when nothing searchable is left.
    pub fn parse(folded: &str) -> Option<Self> {
        let words: Vec<String> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        (!words.is_empty()).then_some(SearchWords(words))
    }

    /// The words.
    pub fn words(&self) -> &[String] {
        &self.0
    }

    /// The query text of `engine`: every word a prefix, all required.
    pub fn query_text(&self, engine: Engine) -> String {
        match engine {
            // Quoted, so that a word such as "or" or "near" is a string, never an
            // operator; the words hold no quote to escape.
            Engine::Sqlite => self
                .0
                .iter()
                .map(|word| format!("\"{word}\"*"))
                .collect::<Vec<_>>()
                .join(" "),
            Engine::Postgresql => self
                .0
                .iter()
                .map(|word| format!("{word}:*"))
                .collect::<Vec<_>>()
                .join(" & "),
        }
    }

    /// A condition on `items` that holds for the items matching every word,
    /// answered by the index: usable inside any list query.
    pub fn matches(&self, engine: Engine) -> ItemsExpression<Bool> {
        let (before, after) = match engine {
            Engine::Sqlite => (
                "items.id IN (SELECT rowid FROM items_search WHERE items_search MATCH ".to_owned(),
                ")".to_owned(),
            ),
            Engine::Postgresql => (
                format!("{PG_DOCUMENT} @@ to_tsquery('simple', "),
                ")".to_owned(),
            ),
        };
        Box::new(
            sql::<Bool>(&before)
                .bind::<Text, _>(self.query_text(engine))
                .sql(&after),
        )
    }

    /// An ORDER BY key on `items`, most relevant first, for items that
    /// [`matches`](Self::matches): the place in FTS5's bm25 order on SQLite, the
    /// negated `ts_rank` on PostgreSQL.
    pub fn relevance(&self, engine: Engine) -> ItemsExpression<Double> {
        let (before, after) = match engine {
            // The matches are ranked once, in one pass of the index (a derived
            // table SQLite materializes and looks up by id); a subquery asking
            // FTS5 for each row's rank re-ran the whole match per row, which
            // took seconds at 100,000 items.
            Engine::Sqlite => (
                "coalesce((SELECT ranked.place FROM (SELECT rowid AS item_id, \
                 row_number() OVER (ORDER BY rank) AS place FROM items_search \
                 WHERE items_search MATCH "
                    .to_owned(),
                ") AS ranked WHERE ranked.item_id = items.id), 1e18)".to_owned(),
            ),
            Engine::Postgresql => (
                format!("-ts_rank({PG_DOCUMENT}, to_tsquery('simple', "),
                "))".to_owned(),
            ),
        };
        Box::new(
            sql::<Double>(&before)
                .bind::<Text, _>(self.query_text(engine))
                .sql(&after),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_syntax_becomes_plain_words() {
        let words = SearchWords::parse("\"can bo\" or-x* near( a_b").unwrap();
        assert_eq!(words.words(), ["can", "bo", "or", "x", "near", "a", "b"]);
        assert_eq!(
            words.query_text(Engine::Sqlite),
            "\"can\"* \"bo\"* \"or\"* \"x\"* \"near\"* \"a\"* \"b\"*"
        );
        assert_eq!(
            SearchWords::parse("can b")
                .unwrap()
                .query_text(Engine::Postgresql),
            "can:* & b:*"
        );
    }

    #[test]
    fn nothing_searchable_is_no_search() {
        assert_eq!(SearchWords::parse(" \"* - ( "), None);
    }
}
