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

/// The locale files of one language, one per area of the interface, compiled into
/// the binary: `locale_files!("vi": AREAS)`.
macro_rules! locale_files {
    ($lang:literal: AREAS) => {
        locale_files!(
            $lang: "core",
            "admin",
            "mail",
            "accounts",
            "deadlines",
            "clock",
            "digests",
            "outcomes",
            "commitments",
            "tasks",
            "reports",
            "contributions",
            "leadership",
            "dashboard",
            "exports",
            "search"
        )
    };
    ($lang:literal: $($area:literal),+) => {
        [$((
            concat!($lang, "/", $area, ".toml"),
            include_str!(concat!("../locales/", $lang, "/", $area, ".toml")),
        )),+]
    };
}

impl Catalog {
    /// Parses the two locale files shipped with the binary.
    pub fn load() -> Catalog {
        let parse = |files: &[(&str, &str)]| -> BTreeMap<String, String> {
            let mut texts = BTreeMap::new();
            for (name, text) in files {
                let part: BTreeMap<String, String> = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("locales/{name} is invalid: {e}"));
                // A key in two files would silently take the later text.
                for (key, value) in part {
                    if texts.insert(key.clone(), value).is_some() {
                        panic!("locales/{name}: `{key}` is also defined in another file");
                    }
                }
            }
            texts
        };
        Catalog {
            vi: parse(&locale_files!("vi": AREAS)),
            en: parse(&locale_files!("en": AREAS)),
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
