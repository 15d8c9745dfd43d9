//! The notice's own tasks, the monitoring page and inspection visits (issue 10):
//! who may record them, what a wrong form gets back, when a task is due, who is
//! mailed, and what the monitoring page counts and shows.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestSession, TestUser};
use crate::smtp::ReceivedMail;
use dialogue_desk::db::bodies::Body;
use dialogue_desk::db::holidays::HolidayForm;
use dialogue_desk::db::schema::{commitments, conferences, inspections, muted_notices};
use dialogue_desk::db::tasks::{TaskDue, TaskForm};
use dialogue_desk::domain::calendar::{local_date, to_local, DayKind};
use dialogue_desk::domain::{ConferenceId, Role};

const ASSIGNED_VI: &str = "Cơ quan được giao thực hiện cam kết hoặc nhiệm vụ";

fn conference_id(app: &TestApp) -> i32 {
    conferences::table
        .select(conferences::id)
        .order(conferences::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn body(app: &TestApp, code: &str) -> i32 {
    Body::find_by_code(&mut app.conn(), code)
        .unwrap()
        .unwrap()
        .id
}

fn task_count(app: &TestApp) -> i64 {
    commitments::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

async fn as_coordinator(app: &TestApp) -> (TestUser, TestSession) {
    let user = app.add_user(Role::Coordinator, None);
    let session = app.login(&user).await;
    (user, session)
}

/// Records a task straight in the database, as if at `at`.
fn record(
    app: &TestApp,
    author: &TestUser,
    owner: &str,
    with: &[&str],
    days: u32,
    at: NaiveDateTime,
) -> i32 {
    let coordinating = with.iter().map(|c| body(app, c)).collect();
    TaskForm {
        description: format!("Nhiệm vụ của {owner} giao ngày {at}"),
        owner_body_id: body(app, owner),
        coordinating,
        due: TaskDue::WorkingDays(days),
        planned_document: String::new(),
    }
    .record(
        &mut app.conn(),
        ConferenceId(conference_id(app)),
        author.id,
        at,
    )
    .unwrap()
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// The number shown for `name` in the monitoring page's counts.
fn count(page: &str, name: &str) -> usize {
    let marker = format!("data-count=\"{name}\">");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no count {name}"))
        + marker.len();
    page[at..].split('<').next().unwrap().parse().unwrap()
}

async fn mails_to(app: &TestApp, address: &str, expected: usize) -> Vec<ReceivedMail> {
    let smtp = app.smtp.as_ref().unwrap();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found: Vec<ReceivedMail> = smtp
            .received()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address) && m.subject() == ASSIGNED_VI)
            .collect();
        if found.len() >= expected || tokio::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn only_a_coordinator_records_a_task_or_an_inspection() {
    let app = spawn_app().await;
    let conference = conference_id(&app);
    let organizing = body(&app, "TCTU").to_string();
    let task = [
        ("description", "Tham mưu quy định xử lý cán bộ vi phạm"),
        ("owner_body_id", organizing.as_str()),
        ("due_kind", "days"),
        ("due_days", "10"),
    ];
    let visit = [
        ("visited_on", "2026-11-20"),
        ("body_id", organizing.as_str()),
        ("findings", "Đã có dự thảo quy định."),
    ];
    for role in [Role::Drafter, Role::Approver, Role::Delegate, Role::Admin] {
        let user = app.add_user(
            role,
            matches!(role, Role::Drafter | Role::Approver).then_some("TCTU"),
        );
        let session = app.login(&user).await;
        let page = session
            .post(&format!("/conferences/{conference}/tasks"), &task)
            .await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{role:?} records a task"
        );
        let page = session
            .post(&format!("/conferences/{conference}/inspections"), &visit)
            .await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{role:?} records a visit"
        );
        let page = session
            .get(&format!("/conferences/{conference}/tasks/new"))
            .await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{role:?} opens the form"
        );
    }
    assert_eq!(task_count(&app), 0);
    let (_, coordinator) = as_coordinator(&app).await;
    let page = coordinator
        .post(&format!("/conferences/{conference}/tasks"), &task)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/conferences/{conference}/monitoring").as_str())
    );
    let page = coordinator
        .post(&format!("/conferences/{conference}/inspections"), &visit)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let monitoring = coordinator
        .get(&format!("/conferences/{conference}/monitoring"))
        .await;
    assert!(
        monitoring.body.contains("Đã giao nhiệm vụ")
            || monitoring.body.contains("Đã ghi nhận đợt kiểm tra")
    );
    assert!(monitoring
        .body
        .contains("Tham mưu quy định xử lý cán bộ vi phạm"));
    assert!(monitoring.body.contains("Đã có dự thảo quy định."));
    assert_eq!(task_count(&app), 1);
}

