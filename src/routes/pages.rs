//! Rendering pages: the shared layout context (language, texts, user, CSRF token,
//! one-time message, navigation counts) and the date filters templates use.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use chrono::{FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use std::collections::HashMap;
use tera::{Context, Tera, Value};

use crate::auth::Visit;
use crate::db::items::{Count, Item, ItemFilter, Scope};
use crate::db::{DbConnection, DbPool};
use crate::domain::{Actor, ItemStatus, Role};
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};

/// Vietnam's time zone (Asia/Ho_Chi_Minh) is UTC+7 all year, without summer time.
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// Templates and texts, shared by all requests.
pub struct Renderer {
    tera: Tera,
    catalog: Catalog,
}

/// The counts shown beside each navigation link.
#[derive(Debug, Default, Serialize)]
pub struct NavCounts {
    /// Delegate: their items still waiting for an answer.
    pub my_open: Count,
    /// Staff: their body's items waiting for an answer.
    pub queue: Count,
    /// Staff: items their body coordinates on that still wait for an answer.
    pub coordinating: Count,
    /// Approver: drafts waiting for approval.
    pub review: Count,
    /// Coordinator: items waiting for triage.
    pub triage: Count,
    /// Coordinator: approved answers waiting for publication.
    pub to_publish: Count,
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
        nav: &NavCounts,
        template: &str,
        page: Context,
    ) -> Result<String, AppError> {
        let mut context = Context::new();
        context.insert("lang", visit.lang.code());
        context.insert("t", self.catalog.texts(visit.lang));
        context.insert("csrf_token", visit.csrf_token.as_deref().unwrap_or(""));
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

/// Counts for the navigation of the visit's user (a few indexed COUNT queries).
pub fn nav_counts(conn: &mut DbConnection, visit: &Visit) -> Result<NavCounts, AppError> {
    let Some(user) = &visit.user else {
        return Ok(NavCounts::default());
    };
    let actor = Actor {
        user: user.user_id(),
        role: user.role(),
        body: user.body(),
    };
    let scope = Scope::for_actor(&actor);
    let waiting: Vec<ItemStatus> = ItemStatus::ALL
        .into_iter()
        .filter(|s| s.awaits_answer())
        .collect();
    let mut counts = NavCounts::default();
    match actor.role {
        Role::Delegate => {
            counts.my_open = Item::count(
                conn,
                scope,
                &ItemFilter {
                    statuses: waiting,
                    ..Default::default()
                },
            )?;
        }
        Role::Drafter | Role::Approver => {
            let own = ItemFilter {
                statuses: waiting.clone(),
                lead_body: actor.body,
                ..Default::default()
            };
            counts.queue = Item::count(conn, scope, &own)?;
            let helping = ItemFilter {
                statuses: waiting,
                coordinating_body: actor.body,
                ..Default::default()
            };
            counts.coordinating = Item::count(conn, scope, &helping)?;
            if actor.role == Role::Approver {
                let review = ItemFilter {
                    status: Some(ItemStatus::InReview),
                    lead_body: actor.body,
                    ..Default::default()
                };
                counts.review = Item::count(conn, scope, &review)?;
            }
        }
        Role::Coordinator => {
            counts.triage = Item::count(
                conn,
                scope,
                &ItemFilter {
                    triage: true,
                    ..Default::default()
                },
            )?;
            let approved = ItemFilter {
                status: Some(ItemStatus::Approved),
                ..Default::default()
            };
            counts.to_publish = Item::count(conn, scope, &approved)?;
        }
        Role::Admin => {}
    }
    Ok(counts)
}

/// Renders a full page for `visit`, loading the navigation counts.
pub async fn page(
    pool: &web::Data<DbPool>,
    renderer: &web::Data<Renderer>,
    visit: &Visit,
    template: &'static str,
    context: Context,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let pool = pool.clone();
    let for_counts = visit.clone();
    let nav = web::block(move || -> Result<NavCounts, AppError> {
        let mut conn = pool.get()?;
        nav_counts(&mut conn, &for_counts)
    })
    .await??;
    let html = renderer.render(visit, &nav, template, context)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// A 303 "see other" to `location`, the answer to every successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Leaves a one-time message for the next page of this session.
pub fn flash(conn: &mut DbConnection, session: &str, key: &str) -> Result<(), AppError> {
    crate::db::sessions::SessionRow::set_flash(conn, session, key)?;
    Ok(())
}

fn vietnam_time(value: &Value) -> Option<chrono::DateTime<FixedOffset>> {
    let text = value.as_str()?;
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let offset = FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS)?;
    Some(Utc.from_utc_datetime(&naive).with_timezone(&offset))
}

/// `{{ x | date }}`: a UTC timestamp as a Vietnamese date, `dd/mm/yyyy`.
fn date_filter(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    if let Some(date) = value
        .as_str()
        .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    {
        return Ok(Value::String(date.format("%d/%m/%Y").to_string()));
    }
    Ok(match vietnam_time(value) {
        Some(time) => Value::String(time.format("%d/%m/%Y").to_string()),
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

/// Runs database work on the blocking pool with a pooled connection.
pub async fn with_db<T: Send + 'static>(
    pool: &web::Data<DbPool>,
    work: impl FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let pool = pool.clone();
    web::block(move || {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// The current time, as stored (UTC without offset).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// A path to return to after a form, accepted only if it stays on this site.
pub fn local_path(candidate: &str) -> &str {
    if candidate.starts_with('/') && !candidate.starts_with("//") && !candidate.contains('\\') {
        candidate
    } else {
        "/"
    }
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
                .render(&visit, &NavCounts::default(), "errors/page.html", context)
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
