//! Every mail the desk can send, in both languages, rendered by the app's own
//! composer for a real item and read at the test mail server.

use dialogue_desk::db::outbox::{self, MailEvent, NewMail};
use dialogue_desk::db::users::User;
use dialogue_desk::domain::Role;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};
use crate::smtp::ReceivedMail;

/// Letters only Vietnamese uses (lower case; texts are compared lower-cased).
const VIETNAMESE_LETTERS: &str =
    "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ";

fn has_vietnamese(text: &str) -> bool {
    text.to_lowercase()
        .chars()
        .any(|c| VIETNAMESE_LETTERS.contains(c))
}

/// Template syntax that should never reach a reader.
fn leftover_syntax(text: &str) -> Option<&'static str> {
    ["{{", "}}", "{%", "%}", "{#", "#}"]
        .into_iter()
        .find(|marker| text.contains(marker))
}

/// Two items of the delegate: the first answered and published, the second
/// merged into it (so every mail has an item, an answer and a merge target to
/// speak of). Returns the second's id.
async fn merged_and_answered_item(app: &TestApp) -> i32 {
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let field = app.field_id("to-chuc-can-bo");
    let first = delegate
        .submit_proposal("Đào tạo cán bộ trẻ", "Nội dung về đào tạo cán bộ.", field)
        .await;
    let second = delegate
        .submit_proposal(
            "Bồi dưỡng cán bộ trẻ",
            "Nội dung trùng về bồi dưỡng.",
            field,
        )
        .await;
    coordinator
        .post_ok(
            &format!("/items/{second}/merge"),
            &[("target", "KN-2023-0001"), ("text", "Trùng nội dung")],
        )
        .await;
    drafter
        .post_ok(
            &format!("/items/{first}/draft"),
            &[
                ("text", "Trả lời chung cho hai kiến nghị."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    approver
        .post_ok(&format!("/items/{first}/approve"), &[])
        .await;
    coordinator
        .post_ok(&format!("/items/{first}/publish"), &[])
        .await;
    second
}

/// `text` without the values the context fills in (names, titles, answer, …),
/// which are in whatever language their author wrote them.
fn without_values(text: &str, values: &[&str]) -> String {
    values
        .iter()
        .fold(text.to_owned(), |text, value| text.replace(value, ""))
}

/// Why the outbox could not send to these addresses (a template that does not
/// render, …).
fn last_errors(app: &TestApp, addresses: &[&str]) -> Vec<String> {
    use dialogue_desk::db::schema::outbox;
    use diesel::prelude::*;
    outbox::table
        .filter(outbox::recipient_email.eq_any(addresses))
        .filter(outbox::last_error.is_not_null())
        .select(outbox::last_error)
        .load::<Option<String>>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .flatten()
        .collect()
}

/// What the deadline digest queues: the day, an overdue line and a due-soon line
/// about `item` (a real one, so the links open).
fn digest_payload(app: &TestApp, item: i32) -> serde_json::Value {
    use dialogue_desk::db::items::Item;
    use dialogue_desk::domain::deadlines::{Stage, Urgency};
    use dialogue_desk::domain::digest::{DigestLine, Reason};
    let item = Item::find(&mut app.conn(), dialogue_desk::domain::ItemId(item))
        .unwrap()
        .expect("the item");
    let line = |urgency, overdue_days, reason| DigestLine {
        item_id: item.id,
        reference: item.reference.clone(),
        title: item.title.clone(),
        stage: Stage::Drafting,
        due_at: item.deadline,
        urgency,
        overdue_days,
        reason,
    };
    json!({
        "day": "2026-02-23",
        "lines": [
            line(Urgency::Overdue, 3, Reason::Head),
            line(Urgency::DueSoon, 0, Reason::Holder),
        ],
        "overdue": 1,
        "due_soon": 1,
    })
}

#[tokio::test]
async fn every_mail_template_renders_in_both_languages_with_a_real_item() {
    let app = spawn_app().await;
    let smtp = app.smtp.as_ref().expect("the mail server is up");
    let item = merged_and_answered_item(&app).await;
    let recipient_vi = app.add_user(Role::Delegate, None);
    let recipient_en = app.add_user(Role::Delegate, None);
    app.execute(&format!(
        "UPDATE users SET locale = 'en' WHERE id = {}",
        recipient_en.id.0
    ));
    // What the workflow's own mails carry in their payload (a link with a token,
    // the address, how long it is valid, a staff reply).
    let link = format!("{}/invite/thu-nghiem-token", app.address);
    let reply = "Ban đã tiếp thu ý kiến của đồng chí.";
    let payload = json!({
        "link": link,
        "email": recipient_vi.email,
        "valid_hours": 72,
        "valid_minutes": 60,
        "reply": reply,
    });
    // The values the context fills in, in Vietnamese whatever the mail's language.
    let values = [
        "Bồi dưỡng cán bộ trẻ",
        "Trả lời chung cho hai kiến nghị.",
        "Người dùng delegate",
        reply,
    ];
    // Only the two recipients' mails are looked at: the workflow's own go to others.
    let to_recipients = || -> Vec<ReceivedMail> {
        smtp.received()
            .into_iter()
            .filter(|m| {
                m.to.iter()
                    .any(|to| to.contains(&recipient_vi.email) || to.contains(&recipient_en.email))
            })
            .collect()
    };
    let mut seen = 0;

    let mut problems = Vec::new();
    for event in MailEvent::ALL {
        // Not a mail of its own: the due-soon lines of the deadline digest.
        if event == MailEvent::DueSoonReminder {
            continue;
        }
        // The digest lists items in its payload rather than naming one.
        let payload = match event {
            MailEvent::DeadlineDigest => digest_payload(&app, item),
            _ => payload.clone(),
        };
        {
            let mut conn = app.conn();
            for user in [&recipient_vi, &recipient_en] {
                let recipient = User::find(&mut conn, user.id)
                    .unwrap()
                    .expect("the recipient");
                outbox::enqueue(
                    &mut conn,
                    NewMail {
                        event,
                        item: Some(dialogue_desk::domain::ItemId(item)),
                        recipient: &recipient,
                        payload: payload.clone(),
                    },
                    chrono::Utc::now().naive_utc(),
                )
                .unwrap();
            }
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let mut mails = to_recipients();
        while mails.len() < seen + 2 && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            mails = to_recipients();
        }
        assert!(
            mails.len() >= seen + 2,
            "the {} mails were not sent: {:?}",
            event.as_str(),
            last_errors(&app, &[&recipient_vi.email, &recipient_en.email])
        );
        let new: Vec<ReceivedMail> = mails[seen..].to_vec();
        seen = mails.len();
        for (user, lang) in [(&recipient_vi, "vi"), (&recipient_en, "en")] {
            let name = format!("{} ({lang})", event.as_str());
            let Some(mail) = new
                .iter()
                .find(|m| m.to.iter().any(|to| to.contains(&user.email)))
            else {
                problems.push(format!("{name}: no mail to the recipient"));
                continue;
            };
            let subject = mail.subject();
            let text = mail.part("text/plain");
            let html = mail.part("text/html");
            for (part, content) in [("subject", &subject), ("text", &text), ("html", &html)] {
                if content.trim().is_empty() {
                    problems.push(format!("{name}: empty {part}"));
                }
                if let Some(marker) = leftover_syntax(content) {
                    problems.push(format!("{name}: {marker} left in the {part}: {content}"));
                }
                let own_words = without_values(content, &values);
                let vietnamese = has_vietnamese(&own_words);
                if lang == "vi" && !vietnamese {
                    problems.push(format!(
                        "{name}: the {part} is not in Vietnamese: {content}"
                    ));
                }
                if lang == "en" && vietnamese {
                    problems.push(format!("{name}: the {part} is not in English: {content}"));
                }
            }
            if !html.contains(&format!("lang=\"{lang}\"")) {
                problems.push(format!("{name}: the HTML does not say its language"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