#[tokio::test]
async fn a_wrong_task_form_comes_back_422_with_messages_and_the_input_kept() {
    let app = spawn_app().await;
    let conference = conference_id(&app);
    let (_, coordinator) = as_coordinator(&app).await;
    let organizing = body(&app, "TCTU").to_string();
    let path = format!("/conferences/{conference}/tasks");
    // No text, no lead body, a past date.
    let page = coordinator
        .post(
            &path,
            &[
                ("description", "  "),
                ("owner_body_id", ""),
                ("due_kind", "date"),
                ("due_on", "2020-01-01"),
                ("planned_document", "Quy định số 01"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Đồng chí cần nhập nội dung nhiệm vụ"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Đồng chí cần chọn một cơ quan chủ trì"));
    assert!(page
        .body
        .contains("Ngày hết hạn phải là một ngày sau hôm nay"));
    assert!(page.body.contains("value=\"Quy định số 01\""), "input kept");
    assert!(page.body.contains("value=\"2020-01-01\""), "input kept");
    // The lead body ticked as coordinating too; working days out of range.
    let page = coordinator
        .post(
            &path,
            &[
                ("description", "Tuyên truyền kết luận"),
                ("owner_body_id", &organizing),
                ("coordinating", &organizing),
                ("due_kind", "days"),
                ("due_days", "0"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("Cơ quan phối hợp không được trùng với cơ quan chủ trì"));
    assert!(page.body.contains("Số ngày làm việc phải là số nguyên"));
    assert!(
        page.body.contains("Tuyên truyền kết luận</textarea>"),
        "input kept"
    );
    assert!(
        page.body
            .contains(&format!("value=\"{organizing}\" checked")),
        "ticks kept"
    );
    assert!(!page.body.contains("bạn"));
    // An inspection without findings or date.
    let page = coordinator
        .post(
            &format!("/conferences/{conference}/inspections"),
            &[
                ("visited_on", ""),
                ("body_id", &organizing),
                ("findings", ""),
                ("recommendations", "Đẩy nhanh tiến độ"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Đồng chí cần nhập ngày kiểm tra"));
    assert!(page.body.contains("Đồng chí cần nhập kết quả kiểm tra"));
    assert!(
        page.body.contains("Đẩy nhanh tiến độ</textarea>"),
        "input kept"
    );
    // A visit cannot be recorded for a day still to come.
    let tomorrow = (local_date(now()) + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let page = coordinator
        .post(
            &format!("/conferences/{conference}/inspections"),
            &[
                ("visited_on", &tomorrow),
                ("body_id", &organizing),
                ("findings", "Sớm quá"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("không sau hôm nay"));
    assert!(
        page.body.contains(&format!("value=\"{tomorrow}\"")),
        "input kept"
    );
    assert_eq!(task_count(&app), 0);
    let visits: i64 = inspections::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(visits, 0);
}

#[tokio::test]
async fn a_task_due_in_working_days_skips_the_weekend_and_a_holiday() {
    let app = spawn_app().await;
    let author = app.add_user(Role::Coordinator, None);
    // Friday 4 December 2026, 10:00 in Vietnam; Monday the 7th made a holiday.
    let friday = NaiveDate::from_ymd_opt(2026, 12, 4)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap();
    HolidayForm {
        day: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        name_vi: "Ngày nghỉ thử".into(),
        name_en: "Test day off".into(),
        kind: DayKind::Holiday,
    }
    .insert(&mut app.conn())
    .unwrap();
    let id = record(&app, &author, "TCTU", &[], 1, friday);
    let due: Option<NaiveDateTime> = commitments::table
        .find(id)
        .select(commitments::due_at)
        .first(&mut *app.conn())
        .unwrap();
    let due = to_local(due.expect("due at once"));
    assert_eq!(
        due.date(),
        NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
        "Tuesday"
    );
    // A task due by a date is due at the close of that office day.
    let coordinator = app.login(&author).await;
    // A working day about a month ahead (a day off is refused).
    let mut date = local_date(now()) + Duration::days(30);
    while matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
        || (date.month(), date.day()) == (1, 1)
    {
        date += Duration::days(1);
    }
    let page = coordinator
        .post(
            &format!("/conferences/{}/tasks", conference_id(&app)),
            &[
                ("description", "Báo cáo kết quả"),
                ("owner_body_id", &body(&app, "DUK").to_string()),
                ("due_kind", "date"),
                ("due_on", &date.format("%Y-%m-%d").to_string()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let (due_on, due_at): (Option<NaiveDate>, Option<NaiveDateTime>) = commitments::table
        .filter(commitments::description.eq("Báo cáo kết quả"))
        .select((commitments::due_on, commitments::due_at))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(due_on, Some(date));
    let local = to_local(due_at.unwrap());
    assert_eq!(local.date(), date);
    assert!(
        local.time() > chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        "close of the day: {local}"
    );
    let page = coordinator.get("/monitoring").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = coordinator.get(page.location.as_deref().unwrap()).await;
    // Dates show as dd/mm/yyyy (the slashes HTML-escaped).
    assert!(
        page.body
            .contains(&date.format("%d&#x2F;%m&#x2F;%Y").to_string()),
        "{}",
        page.body
    );
    assert!(page.body.contains("08&#x2F;12&#x2F;2026"));
}

#[tokio::test]
async fn the_lead_and_coordinating_bodies_staff_are_mailed_of_a_new_task() {
    let app = spawn_app().await;
    let lead_drafter = app.add_user(Role::Drafter, Some("TCTU"));
    let lead_approver = app.add_user(Role::Approver, Some("TCTU"));
    let muted = app.add_user(Role::Drafter, Some("TCTU"));
    let partner = app.add_user(Role::Drafter, Some("TGTU"));
    let bystander = app.add_user(Role::Drafter, Some("BCSD-UBND"));
    diesel::insert_into(muted_notices::table)
        .values((
            muted_notices::user_id.eq(muted.id.0),
            muted_notices::event.eq("commitment_assigned"),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let (_, coordinator) = as_coordinator(&app).await;
    let page = coordinator
        .post(
            &format!("/conferences/{}/tasks", conference_id(&app)),
            &[
                (
                    "description",
                    "Tham mưu ban hành quy định thay thế cán bộ vi phạm kỷ luật",
                ),
                ("owner_body_id", &body(&app, "TCTU").to_string()),
                ("coordinating", &body(&app, "TGTU").to_string()),
                ("due_kind", "days"),
                ("due_days", "20"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let id: i32 = commitments::table
        .select(commitments::id)
        .first(&mut *app.conn())
        .unwrap();
    for user in [&lead_drafter, &lead_approver, &partner] {
        let mails = mails_to(&app, &user.email, 1).await;
        assert_eq!(mails.len(), 1, "one mail to {}", user.email);
        let text = mails[0].part("text/plain");
        assert!(
            text.contains("Tham mưu ban hành quy định thay thế cán bộ vi phạm kỷ luật"),
            "{text}"
        );
        assert!(text.contains(&format!("/commitments/{id}")), "{text}");
        assert!(text.contains("Thời hạn:"), "{text}");
    }
    for user in [&muted, &bystander] {
        assert!(
            mails_to(&app, &user.email, 1).await.is_empty(),
            "no mail to {}",
            user.email
        );
    }
}

#[tokio::test]
async fn the_monitoring_page_counts_and_filters_agree_with_the_data() {
    let app = spawn_app().await;
    let (author, coordinator) = as_coordinator(&app).await;
    let at = now();
    // Overdue: 5 working days, recorded 60 days ago.
    let late = record(&app, &author, "TCTU", &["TGTU"], 5, at - Duration::days(60));
    let running = record(&app, &author, "BCSD-UBND", &[], 30, at);
    let done = record(&app, &author, "DUK", &["VPTU"], 30, at);
    diesel::update(commitments::table.find(done))
        .set((
            commitments::progress.eq("done"),
            commitments::closed_at.eq(Some(at)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(commitments::table.find(running))
        .set(commitments::progress.eq("in_progress"))
        .execute(&mut *app.conn())
        .unwrap();
    let base = format!("/conferences/{}/monitoring", conference_id(&app));
    let page = coordinator.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert_eq!(count(body, "total"), 3);
    assert_eq!(count(body, "done"), 1);
    assert_eq!(count(body, "in_progress"), 1);
    assert_eq!(count(body, "not_started"), 1);
    assert_eq!(count(body, "cannot_be_done"), 0);
    assert_eq!(count(body, "overdue"), 1);
    // Overdue first, with its badge; every row links to its commitment page.
    let first = body.find("id=\"commitment-").unwrap();
    assert!(body[first..].starts_with(&format!("id=\"commitment-{late}\"")));
    assert!(body.contains("class=\"badge urgency-overdue\">Quá hạn</span>"));
    for id in [late, running, done] {
        assert!(body.contains(&format!("href=\"/commitments/{id}\"")));
    }
    // Filters: by a coordinating body, by progress, overdue only.
    let propaganda = body_id_text(&app, "TGTU");
    let page = coordinator.get(&format!("{base}?body={propaganda}")).await;
    assert_eq!(count(&page.body, "total"), 1);
    assert!(page.body.contains(&format!("id=\"commitment-{late}\"")));
    let page = coordinator.get(&format!("{base}?progress=done")).await;
    assert_eq!(count(&page.body, "total"), 1);
    assert!(page.body.contains(&format!("id=\"commitment-{done}\"")));
    let page = coordinator.get(&format!("{base}?overdue=1")).await;
    assert_eq!(count(&page.body, "total"), 1);
    assert_eq!(count(&page.body, "overdue"), 1);
    // A body's staff see the rows their body leads or coordinates, and no forms.
    let drafter = app.add_user(Role::Drafter, Some("TGTU"));
    let page = app.login(&drafter).await.get(&base).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(count(&page.body, "total"), 1);
    assert!(page.body.contains(&format!("id=\"commitment-{late}\"")));
    assert!(!page.body.contains("/inspections\""), "no inspection form");
    assert!(!page.body.contains("/edit\""), "no edit link");
}

fn body_id_text(app: &TestApp, code: &str) -> String {
    body(app, code).to_string()
}

#[tokio::test]
async fn an_inspection_shows_newest_first_and_on_its_task_row() {
    let app = spawn_app().await;
    let (author, coordinator) = as_coordinator(&app).await;
    let task = record(&app, &author, "TGTU", &[], 30, now());
    let conference = conference_id(&app);
    let propaganda = body_id_text(&app, "TGTU");
    let path = format!("/conferences/{conference}/inspections");
    let page = coordinator
        .post(
            &path,
            &[
                ("visited_on", "2026-10-01"),
                ("body_id", &propaganda),
                ("findings", "Lần kiểm tra thứ nhất"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let task_text = task.to_string();
    let page = coordinator
        .post(
            &path,
            &[
                ("visited_on", "15/11/2026"),
                ("body_id", &propaganda),
                ("commitment_id", &task_text),
                ("findings", "Lần kiểm tra thứ hai"),
                ("recommendations", "Bổ sung chuyên mục"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // A commitment of no such conference row is refused.
    let page = coordinator
        .post(
            &path,
            &[
                ("visited_on", "2026-11-16"),
                ("body_id", &propaganda),
                ("commitment_id", "999999"),
                ("findings", "Sai nhiệm vụ"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Sai nhiệm vụ</textarea>"));
    let page = coordinator
        .get(&format!("/conferences/{conference}/monitoring"))
        .await;
    let second = page.body.find("Lần kiểm tra thứ hai").unwrap();
    let first = page.body.find("Lần kiểm tra thứ nhất").unwrap();
    assert!(second < first, "newest first");
    let row = page
        .body
        .find(&format!("id=\"commitment-{task}\""))
        .unwrap();
    let row_end = row + page.body[row..].find("</tr>").unwrap();
    assert!(
        page.body[row..row_end].contains("15&#x2F;11&#x2F;2026"),
        "the visit on its row"
    );
}

#[tokio::test]
async fn a_coordinator_edits_an_open_task_but_not_a_closed_one() {
    let app = spawn_app().await;
    let (author, coordinator) = as_coordinator(&app).await;
    let task = record(&app, &author, "TCTU", &[], 10, now());
    let form = coordinator.get(&format!("/tasks/{task}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"10\""));
    let fields = [
        ("description", "Nội dung đã sửa"),
        ("owner_body_id", &body_id_text(&app, "TCTU")),
        ("due_kind", "days"),
        ("due_days", "15"),
        ("planned_document", "Hướng dẫn"),
    ];
    let page = coordinator.post(&format!("/tasks/{task}"), &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let (text, days): (String, Option<i32>) = commitments::table
        .find(task)
        .select((commitments::description, commitments::due_working_days))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((text.as_str(), days), ("Nội dung đã sửa", Some(15)));
    diesel::update(commitments::table.find(task))
        .set((
            commitments::progress.eq("done"),
            commitments::closed_at.eq(Some(now())),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let page = coordinator.post(&format!("/tasks/{task}"), &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let drafter = app.add_user(Role::Drafter, Some("TCTU"));
    let page = app
        .login(&drafter)
        .await
        .post(&format!("/tasks/{task}"), &fields)
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
