//! Templates and texts: the Tera templates with the language's texts as `t`, and
//! the filters that show times in Vietnam's time. Pages and mails both use it.

use chrono::{FixedOffset, NaiveDateTime, TimeZone, Utc};
use std::collections::HashMap;
use tera::{Context, Tera, Value};

use crate::auth::Visit;
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};

/// Vietnam's time zone (Asia/Ho_Chi_Minh) is UTC+7 all year, without summer time.
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// Templates and texts, shared by all requests.
pub struct Renderer {
    tera: Tera,
    catalog: Catalog,
}

impl Renderer {
    /// Loads every template under `templates/` and the locale texts.
    pub fn load(template_dir: &str) -> Result<Renderer, tera::Error> {
        let mut tera = Tera::new(&format!("{template_dir}/**/*"))?;
        tera.autoescape_on(vec![".html"]);
        tera.register_filter("date", date_filter);
        tera.register_filter("datetime", datetime_filter);
        Ok(Renderer {
            tera,
            catalog: Catalog::load(),
        })
    }

    /// The texts.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// One text in `lang`.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.catalog.get(lang, key).to_owned()
    }

    /// Renders `template` with the layout context of `visit` plus `page`.
    pub fn render(
        &self,
        visit: &Visit,
        nav: &impl serde::Serialize,
        template: &str,
        page: Context,
    ) -> Result<String, AppError> {
        let mut context = Context::new();
        context.insert("lang", visit.lang.code());
        context.insert("t", self.catalog.texts(visit.lang));
        // Masked afresh for every page (BREACH); see `auth::csrf::mask`.
        let csrf = visit.csrf_token.as_deref().map(crate::auth::csrf::mask);
        context.insert("csrf_token", &csrf.unwrap_or_default());
        context.insert(
            "flash",
            &visit
                .flash
                .as_deref()
                .map(|key| self.catalog.get(visit.lang, key)),
        );
        if let Some(user) = &visit.user {
            context.insert("user", user);
            context.insert("role", &user.role);
        }
        context.insert("nav", nav);
        context.extend(page);
        Ok(self.tera.render(template, &context)?)
    }

    /// Renders a template with only the given context (mails have no layout).
    pub fn render_plain(&self, template: &str, context: &Context) -> Result<String, AppError> {
        Ok(self.tera.render(template, context)?)
    }

    /// Names of every template, for the test that renders them all.
    pub fn template_names(&self) -> Vec<String> {
        self.tera.get_template_names().map(str::to_owned).collect()
    }
}

fn vietnam_time(value: &Value) -> Option<chrono::DateTime<FixedOffset>> {
    let text = value.as_str()?;
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let offset = FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS)?;
    Some(Utc.from_utc_datetime(&naive).with_timezone(&offset))
}

/// `{{ x | date }}`: a UTC timestamp as a Vietnamese date, `dd/mm/yyyy`;
/// `date(format="%d")` takes another chrono format (the Party report's
/// "ngày … tháng … năm …" line prints day, month and year apart).
fn date_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let format = args
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("%d/%m/%Y");
    if let Some(date) = value
        .as_str()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    {
        return Ok(Value::String(date.format(format).to_string()));
    }
    Ok(match vietnam_time(value) {
        Some(time) => Value::String(time.format(format).to_string()),
        None => value.clone(),
    })
}

/// `{{ x | datetime }}`: a UTC timestamp in Vietnam's time, `dd/mm/yyyy HH:MM`.
fn datetime_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(match vietnam_time(value) {
        Some(time) => Value::String(time.format("%d/%m/%Y %H:%M").to_string()),
        None => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_the_layout_renders_in_both_languages() {
        let renderer = Renderer::load("templates").expect("templates parse");
        assert!(renderer.template_names().len() >= 8);
        for lang in [Lang::Vi, Lang::En] {
            let visit = Visit {
                lang,
                csrf_token: Some("token".into()),
                ..Visit::default()
            };
            let mut context = Context::new();
            context.insert("error_title", "T");
            context.insert("error_message", "M");
            let html = renderer
                .render(&visit, &serde_json::json!({}), "errors/page.html", context)
                .unwrap();
            assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        }
    }

    #[test]
    fn times_are_shown_in_vietnam_time_as_day_month_year() {
        let value = Value::String("2023-05-11T18:30:00".into());
        let shown = datetime_filter(&value, &HashMap::new()).unwrap();
        assert_eq!(shown, Value::String("12/05/2023 01:30".into()));
        let day = date_filter(&value, &HashMap::new()).unwrap();
        assert_eq!(day, Value::String("12/05/2023".into()));
        let plain = date_filter(&Value::String("2023-05-11".into()), &HashMap::new()).unwrap();
        assert_eq!(plain, Value::String("11/05/2023".into()));
    }
}
