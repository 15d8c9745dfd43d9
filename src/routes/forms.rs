//! Form errors: messages per field, in the user's language, shown beside the
//! fields of a form re-rendered with what the user typed.

use actix_web::http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use validator::{Validate, ValidationErrors};

use crate::i18n::{Catalog, Lang};

/// Status of a form re-rendered with validation messages.
pub const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// Messages keyed by field name.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FormErrors(BTreeMap<String, String>);

impl FormErrors {
    /// The status of a form page showing these errors: 200, or 422 when any.
    pub fn status(&self) -> StatusCode {
        if self.is_empty() {
            StatusCode::OK
        } else {
            UNPROCESSABLE
        }
    }

    /// Runs the form's `validator` rules and translates what fails.
    pub fn of(form: &impl Validate, catalog: &Catalog, lang: Lang) -> FormErrors {
        match form.validate() {
            Ok(()) => FormErrors::default(),
            Err(errors) => FormErrors::from_validation(&errors, catalog, lang),
        }
    }

    /// Translates `validator`'s errors: each error code `c` has the message
    /// `error_c`, in which `{min}` and `{max}` are filled in.
    pub fn from_validation(errors: &ValidationErrors, catalog: &Catalog, lang: Lang) -> FormErrors {
        let mut messages = BTreeMap::new();
        for (field, field_errors) in errors.field_errors() {
            if let Some(first) = field_errors.first() {
                let mut message = catalog
                    .get(lang, &format!("error_{}", first.code))
                    .to_owned();
                for (name, value) in &first.params {
                    let shown = value
                        .as_u64()
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| value.to_string());
                    message = message.replace(&format!("{{{name}}}"), &shown);
                }
                messages.insert(field.to_string(), message);
            }
        }
        FormErrors(messages)
    }

    /// Adds the message `key` for `field` unless the field already has one.
    pub fn add(&mut self, field: &str, catalog: &Catalog, lang: Lang, key: &str) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| catalog.get(lang, key).to_owned());
    }

    /// Adds a message already in words for `field` unless the field has one.
    pub fn add_text(&mut self, field: &str, message: String) {
        self.0.entry(field.to_owned()).or_insert(message);
    }

    /// Adds `other`'s messages for the fields that have none yet.
    pub fn merge(&mut self, other: FormErrors) {
        for (field, message) in other.0 {
            self.0.entry(field).or_insert(message);
        }
    }

    /// Whether the form is valid.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Sample {
        #[validate(length(min = 5, max = 300, code = "length"))]
        title: String,
    }

    #[test]
    fn validation_errors_become_vietnamese_messages_with_limits_filled_in() {
        let errors = Sample { title: "ab".into() }.validate().unwrap_err();
        let catalog = Catalog::load();
        let messages = FormErrors::from_validation(&errors, &catalog, Lang::Vi);
        let title = &messages.0["title"];
        assert!(title.contains('5') && title.contains("300"), "{title}");
        assert!(!title.contains("{min}"), "{title}");
        let english = FormErrors::from_validation(&errors, &catalog, Lang::En);
        assert_ne!(&english.0["title"], title);
    }
}
