//! The thematic report's data (issue 11): the items of a field or a search
//! (optionally one conference) that a scope may see, their published answers,
//! their commitments, and the counts of its overview. The report itself (tables,
//! words) is built in `routes::thematic`; the recurring-theme rule is
//! [`shared_themes`], a pure function.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::item_lists::ItemFilter;
use super::items::{Item, Scope};
use super::schema::{answer_revisions, bodies, commitments, conferences, fields, items};
use super::DbConnection;
use crate::domain::text::fold_for_search;

/// The report lists at most this many items (the overview counts them all).
pub const THEMATIC_CAP: i64 = 1000;

/// One item of the report with its answer.
#[derive(Debug, Clone, Queryable)]
pub struct ThematicItem {
    /// Row id.
    pub id: i32,
    /// Human reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status name.
    pub status: String,
    /// Outcome name, once published.
    pub outcome: Option<String>,
    /// When the answer was published.
    pub published_at: Option<NaiveDateTime>,
    /// When the item was resolved.
    pub resolved_at: Option<NaiveDateTime>,
    /// The conference's id.
    pub conference_id: i32,
    /// The conference's name.
    pub conference: String,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Field, Vietnamese.
    pub field_vi: String,
    /// Field, English.
    pub field_en: String,
    /// Lead body, Vietnamese.
    pub body_vi: Option<String>,
    /// Lead body, English.
    pub body_en: Option<String>,
    /// The published answer's text.
    pub answer: Option<String>,
}

/// One commitment of a reported item.
#[derive(Debug, Clone, Queryable)]
pub struct ThematicCommitment {
    /// The item's reference.
    pub reference: String,
    /// What was committed to.
    pub description: String,
    /// Owning body, Vietnamese.
    pub body_vi: String,
    /// Owning body, English.
    pub body_en: String,
    /// Due day, when given as a day.
    pub due_on: Option<NaiveDate>,
    /// Due instant, when counted in working days.
    pub due_at: Option<NaiveDateTime>,
    /// Progress name.
    pub progress: String,
    /// When it was closed.
    pub closed_at: Option<NaiveDateTime>,
}

/// The counts of the overview: over every matching item, not only the listed.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    /// Matching items.
    pub total: i64,
    /// Per conference id: items, answered, resolved.
    pub per_conference: BTreeMap<i32, (i64, i64, i64)>,
    /// Per outcome name (None: no published outcome yet).
    pub per_outcome: BTreeMap<Option<String>, i64>,
}

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct ThematicData {
    /// The counts.
    pub overview: Overview,
    /// The conferences named in the counts: id, name, day held.
    pub conferences: Vec<(i32, String, NaiveDate)>,
    /// The listed items, in filing order.
    pub items: Vec<ThematicItem>,
    /// Their commitments.
    pub commitments: Vec<ThematicCommitment>,
}

/// Loads the report for `filter` (field, search words, conference) as `scope`
/// sees it.
pub fn load(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &ItemFilter,
) -> QueryResult<ThematicData> {
    // The counts read four small columns of every matching item, batch by batch
    // of ids, so they stay exact past the listed cap.
    let mut overview = Overview::default();
    let mut after = 0;
    loop {
        let batch = Item::export_batch(conn, scope, filter, after, 2000)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let ids: Vec<i32> = batch.iter().map(|line| line.id).collect();
        let rows: Vec<(i32, Option<String>, bool, bool)> = items::table
            .filter(items::id.eq_any(&ids))
            .select((
                items::conference_id,
                items::outcome,
                items::published_at.is_not_null(),
                items::resolved_at.is_not_null(),
            ))
            .load(conn)?;
        for (conference, outcome, answered, resolved) in rows {
            overview.total += 1;
            let entry = overview.per_conference.entry(conference).or_default();
            entry.0 += 1;
            entry.1 += i64::from(answered);
            entry.2 += i64::from(resolved);
            *overview.per_outcome.entry(outcome).or_default() += 1;
        }
    }
    let conference_ids: Vec<i32> = overview.per_conference.keys().copied().collect();
    let conferences = conferences::table
        .filter(conferences::id.eq_any(&conference_ids))
        .order(conferences::held_on)
        .select((conferences::id, conferences::name, conferences::held_on))
        .load(conn)?;
    let ids = Item::matching_ids(conn, scope, filter, THEMATIC_CAP)?;
    let items = items::table
        .inner_join(conferences::table)
        .inner_join(fields::table)
        .left_join(bodies::table)
        .left_join(
            answer_revisions::table
                .on(items::published_revision_id.eq(answer_revisions::id.nullable())),
        )
        .filter(items::id.eq_any(&ids))
        .order(items::id)
        .select((
            items::id,
            items::reference,
            items::title,
            items::status,
            items::outcome,
            items::published_at,
            items::resolved_at,
            items::conference_id,
            conferences::name,
            conferences::held_on,
            fields::name_vi,
            fields::name_en,
            bodies::name_vi.nullable(),
            bodies::name_en.nullable(),
            answer_revisions::body_text.nullable(),
        ))
        .load(conn)?;
    let commitments = commitments::table
        .inner_join(items::table)
        .inner_join(bodies::table)
        .filter(commitments::item_id.eq_any(ids.iter().map(|id| Some(*id)).collect::<Vec<_>>()))
        .order((items::id, commitments::id))
        .select((
            items::reference,
            commitments::description,
            bodies::name_vi,
            bodies::name_en,
            commitments::due_on,
            commitments::due_at,
            commitments::progress,
            commitments::closed_at,
        ))
        .load(conn)?;
    Ok(ThematicData {
        overview,
        conferences,
        items,
        commitments,
    })
}

