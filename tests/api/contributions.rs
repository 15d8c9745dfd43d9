//! Issue 10: contributions from coordinating bodies and the lead body's own
//! units — who may ask, what a request refuses, who writes and approves, what the
//! lead body sees beside its draft, what the delegate never sees, the mails, and
//! overdue requests chased in the daily digest.

use chrono::{NaiveDate, NaiveDateTime};
use dialogue_desk::db::digests::send_due;
use dialogue_desk::db::schema::{contributions, item_events, outbox};
use dialogue_desk::domain::calendar::to_utc;
use dialogue_desk::domain::deadlines::OfficeHours;
use dialogue_desk::domain::{MailEvent, Role};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{hidden_value, spawn_app, TestApp, TestSession, TestUser};

/// An item led by TCTU, coordinated by TGTU, with a unit of TCTU (SNV), and the
/// people around it.
struct Scene {
    app: TestApp,
    delegate_session: TestSession,
    lead_drafter: TestUser,
    lead_drafter_session: TestSession,
    lead_approver_session: TestSession,
    coordinating_drafter_session: TestSession,
    unit_drafter: TestUser,
    unit_drafter_session: TestSession,
    unit_approver: TestUser,
    unit_approver_session: TestSession,
    other_drafter_session: TestSession,
    coordinator: TestUser,
    item: i32,
    unit: i32,
    coordinating: i32,
}

