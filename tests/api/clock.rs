//! Issue 9: asking the delegate for information (a paused clock) and extensions:
//! what each person sees on the item, the mails read at the test mail server, and
//! who may do what.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{hidden_value, TestApp, TestSession, TestUser};
use crate::smtp::ReceivedMail;
use dialogue_desk::db::deadlines::calendar_around;
use dialogue_desk::db::schema::{items, outbox, stage_clocks};
use dialogue_desk::db::workflow;
use dialogue_desk::domain::calendar::local_date;
use dialogue_desk::domain::{Actor, ItemId, MailEvent, Role};

const INFO_REQUESTED: &str = "Đề nghị đại biểu bổ sung thông tin cho kiến nghị";
const INFO_PROVIDED: &str = "Đại biểu đã bổ sung thông tin";
const EXTENSION_REQUESTED: &str = "Đề nghị gia hạn trả lời kiến nghị";
const EXTENSION_DECIDED: &str = "Kết quả đề nghị gia hạn";
const DEADLINE_EXTENDED: &str = "Thời hạn trả lời kiến nghị được gia hạn";
const PAUSED: &str = "Thời hạn đang tạm dừng từ";

/// The people of one item: its delegate, two drafters and an approver of the
/// lead body (the Organizing Committee), and a coordinator.
struct Scene {
    delegate_user: TestUser,
    delegate: TestSession,
    drafter_user: TestUser,
    drafter: TestSession,
    approver_user: TestUser,
    approver: TestSession,
    coordinator_user: TestUser,
    coordinator: TestSession,
    item: i32,
}

async fn scene(app: &TestApp) -> Scene {
    let delegate_user = app.add_user(Role::Delegate, None);
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    let approver_user = app.add_user(Role::Approver, Some("TCTU"));
    let coordinator_user = app.add_user(Role::Coordinator, Some("DUK"));
    let delegate = app.login(&delegate_user).await;
    let item = delegate
        .submit_proposal(
            "Kiến nghị về quy hoạch cán bộ",
            "Nội dung kiến nghị về quy hoạch cán bộ trẻ.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    Scene {
        drafter: app.login(&drafter_user).await,
        approver: app.login(&approver_user).await,
        coordinator: app.login(&coordinator_user).await,
        delegate,
        delegate_user,
        drafter_user,
        approver_user,
        coordinator_user,
        item,
    }
}

/// The mails with `subject` (the reference follows it) that reached `user`,
/// waiting up to ten seconds for at least one.
async fn mails_to(app: &TestApp, user: &TestUser, subject: &str) -> Vec<ReceivedMail> {
    let smtp = app.smtp.as_ref().expect("the mail server is up");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found: Vec<ReceivedMail> = smtp
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|to| to.contains(&user.email)))
            .filter(|m| m.subject().starts_with(subject))
            .collect();
        if !found.is_empty() || std::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// How many mails of `event` were queued for `user` (a muted notice is never).
