//! The interface's two languages: Vietnamese first, English second. Texts live in
//! `locales/vi/*.toml` and `locales/en/*.toml` (one file per area), compiled into
//! the binary.

use std::collections::BTreeMap;

pub use crate::domain::Lang;

/// The texts of both languages, loaded once at start.
#[derive(Debug, Clone)]
pub struct Catalog {
    vi: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Catalog {
    /// Parses the two locale files shipped with the binary.
    pub fn load() -> Catalog {
        let parse = |files: &[(&str, &str)]| -> BTreeMap<String, String> {
            let mut texts = BTreeMap::new();
            for (name, text) in files {
                let part: BTreeMap<String, String> = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("locales/{name} is invalid: {e}"));
                texts.extend(part);
            }
            texts
        };
        Catalog {
            vi: parse(&[
                ("vi/core.toml", include_str!("../locales/vi/core.toml")),
                ("vi/admin.toml", include_str!("../locales/vi/admin.toml")),
                ("vi/mail.toml", include_str!("../locales/vi/mail.toml")),
                (
                    "vi/accounts.toml",
                    include_str!("../locales/vi/accounts.toml"),
                ),
                (
                    "vi/deadlines.toml",
                    include_str!("../locales/vi/deadlines.toml"),
                ),
                ("vi/clock.toml", include_str!("../locales/vi/clock.toml")),
                (
                    "vi/digests.toml",
                    include_str!("../locales/vi/digests.toml"),
                ),
            ]),
            en: parse(&[
                ("en/core.toml", include_str!("../locales/en/core.toml")),
                ("en/admin.toml", include_str!("../locales/en/admin.toml")),
                ("en/mail.toml", include_str!("../locales/en/mail.toml")),
                (
                    "en/accounts.toml",
                    include_str!("../locales/en/accounts.toml"),
                ),
                (
                    "en/deadlines.toml",
                    include_str!("../locales/en/deadlines.toml"),
                ),
                ("en/clock.toml", include_str!("../locales/en/clock.toml")),
                (
                    "en/digests.toml",
                    include_str!("../locales/en/digests.toml"),
                ),
            ]),
        }
    }

    /// All texts of one language, handed to templates as `t`.
    pub fn texts(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// One text; a missing key shows as the key itself (and a test keeps the two
    /// files in step, so that never reaches users).
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.texts(lang).get(key).map(String::as_str).unwrap_or(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_exactly_the_same_keys() {
        let catalog = Catalog::load();
        let vi: Vec<_> = catalog.vi.keys().collect();
        let en: Vec<_> = catalog.en.keys().collect();
        let only_vi: Vec<_> = vi
            .iter()
            .filter(|k| !catalog.en.contains_key(**k))
            .collect();
        let only_en: Vec<_> = en
            .iter()
            .filter(|k| !catalog.vi.contains_key(**k))
            .collect();
        assert!(only_vi.is_empty(), "missing in locales/en: {only_vi:?}");
        assert!(only_en.is_empty(), "missing in locales/vi: {only_en:?}");
    }

    #[test]
    fn vietnamese_is_the_default_and_unknown_codes_fall_back_to_it() {
        assert_eq!(Lang::default(), Lang::Vi);
        assert_eq!(Lang::from_code("fr"), Lang::Vi);
        assert_eq!(Lang::from_code("en"), Lang::En);
    }
}