async fn scene() -> Scene {
    let app = spawn_app().await;
    let tctu = app.body_id("TCTU");
    app.execute(&format!(
        "INSERT INTO bodies (code, name_vi, name_en, is_coordinating, active, parent_id) \
         VALUES ('SNV', 'Sở Nội vụ', 'Department of Home Affairs', FALSE, TRUE, {tctu})"
    ));
    let delegate = app.add_user(Role::Delegate, None);
    let lead_drafter = app.add_user(Role::Drafter, Some("TCTU"));
    let lead_approver = app.add_user(Role::Approver, Some("TCTU"));
    let coordinating_drafter = app.add_user(Role::Drafter, Some("TGTU"));
    let unit_drafter = app.add_user(Role::Drafter, Some("SNV"));
    let unit_approver = app.add_user(Role::Approver, Some("SNV"));
    let other_drafter = app.add_user(Role::Drafter, Some("BCSD-UBND"));
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let delegate_session = app.login(&delegate).await;
    let item = delegate_session
        .submit_proposal(
            "Bố trí cán bộ trẻ về cơ sở",
            "Đề nghị có chính sách luân chuyển cán bộ trẻ.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let coordinating = app.body_id("TGTU");
    app.login(&coordinator)
        .await
        .post_ok(
            &format!("/items/{item}/coordinating-bodies"),
            &[("body_id", &coordinating.to_string())],
        )
        .await;
    Scene {
        lead_drafter_session: app.login(&lead_drafter).await,
        lead_approver_session: app.login(&lead_approver).await,
        coordinating_drafter_session: app.login(&coordinating_drafter).await,
        unit_drafter_session: app.login(&unit_drafter).await,
        unit_approver_session: app.login(&unit_approver).await,
        other_drafter_session: app.login(&other_drafter).await,
        unit: app.body_id("SNV"),
        delegate_session,
        lead_drafter,
        unit_drafter,
        unit_approver,
        coordinator,
        coordinating,
        item,
        app,
    }
}

impl Scene {
    fn path(&self, action: &str) -> String {
        if action.is_empty() {
            format!("/items/{}", self.item)
        } else {
            format!("/items/{}/{action}", self.item)
        }
    }

    /// The lead drafter asks `body`, due in five working days.
    async fn ask(&self, body: i32, text: &str) {
        self.lead_drafter_session
            .post_ok(
                &self.path("contributions"),
                &[
                    ("body_id", &body.to_string()),
                    ("text", text),
                    ("due_working_days", "5"),
                ],
            )
            .await;
    }

    /// The version the asked body's form carries now.
    async fn version(&self, session: &TestSession) -> String {
        let page = session.get(&self.path("")).await;
        hidden_value(&page.body, "version").expect("a contribution form")
    }

    fn state(&self, body: i32) -> String {
        contributions::table
            .filter(contributions::item_id.eq(self.item))
            .filter(contributions::body_id.eq(body))
            .order(contributions::id.desc())
            .select(contributions::state)
            .first(&mut *self.app.conn())
            .unwrap()
    }

    fn requests(&self) -> i64 {
        contributions::table
            .filter(contributions::item_id.eq(self.item))
            .count()
            .get_result(&mut *self.app.conn())
            .unwrap()
    }

    /// The unit drafts and sends; its approver approves.
    async fn approved_from_unit(&self, text: &str) {
        self.ask(self.unit, "Đề nghị Sở Nội vụ cho ý kiến về biên chế.")
            .await;
        let version = self.version(&self.unit_drafter_session).await;
        self.unit_drafter_session
            .post_ok(
                &self.path("contribution"),
                &[("text", text), ("version", &version), ("intent", "send")],
            )
            .await;
        let version = self.version(&self.unit_approver_session).await;
        self.unit_approver_session
            .post_ok(&self.path("contribution/approve"), &[("version", &version)])
            .await;
    }
}

#[tokio::test]
async fn only_the_lead_body_asks_and_the_asked_body_then_sees_the_item() {
    let s = scene().await;
    let form = [
        ("body_id", s.unit.to_string()),
        ("text", "Đề nghị cho ý kiến.".to_owned()),
        ("due_working_days", "5".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for session in [
        &s.coordinating_drafter_session,
        &s.delegate_session,
        &s.other_drafter_session,
    ] {
        let page = session.post(&s.path("contributions"), &form).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(s.requests(), 0);
    // Before it is asked, the unit does not see the item.
    let page = s.unit_drafter_session.get(&s.path("")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    s.lead_drafter_session
        .post_ok(&s.path("contributions"), &form)
        .await;
    assert_eq!(s.state(s.unit), "requested");
    let page = s.unit_drafter_session.get(&s.path("")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đề nghị cho ý kiến."), "{}", page.body);
    assert!(page.body.contains("Lưu và trình lãnh đạo duyệt"));
    // Read-only: no drafting form and no note form for the asked body.
    assert!(!page
        .body
        .contains(&format!("action=\"/items/{}/draft\"", s.item)));
    assert!(!page
        .body
        .contains(&format!("action=\"/items/{}/notes\"", s.item)));
    // The list of the unit's requests shows it.
    let list = s.unit_drafter_session.get("/contributions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Bố trí cán bộ trẻ về cơ sở"),
        "{}",
        list.body
    );
    // The timeline records the request.
    let kinds: Vec<String> = item_events::table
        .filter(item_events::item_id.eq(s.item))
        .select(item_events::kind)
        .load(&mut *s.app.conn())
        .unwrap();
    assert!(kinds.iter().any(|k| k == "contribution_requested"));
    // A second open request to the same body is refused in the form.
    let again = s
        .lead_approver_session
        .post(&s.path("contributions"), &form)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("đang có một đề nghị"));
    assert_eq!(s.requests(), 1);
}

#[tokio::test]
async fn asking_a_body_unrelated_to_the_item_is_refused_with_the_text_kept() {
    let s = scene().await;
    let other = s.app.body_id("BCSD-UBND");
    let page = s
        .lead_drafter_session
        .post(
            &s.path("contributions"),
            &[
                ("body_id", &other.to_string()),
                ("text", "Xin ý kiến về chế độ phụ cấp."),
                ("due_working_days", "5"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Chỉ đề nghị được cơ quan phối hợp"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Xin ý kiến về chế độ phụ cấp."));
    assert_eq!(s.requests(), 0);
}

#[tokio::test]
async fn a_due_date_that_is_not_a_working_day_or_is_past_is_refused() {
    let s = scene().await;
    let today = chrono::Utc::now().date_naive();
    let saturday = (1..=7)
        .map(|d| today + chrono::Duration::days(d))
        .find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Sat)
        .unwrap();
    for (date, message) in [
        (saturday, "không phải ngày làm việc"),
        (today - chrono::Duration::days(7), "Ngày này đã qua"),
    ] {
        let page = s
            .lead_drafter_session
            .post(
                &s.path("contributions"),
                &[
                    ("body_id", &s.coordinating.to_string()),
                    ("text", "Đề nghị cho ý kiến."),
                    ("due_on", &date.format("%Y-%m-%d").to_string()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}");
        assert!(page.body.contains(message), "{date}: {}", page.body);
        assert!(page.body.contains(&date.format("%Y-%m-%d").to_string()));
    }
    assert_eq!(s.requests(), 0);
}

#[tokio::test]
async fn the_asked_body_writes_its_approver_approves_and_the_lead_sees_it_frozen() {
    let s = scene().await;
    s.ask(s.unit, "Đề nghị Sở Nội vụ cho ý kiến về biên chế.")
        .await;
    let version = s.version(&s.unit_drafter_session).await;
    let text = [
        ("text", "Sở Nội vụ đề nghị bổ sung 5 biên chế."),
        ("version", version.as_str()),
        ("intent", "send"),
    ];
    // Another body's drafter, and the coordinating body, cannot write it.
    for session in [&s.other_drafter_session, &s.coordinating_drafter_session] {
        let page = session.post(&s.path("contribution"), &text).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    s.unit_drafter_session
        .post_ok(&s.path("contribution"), &text)
        .await;
    assert_eq!(s.state(s.unit), "in_review");
    // The same form again is stale: a conflict, nothing overwritten.
    let stale = s
        .unit_drafter_session
        .post(&s.path("contribution"), &text)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let version = s.version(&s.unit_approver_session).await;
    // Only the asked body's approver approves: not the lead body's, not its drafter.
    for session in [&s.lead_approver_session, &s.unit_drafter_session] {
        let page = session
            .post(&s.path("contribution/approve"), &[("version", &version)])
            .await;
        assert!(
            matches!(page.status, StatusCode::NOT_FOUND),
            "{}",
            page.status
        );
    }
    assert_eq!(s.state(s.unit), "in_review");
    s.unit_approver_session
        .post_ok(&s.path("contribution/approve"), &[("version", &version)])
        .await;
    assert_eq!(s.state(s.unit), "approved");

    // The lead body sees the text beside its draft, with the body.
    let page = s.lead_drafter_session.get(&s.path("")).await;
    assert!(page.body.contains("Sở Nội vụ đề nghị bổ sung 5 biên chế."));
    assert!(page.body.contains("Sở Nội vụ"));
    assert!(page.body.contains("Đã duyệt"));
    // Frozen: the asked body can no longer change it.
    let later = s
        .unit_drafter_session
        .post(
            &s.path("contribution"),
            &[
                ("text", "Sửa sau khi duyệt."),
                ("version", "2"),
                ("intent", "save"),
            ],
        )
        .await;
    assert_eq!(later.status, StatusCode::CONFLICT);
    let page = s.lead_drafter_session.get(&s.path("print")).await;
    assert!(page.body.contains("Sở Nội vụ đề nghị bổ sung 5 biên chế."));
}

#[tokio::test]
async fn a_returned_contribution_goes_back_to_drafting_with_the_reason() {
    let s = scene().await;
    s.ask(s.coordinating, "Đề nghị Ban Tuyên giáo cho ý kiến.")
        .await;
    let coordinating_approver = s.app.add_user(Role::Approver, Some("TGTU"));
    let approver = s.app.login(&coordinating_approver).await;
    let version = s.version(&s.coordinating_drafter_session).await;
    s.coordinating_drafter_session
        .post_ok(
            &s.path("contribution"),
            &[
                ("text", "Ý kiến sơ bộ."),
                ("version", &version),
                ("intent", "send"),
            ],
        )
        .await;
    let version = s.version(&approver).await;
    s.approver_returns(&approver, &version).await;
    assert_eq!(s.state(s.coordinating), "requested");
    let page = s.coordinating_drafter_session.get(&s.path("")).await;
    assert!(page.body.contains("Cần nêu rõ số liệu."), "{}", page.body);
    assert!(page.body.contains("Ý kiến sơ bộ."));
    // The lead body does not see a text that is not approved.
    let lead = s.lead_drafter_session.get(&s.path("")).await;
    assert!(!lead.body.contains("Ý kiến sơ bộ."));
    assert!(lead.body.contains("Đang soạn ý kiến"));
}

impl Scene {
    async fn approver_returns(&self, approver: &TestSession, version: &str) {
        approver
            .post_ok(
                &self.path("contribution/return"),
                &[("text", "Cần nêu rõ số liệu."), ("version", version)],
            )
            .await;
    }
}

#[tokio::test]
async fn the_lead_body_withdraws_an_open_request_and_the_unit_loses_sight() {
    let s = scene().await;
    s.ask(s.unit, "Đề nghị cho ý kiến.").await;
    let page = s
        .unit_drafter_session
        .post(
            &s.path("contributions/withdraw"),
            &[("body_id", &s.unit.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    s.lead_approver_session
        .post_ok(
            &s.path("contributions/withdraw"),
            &[("body_id", &s.unit.to_string())],
        )
        .await;
    assert_eq!(s.state(s.unit), "withdrawn");
    let page = s.unit_drafter_session.get(&s.path("")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_delegate_never_sees_contributions() {
    let s = scene().await;
    s.approved_from_unit("Nội dung nội bộ của Sở Nội vụ.").await;
    let page = s.delegate_session.get(&s.path("")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Nội dung nội bộ của Sở Nội vụ."));
    assert!(!page.body.contains("Ý kiến tham gia"));
    let print = s.delegate_session.get(&s.path("print")).await;
    assert!(!print.body.contains("Nội dung nội bộ của Sở Nội vụ."));
}

/// The mails of `event` received for `email`, waiting a little for the outbox.
async fn mails_to(app: &TestApp, email: &str, subject: &str) -> Vec<String> {
    let smtp = app.smtp.as_ref().expect("the mail server is up");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found: Vec<String> = smtp
            .received()
            .into_iter()
            .filter(|m| {
                m.subject().starts_with(subject) && m.to.iter().any(|to| to.contains(email))
            })
            .map(|m| m.part("text/plain"))
            .collect();
        if !found.is_empty() || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_asked_body_is_mailed_the_request_and_the_lead_body_the_approval() {
    let s = scene().await;
    s.approved_from_unit("Sở Nội vụ thống nhất.").await;
    for person in [&s.unit_drafter, &s.unit_approver] {
        let mails = mails_to(&s.app, &person.email, "Đề nghị tham gia ý kiến").await;
        assert_eq!(mails.len(), 1, "{}", person.email);
        assert!(mails[0].contains("Đề nghị Sở Nội vụ cho ý kiến về biên chế."));
    }
    let mails = mails_to(
        &s.app,
        &s.lead_drafter.email,
        "Ý kiến tham gia về kiến nghị",
    )
    .await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("Sở Nội vụ thống nhất."), "{}", mails[0]);
    // The lead drafter who asked is not told of their own request.
    let asked = mails_to(&s.app, &s.lead_drafter.email, "Đề nghị tham gia ý kiến").await;
    assert!(asked.is_empty());
}

#[tokio::test]
async fn a_muted_request_notice_is_not_queued() {
    let s = scene().await;
    s.app.execute(&format!(
        "INSERT INTO muted_notices (user_id, event) VALUES ({}, 'contribution_requested')",
        s.unit_drafter.id.0
    ));
    s.ask(s.unit, "Đề nghị cho ý kiến.").await;
    let queued: Vec<Option<i32>> = outbox::table
        .filter(outbox::event.eq(MailEvent::ContributionRequested))
        .select(outbox::recipient_user_id)
        .load(&mut *s.app.conn())
        .unwrap();
    assert_eq!(queued, vec![Some(s.unit_approver.id.0)]);
}

/// Local office time on a day of March 2026 (2 March is a Monday).
fn at(day: u32, hour: u32) -> NaiveDateTime {
    to_utc(
        NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap(),
    )
}

/// The recipients of the digests queued so far whose payload lists a contribution
/// of the item.
fn digest_recipients(app: &TestApp, item: i32) -> Vec<i32> {
    let rows: Vec<(Option<i32>, String)> = outbox::table
        .filter(outbox::event.eq(MailEvent::DeadlineDigest))
        .select((outbox::recipient_user_id, outbox::payload))
        .load(&mut *app.conn())
        .unwrap();
    let mut people: Vec<i32> = rows
        .into_iter()
        .filter(|(_, payload)| {
            let payload: serde_json::Value = serde_json::from_str(payload).unwrap();
            payload["contributions"]
                .as_array()
                .is_some_and(|lines| lines.iter().any(|l| l["item_id"] == item))
        })
        .filter_map(|(user, _)| user)
        .collect();
    people.sort_unstable();
    people
}

#[tokio::test]
async fn an_overdue_request_is_chased_then_escalated_to_the_head_and_the_coordinators() {
    let s = scene().await;
    let app = &s.app;
    s.ask(s.unit, "Đề nghị cho ý kiến.").await;
    // The item's own clock stays out of the way; the request was due on Monday 2
    // March at the close of office.
    app.execute("UPDATE items SET next_due_at = NULL, due_soon_at = NULL");
    diesel::update(contributions::table)
        .set(contributions::due_at.eq(at(2, 17)))
        .execute(&mut *app.conn())
        .unwrap();
    let hours = OfficeHours::default();

    // On the due day: nothing yet.
    send_due(&mut app.conn(), at(2, 9), &hours).unwrap();
    assert!(digest_recipients(app, s.item).is_empty());
    // One working day late: the unit's drafters.
    send_due(&mut app.conn(), at(3, 9), &hours).unwrap();
    assert_eq!(digest_recipients(app, s.item), vec![s.unit_drafter.id.0]);
    // Two working days late (the conference's default): its head too.
    app.execute("DELETE FROM outbox");
    send_due(&mut app.conn(), at(4, 9), &hours).unwrap();
    let mut expected = vec![s.unit_drafter.id.0, s.unit_approver.id.0];
    expected.sort_unstable();
    assert_eq!(digest_recipients(app, s.item), expected);
    // Five working days late: the coordinators too.
    app.execute("DELETE FROM outbox");
    send_due(&mut app.conn(), at(9, 9), &hours).unwrap();
    let mut expected = vec![
        s.unit_drafter.id.0,
        s.unit_approver.id.0,
        s.coordinator.id.0,
    ];
    expected.sort_unstable();
    assert_eq!(digest_recipients(app, s.item), expected);

    // Once the item is answered, an open request is no longer chased.
    app.execute("DELETE FROM outbox");
    app.execute("UPDATE items SET status = 'published'");
    send_due(&mut app.conn(), at(10, 9), &hours).unwrap();
    assert!(digest_recipients(app, s.item).is_empty());
    app.execute("UPDATE items SET status = 'drafting'");

    // Once approved, it is no longer chased.
    app.execute("DELETE FROM outbox");
    app.execute("UPDATE contributions SET state = 'approved'");
    send_due(&mut app.conn(), at(11, 9), &hours).unwrap();
    assert!(digest_recipients(app, s.item).is_empty());
}

#[tokio::test]
async fn the_digest_mail_has_a_section_for_overdue_contributions() {
    let s = scene().await;
    let app = &s.app;
    s.ask(s.unit, "Đề nghị cho ý kiến.").await;
    app.execute("UPDATE items SET next_due_at = NULL, due_soon_at = NULL");
    diesel::update(contributions::table)
        .set(contributions::due_at.eq(at(2, 17)))
        .execute(&mut *app.conn())
        .unwrap();
    send_due(&mut app.conn(), at(3, 9), &OfficeHours::default()).unwrap();
    let mails = mails_to(app, &s.unit_drafter.email, "Tổng hợp kiến nghị").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("Ý kiến tham gia quá hạn"), "{}", mails[0]);
    assert!(mails[0].contains("Bố trí cán bộ trẻ về cơ sở"));
    assert!(mails[0].contains(&format!("{}/items/{}", app.address, s.item)));
}

#[tokio::test]
async fn the_administrator_sets_up_a_unit_that_its_parent_body_may_then_ask() {
    let s = scene().await;
    let admin = s.app.add_user(Role::Admin, None);
    let admin = s.app.login(&admin).await;
    let tctu = s.app.body_id("TCTU").to_string();
    let unit = [
        ("code", "SYT"),
        ("name_vi", "Sở Y tế"),
        ("name_en", "Department of Health"),
        ("active", "on"),
        ("parent_id", tctu.as_str()),
    ];
    admin.post_ok("/admin/bodies", &unit).await;
    let health = s.app.body_id("SYT");
    let form = admin.get(&format!("/admin/bodies/{health}")).await;
    assert!(form
        .body
        .contains(&format!("<option value=\"{tctu}\" selected>")));
    // A body cannot be its own unit.
    let own = [
        ("code", "SYT"),
        ("name_vi", "Sở Y tế"),
        ("name_en", "Department of Health"),
        ("active", "on"),
        ("parent_id", &health.to_string()),
    ];
    let page = admin.post(&format!("/admin/bodies/{health}"), &own).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Không thể chọn chính cơ quan này"));
    // The lead body now finds the unit among the bodies it may ask.
    let item = s.lead_drafter_session.get(&s.path("")).await;
    assert!(item
        .body
        .contains(&format!("<option value=\"{health}\">Sở Y tế</option>")));
    s.ask(health, "Đề nghị Sở Y tế cho ý kiến.").await;
    assert_eq!(s.state(health), "requested");
}

#[tokio::test]
async fn the_demo_has_a_unit_and_an_approved_contribution_beside_a_draft() {
    let password = "mật khẩu demo 2023";
    let app = crate::helpers::spawn_demo_app(password).await;
    let login = |email: &str| TestUser {
        id: dialogue_desk::domain::UserId(0),
        email: email.into(),
        password: password.into(),
    };
    let committee = app.login(&login("chuyenvien.ubnd@demo.vn")).await;
    let item: i32 = contributions::table
        .select(contributions::item_id)
        .first(&mut *app.conn())
        .unwrap();
    let page = committee.get(&format!("/items/{item}")).await;
    assert!(
        page.body.contains("thống nhất bố trí 01 biên chế"),
        "{}",
        page.body
    );
    // The unit's drafter logs in and finds the (still empty) list of its requests.
    let unit = app.login(&login("chuyenvien.sonoivu@demo.vn")).await;
    let list = unit.get("/contributions").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Chưa có đề nghị tham gia ý kiến nào."));
}