fn queued(app: &TestApp, user: &TestUser, event: MailEvent) -> i64 {
    outbox::table
        .filter(outbox::recipient_email.eq(&user.email))
        .filter(outbox::event.eq(event))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn deadline_of(app: &TestApp, item: i32) -> (NaiveDateTime, NaiveDateTime) {
    items::table
        .find(item)
        .select((items::deadline, items::original_deadline))
        .first(&mut app.conn())
        .unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// The first working day at least `days` calendar days after the item's due
/// date, as a date input sends it.
fn working_day_after(app: &TestApp, item: i32, days: i64) -> NaiveDate {
    let (deadline, _) = deadline_of(app, item);
    let calendar = calendar_around(&mut app.conn(), deadline).unwrap();
    let mut date = local_date(deadline) + chrono::Duration::days(days);
    while !calendar.is_working_day(date) {
        date = date.succ_opt().unwrap();
    }
    date
}

/// A date as a mail writes it.
fn shown(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Text as a page writes it: the templates escape `/` too.
fn html(text: &str) -> String {
    text.replace('/', "&#x2F;")
}

async fn posted(session: &TestSession, path: &str, fields: &[(&str, &str)]) {
    let page = session.post(path, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
}

#[tokio::test]
async fn asking_the_delegate_pauses_the_clock_and_mails_them_the_question() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let question = "Đề nghị đồng chí cho biết số cán bộ trẻ của đơn vị.";

    posted(
        &s.drafter,
        &format!("/items/{}/info-request", s.item),
        &[("text", question)],
    )
    .await;

    // Everyone who sees the item sees that the clock stands still, and why.
    for session in [&s.delegate, &s.drafter, &s.coordinator] {
        let page = session.get(&format!("/items/{}", s.item)).await;
        assert!(page.body.contains(PAUSED), "{}", page.body);
        assert!(page.body.contains(question));
    }
    // The delegate is asked on the item, and only they may answer there.
    let own = s.delegate.get(&format!("/items/{}", s.item)).await;
    assert!(own.body.contains("info-reply\""));
    let staff = s.drafter.get(&format!("/items/{}", s.item)).await;
    assert!(!staff.body.contains("info-reply\""));
    assert!(staff.body.contains("clock&#x2F;resume\""));
    let paused_at: Option<NaiveDateTime> = items::table
        .find(s.item)
        .select(items::paused_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(paused_at.is_some());

    let mails = mails_to(&app, &s.delegate_user, INFO_REQUESTED).await;
    assert_eq!(mails.len(), 1);
    let text = mails[0].part("text/plain");
    assert!(text.contains(question), "{text}");
    assert!(text.contains(&format!("{}/items/{}", app.address, s.item)));

    // Asking again while paused is refused with a clear conflict.
    let again = s
        .approver
        .post(
            &format!("/items/{}/info-request", s.item),
            &[("text", "Câu hỏi thứ hai.")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_delegates_answer_moves_the_due_dates_by_exactly_the_working_days_paused_across_tet() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    posted(
        &s.drafter,
        &format!("/items/{}/info-request", s.item),
        &[("text", "Đề nghị bổ sung số liệu.")],
    )
    .await;
    // The scene: paused on Wednesday 3/2/2027 (09:00 in Vietnam), the eve of the
    // Tết holidays (4/2 to 10/2/2027); the stage due Friday 12/2 and the answer
    // Thursday 18/2, at the close of the office day (17:00 = 10:00 UTC).
    app.execute(&format!(
        "UPDATE items SET paused_at = '2027-02-03 02:00:00', \
         stage_due_at = '2027-02-12 10:00:00', deadline = '2027-02-18 10:00:00' \
         WHERE id = {id}; \
         UPDATE stage_clocks SET due_at = '2027-02-12 10:00:00' \
         WHERE item_id = {id} AND finished_at IS NULL; \
         UPDATE item_events SET created_at = '2027-02-03 02:00:00' \
         WHERE item_id = {id} AND kind = 'info_requested';",
        id = s.item
    ));

    // The delegate answers on Monday 15/2/2027, 09:00: Thursday 11, Friday 12 and
    // Monday 15 are the working days the clock stood still.
    let answer = "Đơn vị có 42 cán bộ trẻ.";
    let delegate = Actor {
        user: s.delegate_user.id,
        role: Role::Delegate,
        body: None,
    };
    let days = workflow::provide_info(
        &mut app.conn(),
        &delegate,
        ItemId(s.item),
        answer,
        at("2027-02-15 02:00:00"),
    )
    .unwrap();
    assert_eq!(days, 3);

    // Both due dates moved three working days: the stage to Wednesday 17/2, the
    // answer to Tuesday 23/2.
    let (stage_due, paused_at): (Option<NaiveDateTime>, Option<NaiveDateTime>) = items::table
        .find(s.item)
        .select((items::stage_due_at, items::paused_at))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stage_due, Some(at("2027-02-17 10:00:00")));
    assert_eq!(paused_at, None);
    let (deadline, _) = deadline_of(&app, s.item);
    assert_eq!(deadline, at("2027-02-23 10:00:00"));
    let running: NaiveDateTime = stage_clocks::table
        .filter(stage_clocks::item_id.eq(s.item))
        .filter(stage_clocks::finished_at.is_null())
        .select(stage_clocks::due_at)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(running, at("2027-02-17 10:00:00"));

    // The page: no longer paused, the new due date, the pause and its length, and
    // the delegate's answer in the staff's timeline.
    let page = s.drafter.get(&format!("/items/{}", s.item)).await;
    assert!(!page.body.contains(PAUSED));
    assert!(page.body.contains(&html("23/02/2027")));
    assert!(
        page.body.contains("3 ngày làm việc tạm dừng"),
        "{}",
        page.body
    );
    assert!(page.body.contains(answer));
    assert!(page
        .body
        .contains("Đại biểu bổ sung thông tin (thời hạn chạy lại)"));
}

#[tokio::test]
async fn the_lead_body_hears_of_the_delegates_answer_unless_muted() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let muted_user = app.add_user(Role::Drafter, Some("TCTU"));
    let muted = app.login(&muted_user).await;
    // Every staff notice but this one stays on.
    let keep: Vec<(&str, &str)> = MailEvent::STAFF_NOTICES
        .iter()
        .filter(|e| **e != MailEvent::InfoProvided)
        .map(|e| ("notice", e.as_str()))
        .collect();
    posted(&muted, "/account/notices", &keep).await;
    posted(
        &s.approver,
        &format!("/items/{}/info-request", s.item),
        &[("text", "Đề nghị gửi kèm văn bản.")],
    )
    .await;

    let answer = "Văn bản số 12/CV gửi kèm.";
    posted(
        &s.delegate,
        &format!("/items/{}/info-reply", s.item),
        &[("text", answer)],
    )
    .await;

    for user in [&s.drafter_user, &s.approver_user] {
        let mails = mails_to(&app, user, INFO_PROVIDED).await;
        assert_eq!(mails.len(), 1, "{}", user.email);
        assert!(mails[0].part("text/plain").contains(answer));
    }
    assert_eq!(queued(&app, &muted_user, MailEvent::InfoProvided), 0);
    // Another answer while the clock runs is a conflict.
    let again = s
        .delegate
        .post(
            &format!("/items/{}/info-reply", s.item),
            &[("text", "Thêm.")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // The delegate sees their own answer.
    let page = s.delegate.get(&format!("/items/{}", s.item)).await;
    assert!(page.body.contains(&html(answer)));
    assert!(!page.body.contains(PAUSED));
}

#[tokio::test]
async fn staff_may_restart_the_clock_without_an_answer() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    posted(
        &s.coordinator,
        &format!("/items/{}/info-request", s.item),
        &[("text", "Đề nghị làm rõ.")],
    )
    .await;
    posted(
        &s.drafter,
        &format!("/items/{}/clock/resume", s.item),
        &[("text", "")],
    )
    .await;
    let page = s.delegate.get(&format!("/items/{}", s.item)).await;
    assert!(!page.body.contains(PAUSED));
    assert!(page.body.contains("Thời hạn chạy lại"));
    assert!(!page.body.contains("info-reply\""));
    let twice = s
        .drafter
        .post(&format!("/items/{}/clock/resume", s.item), &[("text", "")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_granted_extension_moves_the_due_date_keeps_the_original_and_tells_the_delegate() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let (before, original) = deadline_of(&app, s.item);
    let new_date = working_day_after(&app, s.item, 20);
    let reason = "Cần xin ý kiến ba sở liên quan.";

    posted(
        &s.drafter,
        &format!("/items/{}/extensions", s.item),
        &[("reason", reason), ("date", &new_date.to_string())],
    )
    .await;

    let asked = mails_to(&app, &s.coordinator_user, EXTENSION_REQUESTED).await;
    assert_eq!(asked.len(), 1);
    let text = asked[0].part("text/plain");
    assert!(
        text.contains(reason) && text.contains(&shown(new_date)),
        "{text}"
    );

    // The coordinator sees the request and decides it on the item.
    let page = s.coordinator.get(&format!("/items/{}", s.item)).await;
    assert!(page.body.contains(reason));
    assert!(page.body.contains("Chờ quyết định"));
    let extension = hidden_value(&page.body, "extension").expect("the decision form");
    // A second request while one is pending is refused.
    let second = s
        .approver
        .post(
            &format!("/items/{}/extensions", s.item),
            &[("reason", "Lần nữa."), ("date", &new_date.to_string())],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);

    posted(
        &s.coordinator,
        &format!("/items/{}/extensions/decide", s.item),
        &[
            ("extension", &extension),
            ("decision", "grant"),
            ("text", "Đồng ý, lưu ý tiến độ nội bộ."),
        ],
    )
    .await;

    let (after, kept) = deadline_of(&app, s.item);
    assert_eq!(local_date(after), new_date);
    assert_eq!(kept, original, "the original due date is kept");
    let page = s.delegate.get(&format!("/items/{}", s.item)).await;
    assert!(page.body.contains(&html(&shown(new_date))));
    assert!(page.body.contains(&html(&format!(
        "{} → {}",
        shown(local_date(before)),
        shown(new_date)
    ))));
    // The coordinator's words are for the body, not the delegate.
    assert!(!page.body.contains("lưu ý tiến độ nội bộ"));
    let staff_page = s.drafter.get(&format!("/items/{}", s.item)).await;
    assert!(staff_page.body.contains("Đồng ý gia hạn"));
    assert!(staff_page.body.contains("lưu ý tiến độ nội bộ"));
    assert!(staff_page
        .body
        .contains(&html(&shown(local_date(original)))));

    let told = mails_to(&app, &s.delegate_user, DEADLINE_EXTENDED).await;
    assert_eq!(told.len(), 1);
    let text = told[0].part("text/plain");
    assert!(text.contains(&shown(new_date)), "{text}");
    assert!(text.contains(&shown(local_date(before))), "{text}");
    for user in [&s.drafter_user, &s.approver_user] {
        let decided = mails_to(&app, user, EXTENSION_DECIDED).await;
        assert_eq!(decided.len(), 1, "{}", user.email);
        assert!(decided[0].part("text/plain").contains("đã đồng ý gia hạn"));
    }

    // Deciding the same request again is a conflict with a clear message.
    let again = s
        .coordinator
        .post(
            &format!("/items/{}/extensions/decide", s.item),
            &[
                ("extension", &extension),
                ("decision", "refuse"),
                ("text", "Không."),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("đã được quyết định"), "{}", again.body);
}

#[tokio::test]
async fn a_refused_extension_leaves_the_due_date_and_tells_the_body_why() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let (before, _) = deadline_of(&app, s.item);
    let new_date = working_day_after(&app, s.item, 10);
    posted(
        &s.approver,
        &format!("/items/{}/extensions", s.item),
        &[("reason", "Chờ số liệu."), ("date", &new_date.to_string())],
    )
    .await;
    let page = s.coordinator.get(&format!("/items/{}", s.item)).await;
    let extension = hidden_value(&page.body, "extension").unwrap();
    let path = format!("/items/{}/extensions/decide", s.item);

    // Refusing needs a reason: the page comes back with the message.
    let empty = s
        .coordinator
        .post(
            &path,
            &[
                ("extension", &extension),
                ("decision", "refuse"),
                ("text", " "),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("decision_comment-error"));

    let why = "Hạn hiện nay đủ để trả lời.";
    posted(
        &s.coordinator,
        &path,
        &[
            ("extension", &extension),
            ("decision", "refuse"),
            ("text", why),
        ],
    )
    .await;
    assert_eq!(deadline_of(&app, s.item).0, before);
    let mails = mails_to(&app, &s.approver_user, EXTENSION_DECIDED).await;
    assert_eq!(mails.len(), 1);
    let text = mails[0].part("text/plain");
    assert!(
        text.contains("không đồng ý gia hạn") && text.contains(why),
        "{text}"
    );
    assert_eq!(
        queued(&app, &s.delegate_user, MailEvent::DeadlineExtended),
        0
    );
    let staff = s.drafter.get(&format!("/items/{}", s.item)).await;
    assert!(staff.body.contains("Không đồng ý"));
    assert!(staff.body.contains(why));
}

#[tokio::test]
async fn a_date_not_later_not_a_working_day_or_a_missing_reason_comes_back_with_the_input_kept() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let (deadline, _) = deadline_of(&app, s.item);
    let path = format!("/items/{}/extensions", s.item);
    let today = local_date(deadline).to_string();

    let not_later = s
        .drafter
        .post(&path, &[("reason", "Lý do A."), ("date", &today)])
        .await;
    assert_eq!(not_later.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_later
        .body
        .contains("Hạn mới phải sau hạn trả lời hiện nay."));
    assert!(not_later.body.contains(&format!("value=\"{today}\"")));
    assert!(not_later.body.contains("Lý do A."));

    // The first Sunday after a working day well past the due date.
    let mut sunday = working_day_after(&app, s.item, 15);
    while sunday.format("%u").to_string() != "7" {
        sunday = sunday.succ_opt().unwrap();
    }
    let weekend = s
        .drafter
        .post(
            &path,
            &[("reason", "Lý do B."), ("date", &sunday.to_string())],
        )
        .await;
    assert_eq!(weekend.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weekend.body.contains("Hạn mới phải là ngày làm việc"));
    assert!(weekend.body.contains(&format!("value=\"{sunday}\"")));

    let good = working_day_after(&app, s.item, 15).to_string();
    let no_reason = s
        .drafter
        .post(&path, &[("reason", ""), ("date", &good)])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("extension_reason-error"));
    assert!(no_reason.body.contains(&format!("value=\"{good}\"")));

    let no_date = s
        .drafter
        .post(&path, &[("reason", "Lý do C."), ("date", "31/02/2027")])
        .await;
    assert_eq!(no_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_date.body.contains("extension_date-error"));

    // Nothing was recorded or mailed.
    assert_eq!(
        queued(&app, &s.coordinator_user, MailEvent::ExtensionRequested),
        0
    );
}

#[tokio::test]
async fn only_the_right_people_ask_answer_request_and_decide() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let stranger = app.login(&app.add_user(Role::Drafter, Some("TGTU"))).await;
    let other_delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let id = s.item;
    let ask = format!("/items/{id}/info-request");
    let question = [("text", "Câu hỏi.")];

    // A drafter of another body gets what they get for an item they cannot see.
    let hidden = stranger.get(&format!("/items/{id}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stranger.post(&ask, &question).await.status,
        StatusCode::NOT_FOUND
    );
    // The delegate does not pause their own item.
    assert_eq!(
        s.delegate.post(&ask, &question).await.status,
        StatusCode::NOT_FOUND
    );

    posted(&s.drafter, &ask, &question).await;
    let reply = format!("/items/{id}/info-reply");
    for session in [&other_delegate, &s.drafter, &s.coordinator] {
        let page = session.post(&reply, &[("text", "Trả lời.")]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        s.delegate
            .post(&format!("/items/{id}/clock/resume"), &[("text", "")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .post(&format!("/items/{id}/clock/resume"), &[("text", "")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Only the lead body asks for more time; only a coordinator decides.
    let date = working_day_after(&app, id, 12).to_string();
    let request = [("reason", "Cần thêm thời gian."), ("date", date.as_str())];
    let extensions = format!("/items/{id}/extensions");
    for session in [&s.delegate, &s.coordinator, &stranger] {
        assert_eq!(
            session.post(&extensions, &request).await.status,
            StatusCode::NOT_FOUND
        );
    }
    posted(&s.drafter, &extensions, &request).await;
    let page = s.coordinator.get(&format!("/items/{id}")).await;
    let extension = hidden_value(&page.body, "extension").unwrap();
    let decide = format!("/items/{id}/extensions/decide");
    let grant = [
        ("extension", extension.as_str()),
        ("decision", "grant"),
        ("text", ""),
    ];
    for session in [&s.delegate, &s.drafter, &s.approver, &stranger] {
        assert_eq!(
            session.post(&decide, &grant).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // Nobody but the coordinator sees the decision form.
    let drafter_page = s.drafter.get(&format!("/items/{id}")).await;
    assert!(!drafter_page.body.contains("extensions/decide\""));
    // And the delegate does not see the body's request.
    let delegate_page = s.delegate.get(&format!("/items/{id}")).await;
    assert!(!delegate_page.body.contains("Cần thêm thời gian."));
    assert_eq!(
        queued(&app, &s.delegate_user, MailEvent::DeadlineExtended),
        0
    );
}

#[tokio::test]
async fn two_decisions_at_once_on_one_request_let_exactly_one_win() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app).await;
    let other = app
        .login(&app.add_user(Role::Coordinator, Some("VPTU")))
        .await;
    let date = working_day_after(&app, s.item, 9).to_string();
    posted(
        &s.drafter,
        &format!("/items/{}/extensions", s.item),
        &[("reason", "Chờ ý kiến."), ("date", &date)],
    )
    .await;
    let page = s.coordinator.get(&format!("/items/{}", s.item)).await;
    let extension = hidden_value(&page.body, "extension").unwrap();
    let path = format!("/items/{}/extensions/decide", s.item);
    let grant = [
        ("extension", extension.as_str()),
        ("decision", "grant"),
        ("text", ""),
    ];
    let refuse = [
        ("extension", extension.as_str()),
        ("decision", "refuse"),
        ("text", "Không cần."),
    ];

    let (first, second) = tokio::join!(
        s.coordinator.post(&path, &grant),
        other.post(&path, &refuse)
    );

    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let granted = first.status == StatusCode::SEE_OTHER;
    let (deadline, original) = deadline_of(&app, s.item);
    assert_eq!(deadline != original, granted);
    // One decision, one mail to the requester.
    assert_eq!(
        queued(&app, &s.drafter_user, MailEvent::ExtensionDecided),
        1
    );

    // Two questions at once pause the clock once.
    let ask = format!("/items/{}/info-request", s.item);
    let (a, b) = tokio::join!(
        s.drafter.post(&ask, &[("text", "Câu hỏi một.")]),
        s.approver.post(&ask, &[("text", "Câu hỏi hai.")])
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(queued(&app, &s.delegate_user, MailEvent::InfoRequested), 1);
}
