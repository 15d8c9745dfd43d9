//! Turns an outbox row into a multipart mail (plain text and HTML) in the
//! recipient's language, from `templates/emails/<event>/{subject.txt, body.txt,
//! body.html}`.

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use serde::Serialize;
use std::sync::Arc;
use tera::Context;

use crate::config::Config;
use crate::db::answers;
use crate::db::items::Item;
use crate::db::outbox::{MailEvent, OutboxMessage, SEALED_LINK};
use crate::db::users::User;
use crate::db::DbConnection;
use crate::domain::{ItemId, UserId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::Renderer;
use crate::secrets::{open_link, SecretKey};

/// Builds mails from outbox rows.
pub struct Composer {
    renderer: Arc<Renderer>,
    base_url: String,
    from: Mailbox,
    domain: String,
    secret: SecretKey,
}

/// What an item mail says about the item.
#[derive(Debug, Serialize)]
struct ItemFacts {
    reference: String,
    title: String,
    link: String,
}

impl Composer {
    /// A composer for the config's sender and base URL.
    pub fn new(config: &Config, renderer: Arc<Renderer>) -> Result<Composer, String> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| format!("MAIL_FROM is not a valid address: {e}"))?;
        let domain = from.email.domain().to_owned();
        Ok(Composer {
            renderer,
            base_url: config.base_url.clone(),
            from,
            domain,
            secret: config.secret_key.clone(),
        })
    }

    /// The full Message-ID header value of a row (stable across tries).
    pub fn message_id(&self, row: &OutboxMessage) -> String {
        format!("<{}@{}>", row.message_id, self.domain)
    }

    /// The row's template values, its sealed link (if any) opened into `link`.
    /// A link that does not open (another `SECRET_KEY`) fails the mail for good.
    fn open_payload(&self, row: &OutboxMessage) -> Result<serde_json::Value, AppError> {
        let mut payload: serde_json::Value =
            serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
        if let Some(values) = payload.as_object_mut() {
            if let Some(sealed) = values.remove(SEALED_LINK) {
                let link = sealed
                    .as_str()
                    .and_then(|sealed| open_link(&self.secret, &row.recipient_email, sealed))
                    .ok_or_else(|| {
                        AppError::Unexpected("the link does not open with this SECRET_KEY".into())
                    })?;
                values.insert("link".into(), link.into());
            }
        }
        Ok(payload)
    }

    /// Renders the row into a mail. Reads the item and recipient it names.
    pub fn compose(
        &self,
        conn: &mut DbConnection,
        row: &OutboxMessage,
    ) -> Result<Message, AppError> {
        let event = row.event;
        let lang = Lang::from_code(&row.locale);
        let mut context = Context::new();
        context.insert("t", self.renderer.catalog().texts(lang));
        context.insert("lang", lang.code());
        context.insert("base_url", &self.base_url);
        let name = match row.recipient_user_id {
            Some(id) => User::find(conn, UserId(id))?.map(|u| u.full_name),
            None => None,
        };
        context.insert("recipient_name", &name.unwrap_or_default());
        let payload = self.open_payload(row)?;
        context.insert("payload", &payload);
        if let Some(item_id) = row.item_id {
            let item = Item::find(conn, ItemId(item_id))?.ok_or(AppError::NotFound)?;
            context.insert(
                "item",
                &ItemFacts {
                    reference: item.reference.clone(),
                    title: item.title.clone(),
                    link: format!("{}/items/{}", self.base_url, item.id),
                },
            );
            if event == MailEvent::AnswerPublished {
                context.insert("answer", &answer_text(conn, &item)?);
            }
            if event == MailEvent::ItemMerged {
                let target = match item.merged_into_id {
                    Some(target) => Item::find(conn, ItemId(target))?.map(|t| t.reference),
                    None => None,
                };
                context.insert("merged_into", &target.unwrap_or_default());
            }
        }
        let folder = format!("emails/{}", event.as_str());
        let render = |file: &str| {
            self.renderer
                .render_plain(&format!("{folder}/{file}"), &context)
        };
        let subject = render("subject.txt")?.trim().to_owned();
        let text = render("body.txt")?;
        let html = render("body.html")?;
        let to: Mailbox = row
            .recipient_email
            .parse()
            .map_err(|e| AppError::Unexpected(format!("recipient address: {e}")))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(self.message_id(row)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(part(ContentType::TEXT_PLAIN, text))
                    .singlepart(part(ContentType::TEXT_HTML, html)),
            )
            .map_err(|e| AppError::Unexpected(format!("building the mail: {e}")))
    }
}

/// A body part in base64, which every mail server carries unchanged whatever the
/// script of the text.
fn part(kind: ContentType, body: String) -> SinglePart {
    SinglePart::builder()
        .header(kind)
        .header(ContentTransferEncoding::Base64)
        .body(body)
}

/// The published answer the item's delegate reads: its own, or that of the item
/// it was merged into.
fn answer_text(conn: &mut DbConnection, item: &Item) -> Result<String, AppError> {
    let source = match item.merged_into_id {
        Some(target) => Item::find(conn, ItemId(target))?.ok_or(AppError::NotFound)?,
        None => item.clone(),
    };
    let revision = match source.published_revision_id {
        Some(id) => answers::revision(conn, id)?,
        None => None,
    };
    Ok(revision.map(|r| r.body_text).unwrap_or_default())
}
