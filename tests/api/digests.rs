//! Issue 9: reminders, escalation and the daily digest, with an injected clock.
//!
//! Items are filed through the app; their clock is then set to a known scene in
//! the database, and the digest runs at instants the test chooses: local times in
//! Vietnam around Tết 2026 (Monday 16 to Friday 20 February are holidays), in the
//! past so that the app's own outbox worker sends what was queued at once to the
//! test's mail server.

use chrono::{NaiveDate, NaiveDateTime};
use dialogue_desk::db::digests::{send_due, DigestRun};
use dialogue_desk::db::schema::{items, outbox};
use dialogue_desk::domain::calendar::to_utc;
use dialogue_desk::domain::deadlines::OfficeHours;
use dialogue_desk::domain::{MailEvent, Role};
use diesel::prelude::*;

use crate::helpers::{spawn_app, TestApp, TestUser};
use crate::smtp::ReceivedMail;

/// A local time in Vietnam, as the UTC instant the desk stores.
fn at(month: u32, day: u32, hour: u32, minute: u32) -> NaiveDateTime {
    to_utc(
        NaiveDate::from_ymd_opt(2026, month, day)
            .unwrap()
            .and_hms_opt(hour, minute, 0)
            .unwrap(),
    )
}

/// The people of a scene: the lead body's (TCTU) drafter and approver, a
/// coordinator, and a drafter of another body who is never told.
struct Staff {
    drafter: TestUser,
    approver: TestUser,
    coordinator: TestUser,
    other_drafter: TestUser,
}

fn staff(app: &TestApp) -> Staff {
    // The conference chases the head after 2 working days late and the
    // coordinating body after 5, and warns 2 working days ahead.
    app.execute(
        "UPDATE conferences SET due_soon_days = 2, escalate_to_head_after = 2, \
         escalate_to_coordinators_after = 5",
    );
    Staff {
        drafter: app.add_user(Role::Drafter, Some("TCTU")),
        approver: app.add_user(Role::Approver, Some("TCTU")),
        coordinator: app.add_user(Role::Coordinator, Some("DUK")),
        other_drafter: app.add_user(Role::Drafter, Some("TGTU")),
    }
}

/// Files an item a field routes to TCTU (so it is in drafting there) and sets its
/// clock: due at the close of `due_day` (2026), due soon from the start
/// of the working day before. Returns its id and reference.
async fn item_due(app: &TestApp, title: &str, due_month: u32, due_day: u32) -> (i32, String) {
    let delegate = app.add_user(Role::Delegate, None);
    item_of(app, &delegate, title, due_month, due_day).await
}