/// Syllables too common in proposals' titles to make a theme: function words,
/// and the words every proposal uses about itself ("kiến nghị", "đề xuất").
const COMMON: &[&str] = &[
    "cua", "va", "cac", "cho", "trong", "ve", "viec", "nhung", "co", "duoc", "de", "nghi", "kien",
    "xuat", "voi", "la", "mot", "nay", "tai", "tu", "den", "theo", "khi", "thi", "o", "tren", "da",
    "se", "so", "the", "and", "of", "for", "in", "on", "to",
];

/// A theme shared by items of different conferences.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedTheme {
    /// The two words, as first written (lower case).
    pub words: String,
    /// How many conferences' items use it.
    pub conferences: usize,
    /// The references of the items that use it, in the order given.
    pub references: Vec<String>,
}

/// The rule for "recurring themes": a theme is two words that follow each other
/// in an item's title (Vietnamese terms are mostly two syllables: "cán bộ",
/// "thủ tục"), compared without diacritics or case, neither of them a common
/// word ([`COMMON`]); it recurs when items of at least two conferences use it.
/// Themes come most conferences first, then most items, then by their words;
/// at most `limit`. `items` are (conference id, reference, title).
pub fn shared_themes(items: &[(i32, &str, &str)], limit: usize) -> Vec<SharedTheme> {
    struct Seen {
        words: String,
        conferences: BTreeSet<i32>,
        references: Vec<String>,
    }
    let mut themes: BTreeMap<String, Seen> = BTreeMap::new();
    for (conference, reference, title) in items {
        let words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut in_this_item = BTreeSet::new();
        for pair in words.windows(2) {
            let folded = [fold_for_search(&pair[0]), fold_for_search(&pair[1])];
            if folded.iter().any(|w| {
                w.chars().count() < 2
                    || w.chars().all(|c| c.is_ascii_digit())
                    || COMMON.contains(&w.as_str())
            }) {
                continue;
            }
            let key = folded.join(" ");
            if !in_this_item.insert(key.clone()) {
                continue;
            }
            let seen = themes.entry(key).or_insert_with(|| Seen {
                words: pair.join(" "),
                conferences: BTreeSet::new(),
                references: Vec::new(),
            });
            seen.conferences.insert(*conference);
            seen.references.push(reference.to_string());
        }
    }
    let mut shared: Vec<SharedTheme> = themes
        .into_values()
        .filter(|seen| seen.conferences.len() >= 2)
        .map(|seen| SharedTheme {
            words: seen.words,
            conferences: seen.conferences.len(),
            references: seen.references,
        })
        .collect();
    shared.sort_by(|a, b| {
        (b.conferences, b.references.len(), &a.words).cmp(&(
            a.conferences,
            a.references.len(),
            &b.words,
        ))
    });
    shared.truncate(limit);
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_recurs_when_two_conferences_share_two_words() {
        let items = [
            (1, "KN-2023-0001", "Đề xuất đào tạo cán bộ trẻ"),
            (1, "KN-2023-0002", "Cán bộ trẻ và luân chuyển"),
            (2, "KN-2024-0001", "Kiến nghị về can bo tre ở cơ sở"),
            (2, "KN-2024-0002", "Thủ tục hành chính"),
            (1, "KN-2023-0003", "Thủ tục đất đai"),
        ];
        let themes = shared_themes(&items, 10);
        let words: Vec<&str> = themes.iter().map(|t| t.words.as_str()).collect();
        assert_eq!(words, vec!["bộ trẻ", "cán bộ", "thủ tục"], "{themes:?}");
        assert_eq!(themes[1].conferences, 2);
        assert_eq!(
            themes[1].references,
            vec!["KN-2023-0001", "KN-2023-0002", "KN-2024-0001"],
            "found without diacritics too"
        );
        assert_eq!(shared_themes(&items, 1).len(), 1);
        assert!(
            !words.contains(&"đào tạo"),
            "a theme of one conference does not recur"
        );
    }
}