/// `item_due`, filed by `delegate`.
async fn item_of(
    app: &TestApp,
    delegate: &TestUser,
    title: &str,
    due_month: u32,
    due_day: u32,
) -> (i32, String) {
    let delegate = app.login(delegate).await;
    let id = delegate
        .submit_proposal(
            title,
            "Nội dung kiến nghị để thử thời hạn.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let due = at(due_month, due_day, 17, 0);
    let soon = to_utc(
        NaiveDate::from_ymd_opt(2026, due_month, due_day)
            .unwrap()
            .pred_opt()
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    );
    let mut conn = app.conn();
    diesel::update(items::table.find(id))
        .set((
            items::stage_due_at.eq(Some(due)),
            items::next_due_at.eq(Some(due)),
            items::due_soon_at.eq(Some(soon)),
            items::paused_at.eq(None::<NaiveDateTime>),
        ))
        .execute(&mut *conn)
        .unwrap();
    let reference = items::table
        .find(id)
        .select(items::reference)
        .first(&mut *conn)
        .unwrap();
    (id, reference)
}

/// One run of the digest at `now`, in the default office hours.
fn run(app: &TestApp, now: NaiveDateTime) -> DigestRun {
    send_due(&mut app.conn(), now, &OfficeHours::default()).expect("the digest runs")
}

/// The addresses digests were queued for so far, one entry per digest.
fn queued_digests(app: &TestApp) -> Vec<String> {
    let mut to: Vec<String> = outbox::table
        .filter(outbox::event.eq(MailEvent::DeadlineDigest))
        .select(outbox::recipient_email)
        .load(&mut *app.conn())
        .unwrap();
    to.sort();
    to
}

fn sorted(users: &[&TestUser]) -> Vec<String> {
    let mut emails: Vec<String> = users.iter().map(|u| u.email.clone()).collect();
    emails.sort();
    emails
}

fn is_digest(mail: &ReceivedMail) -> bool {
    mail.subject()
        .starts_with("Tổng hợp kiến nghị sắp đến hạn và quá hạn")
}

/// Waits until `count` digests reached `user` at the mail server, and returns them.
async fn digests_received(app: &TestApp, user: &TestUser, count: usize) -> Vec<ReceivedMail> {
    let smtp = app.smtp.as_ref().expect("the mail server is up");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let mails: Vec<ReceivedMail> = smtp
            .received()
            .into_iter()
            .filter(|m| is_digest(m) && m.to.iter().any(|to| to.contains(&user.email)))
            .collect();
        if mails.len() >= count || std::time::Instant::now() > deadline {
            assert_eq!(mails.len(), count, "digests received by {}", user.email);
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_due_soon_item_reminds_the_drafters_of_the_lead_body_by_mail() {
    let app = spawn_app().await;
    let staff = staff(&app);
    let (id, reference) = item_due(&app, "Quy hoạch cán bộ trẻ", 2, 13).await;

    // Thursday 12 February, 09:00: the item is due tomorrow evening.
    let outcome = run(&app, at(2, 12, 9, 0));

    assert_eq!((outcome.queued, outcome.items), (1, 1));
    assert_eq!(queued_digests(&app), sorted(&[&staff.drafter]));
    let mail = digests_received(&app, &staff.drafter, 1).await.remove(0);
    assert!(mail.subject().contains("12/02/2026"), "{}", mail.subject());
    let text = mail.part("text/plain");
    assert!(
        text.contains(&reference) && text.contains("Quy hoạch cán bộ trẻ"),
        "{text}"
    );
    assert!(text.contains("Kiến nghị sắp đến hạn"), "{text}");
    assert!(
        text.contains("Soạn trả lời") && text.contains("13/02/2026"),
        "{text}"
    );
    assert!(text.contains("Đồng chí đang xử lý kiến nghị này"), "{text}");
    assert!(
        text.contains(&format!("{}/items/{id}", app.address)),
        "{text}"
    );
    assert!(text.contains("không thể tắt"), "{text}");
    // The HTML escapes the slashes of its links, as every mail's does.
    let html = mail.part("text/html").replace("&#x2F;", "/");
    assert!(
        html.contains(&format!("href=\"{}/items/{id}\"", app.address)),
        "{html}"
    );
    for nobody in [&staff.approver, &staff.coordinator, &staff.other_drafter] {
        assert!(!queued_digests(&app).contains(&nobody.email));
    }
}

#[tokio::test]
async fn an_overdue_item_reaches_the_head_then_the_coordinators_on_the_right_working_day_across_tet(
) {
    let app = spawn_app().await;
    let staff = staff(&app);
    let delegate = app.add_user(Role::Delegate, None);
    let (id, reference) = item_of(&app, &delegate, "Đào tạo cán bộ cơ sở", 2, 13).await;

    // Monday 23 February: the weekends and Tết (16 to 20) do not count, so the
    // item is 1 working day late: only its holders are chased.
    run(&app, at(2, 23, 9, 0));
    assert_eq!(queued_digests(&app), sorted(&[&staff.drafter]));

    // Tuesday 24: 2 working days late, the head of the body too.
    run(&app, at(2, 24, 9, 0));
    let mut expected = vec![&staff.drafter, &staff.drafter, &staff.approver];
    assert_eq!(queued_digests(&app), sorted(&expected));

    // Wednesday 25 and Thursday 26 (3 and 4 days): still not the coordinators.
    run(&app, at(2, 25, 9, 0));
    run(&app, at(2, 26, 9, 0));
    expected.extend([
        &staff.drafter,
        &staff.approver,
        &staff.drafter,
        &staff.approver,
    ]);
    assert_eq!(queued_digests(&app), sorted(&expected));

    // Friday 27: 5 working days late, the coordinating body too.
    run(&app, at(2, 27, 9, 0));
    expected.extend([&staff.drafter, &staff.approver, &staff.coordinator]);
    assert_eq!(queued_digests(&app), sorted(&expected));

    // The outbox sends several at once, so the mails may arrive in any order.
    let texts = |mails: Vec<ReceivedMail>| -> Vec<String> {
        mails.iter().map(|m| m.part("text/plain")).collect()
    };
    let to_head = texts(digests_received(&app, &staff.approver, 4).await);
    assert!(
        to_head.iter().any(|text| text.contains(&reference)
            && text.contains("Quá hạn 2 ngày làm việc")
            && text.contains("Chuyển lên đồng chí với tư cách lãnh đạo cơ quan chủ trì")),
        "{to_head:?}"
    );
    let to_coordinators = digests_received(&app, &staff.coordinator, 1).await;
    let text = to_coordinators[0].part("text/plain");
    assert!(text.contains("Quá hạn 5 ngày làm việc"), "{text}");
    assert!(text.contains("Chuyển lên cơ quan điều phối"), "{text}");
    let to_holder = texts(digests_received(&app, &staff.drafter, 5).await);
    assert!(
        to_holder
            .iter()
            .any(|text| text.contains("Quá hạn 1 ngày làm việc")
                && text.contains("Đồng chí đang xử lý kiến nghị này")),
        "{to_holder:?}"
    );
    assert!(queued_digests(&app)
        .iter()
        .all(|to| to != &staff.other_drafter.email));

    // The item's timeline shows each escalation once, on the day it happened.
    let page = app
        .login(&staff.drafter)
        .await
        .get(&format!("/items/{id}"))
        .await;
    let body = page.body.replace("&#x2F;", "/");
    for (step, day) in [
        ("Quá hạn, chuyển lên lãnh đạo cơ quan chủ trì", "24/02/2026"),
        ("Quá hạn, chuyển lên cơ quan điều phối", "27/02/2026"),
    ] {
        assert_eq!(body.matches(step).count(), 1, "{step}: {body}");
        let at = body.find(step).unwrap();
        assert!(
            body[..at].rfind(day) > body[..at].rfind("<li>"),
            "{step} on {day}"
        );
    }
    // The delegate's timeline stays without the body's internal chasing.
    let page = app
        .login(&delegate)
        .await
        .get(&format!("/items/{id}"))
        .await;
    assert_eq!(page.status, reqwest::StatusCode::OK);
    assert!(!page.body.contains("chuyển lên"), "{}", page.body);
}

#[tokio::test]
async fn nothing_is_sent_before_half_past_seven_after_five_on_a_sunday_or_on_a_holiday() {
    let app = spawn_app().await;
    let staff = staff(&app);
    item_due(&app, "Kiến nghị quá hạn", 2, 13).await;

    for quiet in [
        at(2, 23, 7, 29), // Monday, before the office opens
        at(2, 23, 17, 0), // Monday, as it closes
        at(2, 23, 22, 0), // Monday night
        at(2, 22, 10, 0), // Sunday
        at(2, 18, 10, 0), // Wednesday, a Tết holiday
    ] {
        let outcome = run(&app, quiet);
        assert!(!outcome.office_open, "ran at {quiet}");
        assert_eq!(outcome.queued, 0, "queued at {quiet}");
    }
    assert!(queued_digests(&app).is_empty());

    let outcome = run(&app, at(2, 23, 7, 30));
    assert!(outcome.office_open);
    assert_eq!(queued_digests(&app), sorted(&[&staff.drafter]));
}

#[tokio::test]
async fn several_items_make_one_mail_per_person_listing_them_all_overdue_and_oldest_first() {
    let app = spawn_app().await;
    let staff = staff(&app);
    let (_, soon) = item_due(&app, "Sắp đến hạn", 2, 24).await;
    let (_, late) = item_due(&app, "Quá hạn gần đây", 2, 13).await;
    let (_, oldest) = item_due(&app, "Quá hạn lâu nhất", 2, 6).await;

    let outcome = run(&app, at(2, 23, 9, 0));

    assert_eq!(outcome.items, 3);
    let mail = digests_received(&app, &staff.drafter, 1).await.remove(0);
    let text = mail.part("text/plain");
    let position = |reference: &str| {
        text.find(&format!("- {reference}:"))
            .unwrap_or_else(|| panic!("{reference} is not in {text}"))
    };
    assert!(position(&oldest) < position(&late), "{text}");
    assert!(position(&late) < position(&soon), "{text}");
    assert!(text.find("Kiến nghị quá hạn").unwrap() < text.find("Kiến nghị sắp đến hạn").unwrap());
    assert!(text.contains("Quá hạn: 2 · Sắp đến hạn: 1"), "{text}");
    // The oldest is 6 working days late (9 to 13 and 23 February): the approver
    // and the coordinators hear of it, and only of it.
    assert_eq!(
        queued_digests(&app),
        sorted(&[&staff.drafter, &staff.approver, &staff.coordinator])
    );
    let to_head = digests_received(&app, &staff.approver, 1).await.remove(0);
    let text = to_head.part("text/plain");
    assert!(text.contains(&oldest) && !text.contains(&late) && !text.contains(&soon));
}

#[test]
fn two_workers_at_once_queue_exactly_one_digest_per_person() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(spawn_app());
    let staff = staff(&app);
    runtime.block_on(item_due(&app, "Kiến nghị quá hạn lâu", 2, 6));
    runtime.block_on(item_due(&app, "Kiến nghị sắp đến hạn", 2, 24));

    // Two instances on the same database run at the same instant, many times.
    let now = at(2, 23, 9, 0);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let pool = app.pool.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                barrier.wait();
                (0..5)
                    .map(|_| send_due(&mut conn, now, &OfficeHours::default()).unwrap())
                    .collect::<Vec<DigestRun>>()
            })
        })
        .collect();
    let runs: Vec<DigestRun> = workers
        .into_iter()
        .flat_map(|worker| worker.join().unwrap())
        .collect();

    assert_eq!(runs.iter().map(|r| r.queued).sum::<usize>(), 3);
    assert_eq!(
        queued_digests(&app),
        sorted(&[&staff.drafter, &staff.approver, &staff.coordinator])
    );
    // Each escalation of the overdue item is on its timeline once.
    let escalations: Vec<String> = dialogue_desk::db::schema::item_events::table
        .filter(
            dialogue_desk::db::schema::item_events::kind
                .eq_any(["escalated_to_head", "escalated_to_coordinators"]),
        )
        .select(dialogue_desk::db::schema::item_events::kind)
        .order(dialogue_desk::db::schema::item_events::kind)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        escalations,
        ["escalated_to_coordinators", "escalated_to_head"]
    );
    runtime.block_on(async {
        digests_received(&app, &staff.drafter, 1).await;
        digests_received(&app, &staff.coordinator, 1).await;
    });
}

#[tokio::test]
async fn a_second_run_the_same_day_sends_nothing_new_and_the_next_working_day_sends_again() {
    let app = spawn_app().await;
    let staff = staff(&app);
    item_due(&app, "Kiến nghị quá hạn", 2, 13).await;

    let first = run(&app, at(2, 23, 9, 0));
    // The instance restarts and runs again in the afternoon.
    let again = run(&app, at(2, 23, 15, 30));

    assert_eq!((first.queued, first.already_sent), (1, 0));
    assert_eq!((again.queued, again.already_sent), (0, 1));
    assert_eq!(queued_digests(&app), sorted(&[&staff.drafter]));
    digests_received(&app, &staff.drafter, 1).await;

    // Tuesday 24 is a new working day (and now the head hears of it too).
    let next = run(&app, at(2, 24, 7, 45));
    assert_eq!(next.queued, 2);
    digests_received(&app, &staff.drafter, 2).await;
}

#[tokio::test]
async fn a_muted_due_soon_reminder_is_not_sent_but_an_overdue_line_still_is() {
    let app = spawn_app().await;
    let staff = staff(&app);
    let colleague = app.add_user(Role::Drafter, Some("TCTU"));
    // The drafter unticks the due-soon reminder on the notices form (every other
    // notice stays ticked).
    let session = app.login(&staff.drafter).await;
    let kept: Vec<(&str, &str)> = MailEvent::STAFF_NOTICES
        .iter()
        .filter(|event| **event != MailEvent::DueSoonReminder)
        .map(|event| ("notice", event.as_str()))
        .collect();
    session.post_ok("/account/notices", &kept).await;
    let page = session.get("/account/password").await;
    assert!(page
        .body
        .contains("các kiến nghị quá hạn luôn có trong bản tổng hợp"));

    let (_, soon) = item_due(&app, "Sắp đến hạn", 2, 13).await;
    // Only a due-soon item: the drafter gets nothing, the colleague a reminder.
    run(&app, at(2, 12, 9, 0));
    assert_eq!(queued_digests(&app), sorted(&[&colleague]));

    // After Tết the item is overdue: that line goes to the drafter all the same.
    let (_, soon_again) = item_due(&app, "Lại sắp đến hạn", 2, 24).await;
    run(&app, at(2, 23, 9, 0));
    let mail = digests_received(&app, &staff.drafter, 1).await.remove(0);
    let text = mail.part("text/plain");
    assert!(
        text.contains(&soon) && text.contains("Quá hạn 1 ngày làm việc"),
        "{text}"
    );
    assert!(!text.contains(&soon_again), "{text}");
    let to_colleague = digests_received(&app, &colleague, 2).await;
    assert!(to_colleague
        .iter()
        .any(|mail| mail.part("text/plain").contains(&soon_again)));
}

#[tokio::test]
async fn a_paused_item_is_not_mentioned() {
    let app = spawn_app().await;
    let staff = staff(&app);
    let (paused, _) = item_due(&app, "Chờ đại biểu bổ sung", 2, 6).await;
    let (_, reference) = item_due(&app, "Đang chạy", 2, 13).await;
    diesel::update(items::table.find(paused))
        .set(items::paused_at.eq(Some(at(2, 2, 10, 0))))
        .execute(&mut *app.conn())
        .unwrap();

    let outcome = run(&app, at(2, 23, 9, 0));

    assert_eq!(outcome.items, 1);
    let mail = digests_received(&app, &staff.drafter, 1).await.remove(0);
    let text = mail.part("text/plain");
    assert!(
        text.contains(&reference) && !text.contains("Chờ đại biểu bổ sung"),
        "{text}"
    );
    // Paused, the oldest item would have reached the coordinators; nothing did.
    assert_eq!(queued_digests(&app), sorted(&[&staff.drafter]));
}
