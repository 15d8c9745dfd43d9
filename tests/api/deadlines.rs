//! Deadlines everyone can see: the conference's working days per stage, the
//! item's deadlines panel, urgency badges, filters, sorts and counts on the lists,
//! and the coordinator's deadlines page.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestSession};
use dialogue_desk::db::conferences::Conference;
use dialogue_desk::db::deadlines::{self, calendar_around, StageClock};
use dialogue_desk::db::items::Item;
use dialogue_desk::db::schema::{deadline_extensions, items, stage_clocks};
use dialogue_desk::domain::calendar::local_date;
use dialogue_desk::domain::deadlines::Stage;
use dialogue_desk::domain::{ItemId, Role};

/// A date shown on a page, as the template escapes it (`24&#x2F;02&#x2F;2026`).
fn shown(text: &str) -> String {
    text.replace('/', "&#x2F;")
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// The conference form with the seeded conference's fields and these deadlines.
fn conference_form(days: [&'static str; 8]) -> Vec<(&'static str, &'static str)> {
    let [response, triage, drafting, approval, publication, soon, head, coordinators] = days;
    vec![
        ("name", "Hội nghị đối thoại năm 2023"),
        ("theme", "Khát vọng - Trách nhiệm - Đổi mới - Phát triển"),
        ("held_on", "2023-05-11"),
        ("notice_number", "920-TB/TU"),
        ("reference_prefix", "KN-2023"),
        ("response_days", response),
        ("open_for_submissions", "on"),
        ("triage_days", triage),
        ("drafting_days", drafting),
        ("approval_days", approval),
        ("publication_days", publication),
        ("due_soon_days", soon),
        ("escalate_to_head_after", head),
        ("escalate_to_coordinators_after", coordinators),
    ]
}

async fn file(app: &TestApp, delegate: &TestSession, title: &str) -> i32 {
    delegate
        .submit_proposal(
            title,
            "Nội dung kiến nghị về thời hạn.",
            app.field_id("to-chuc-can-bo"),
        )
        .await
}

fn reference(app: &TestApp, id: i32) -> String {
    Item::find(&mut app.conn(), ItemId(id))
        .unwrap()
        .unwrap()
        .reference
}

#[tokio::test]
async fn an_administrators_working_days_per_stage_set_the_due_dates_counted_across_tet() {
    let app = spawn_app().await;
    let admin = app.login(&app.add_user(Role::Admin, None)).await;
    let conference = Conference::all(&mut app.conn()).unwrap()[0].id;
    let path = format!("/admin/conferences/{conference}");

    // The head of the body cannot be told later than the coordinating body.
    let refused = admin
        .post(
            &path,
            &conference_form(["20", "2", "3", "4", "2", "2", "6", "5"]),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused
        .body
        .contains("Cơ quan điều phối không được báo sớm hơn lãnh đạo cơ quan."));
    assert!(refused.body.contains(
        "id=\"escalate_to_head_after\" name=\"escalate_to_head_after\" type=\"number\" value=\"6\""
    ));
    let out_of_range = admin
        .post(
            &path,
            &conference_form(["20", "0", "3", "4", "2", "2", "1", "5"]),
        )
        .await;
    assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(out_of_range
        .body
        .contains("Thời hạn của bước phải là số ngày làm việc từ 1 đến 365."));

    admin
        .post_ok(
            &path,
            &conference_form(["20", "2", "3", "4", "2", "1", "1", "5"]),
        )
        .await;
    let list = admin.get("/admin/conferences").await;
    assert!(list.body.contains("2 / 3 / 4 / 2"), "{}", list.body);
    assert!(list.body.contains("1 / 1 / 5"));
    let edit = admin.get(&path).await;
    assert!(edit
        .body
        .contains("id=\"drafting_days\" name=\"drafting_days\" type=\"number\" value=\"3\""));

    // Filed now: the drafting stage is due 3 working days later.
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let id = file(&app, &delegate, "Kiến nghị có thời hạn theo bước").await;
    let clocks = StageClock::of_item(&mut app.conn(), ItemId(id)).unwrap();
    assert_eq!(clocks.len(), 1);
    assert_eq!(clocks[0].stage, Stage::Drafting);
    let calendar = calendar_around(&mut app.conn(), clocks[0].started_at).unwrap();
    assert_eq!(
        calendar.working_days_between(
            local_date(clocks[0].started_at),
            local_date(clocks[0].due_at)
        ),
        3
    );

    // The same stage begun on Thursday 12/02/2026 (10:00 in Hà Nội): Friday is
    // day 1, then Tết and the weekend stand still, so it is due on Tuesday
    // 24/02/2026 at the close of the office day.
    diesel::delete(stage_clocks::table.filter(stage_clocks::item_id.eq(id)))
        .execute(&mut app.conn())
        .unwrap();
    deadlines::start(&mut app.conn(), ItemId(id), at("2026-02-12 03:00")).unwrap();
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let page = drafter.get(&format!("/items/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dự thảo (cơ quan chủ trì)"));
    assert!(
        page.body.contains(&shown("24/02/2026 17:00")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&shown("12/02/2026 10:00")));
    // Long past: the badge on the header and in the panel says so.
    assert!(page.body.contains("urgency-overdue\">Quá hạn"));
    assert!(page.body.contains("Trễ hạn"));
    // Stages still to come are listed.
    assert!(page.body.contains("Phê duyệt (lãnh đạo cơ quan chủ trì)"));
    assert!(page.body.contains("Chưa đến"));
}

#[tokio::test]
async fn sending_a_draft_for_review_ends_drafting_and_starts_the_approval_clock() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let id = file(&app, &delegate, "Kiến nghị chuyển phê duyệt").await;

    drafter
        .post_ok(
            &format!("/items/{id}/draft"),
            &[
                ("text", "Dự thảo trả lời."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;

    let clocks = StageClock::of_item(&mut app.conn(), ItemId(id)).unwrap();
    assert_eq!(
        clocks.iter().map(|c| c.stage).collect::<Vec<_>>(),
        vec![Stage::Drafting, Stage::Approval]
    );
    assert!(clocks[0].finished_at.is_some());
    let approval = &clocks[1];
    assert!(approval.finished_at.is_none());
    let calendar = calendar_around(&mut app.conn(), approval.started_at).unwrap();
    assert_eq!(
        calendar.add_working_days(approval.started_at, 3),
        approval.due_at,
        "approval is due 3 working days (the default) after it began"
    );
    let page = drafter.get(&format!("/items/{id}")).await;
    assert!(page
        .body
        .contains("Bước hiện tại</dt><dd>Phê duyệt (lãnh đạo cơ quan chủ trì)"));
    assert!(
        page.body.contains("urgency-in_time\">Còn hạn"),
        "{}",
        page.body
    );
}

/// Four items of TCTU set to stand overdue, due soon, in time and paused at the
/// real now (the lists read the clock), plus one of another body, overdue too.
struct Scene {
    overdue: String,
    due_soon: String,
    in_time: String,
    paused: String,
    other_body: String,
    overdue_id: i32,
}

fn set_clock(
    app: &TestApp,
    id: i32,
    next_due: NaiveDateTime,
    due_soon: NaiveDateTime,
    paused: Option<NaiveDateTime>,
) {
    diesel::update(items::table.find(id))
        .set((
            items::stage_due_at.eq(Some(next_due)),
            items::next_due_at.eq(Some(next_due)),
            items::due_soon_at.eq(Some(due_soon)),
            items::paused_at.eq(paused),
        ))
        .execute(&mut app.conn())
        .unwrap();
    diesel::update(
        stage_clocks::table
            .filter(stage_clocks::item_id.eq(id))
            .filter(stage_clocks::finished_at.is_null()),
    )
    .set(stage_clocks::due_at.eq(next_due))
    .execute(&mut app.conn())
    .unwrap();
}

async fn scene(app: &TestApp) -> Scene {
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let now = chrono::Utc::now().naive_utc();
    let day = Duration::days(1);
    let ids = [
        file(app, &delegate, "Kiến nghị quá hạn").await,
        file(app, &delegate, "Kiến nghị sắp đến hạn").await,
        file(app, &delegate, "Kiến nghị còn hạn").await,
        file(app, &delegate, "Kiến nghị tạm dừng").await,
    ];
    set_clock(app, ids[0], now - day * 20, now - day * 22, None);
    set_clock(app, ids[1], now + Duration::hours(5), now - day, None);
    set_clock(app, ids[2], now + day * 30, now + day * 28, None);
    set_clock(app, ids[3], now + day * 10, now + day * 8, Some(now - day));
    let other = delegate
        .submit_proposal(
            "Kiến nghị tuyên truyền quá hạn",
            "Nội dung về tuyên truyền.",
            app.field_id("thong-tin-tuyen-truyen"),
        )
        .await;
    set_clock(app, other, now - day * 3, now - day * 5, None);
    Scene {
        overdue: reference(app, ids[0]),
        due_soon: reference(app, ids[1]),
        in_time: reference(app, ids[2]),
        paused: reference(app, ids[3]),
        other_body: reference(app, other),
        overdue_id: ids[0],
    }
}

fn position(body: &str, reference: &str) -> usize {
    body.find(&format!(">{reference}</a>"))
        .unwrap_or_else(|| panic!("{reference} is not listed"))
}

#[tokio::test]
async fn a_bodys_queue_shows_badges_counts_and_filters_that_agree_with_its_items() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;

    // An item owing nothing any more (as once answered) comes after them all.
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let done = file(&app, &delegate, "Kiến nghị không còn thời hạn").await;
    diesel::update(items::table.find(done))
        .set((
            items::stage_due_at.eq(None::<NaiveDateTime>),
            items::next_due_at.eq(None::<NaiveDateTime>),
            items::due_soon_at.eq(None::<NaiveDateTime>),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let done = reference(&app, done);

    let queue = drafter.get("/queue").await;
    assert_eq!(queue.status, StatusCode::OK);
    for (count, urgency, label) in [
        (1, "overdue", "quá hạn"),
        (1, "due_soon", "sắp đến hạn"),
        (1, "in_time", "còn hạn"),
        (1, "paused", "tạm dừng"),
    ] {
        let link = format!(
            "<a class=\"badge urgency-{urgency}\" href=\"&#x2F;queue?urgency={urgency}\"><span class=\"n\">{count}</span> {label}</a>"
        );
        assert!(queue.body.contains(&link), "{link} in {}", queue.body);
    }
    assert!(queue.body.contains("urgency-due_soon\">Sắp đến hạn</span>"));
    // The working order: whatever is due next first.
    let order: Vec<usize> = [
        &scene.overdue,
        &scene.due_soon,
        &scene.paused,
        &scene.in_time,
        &done,
    ]
    .iter()
    .map(|r| position(&queue.body, r))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!queue.body.contains(&format!(">{}</a>", scene.other_body)));

    for (urgency, wanted) in [
        ("overdue", &scene.overdue),
        ("due_soon", &scene.due_soon),
        ("in_time", &scene.in_time),
        ("paused", &scene.paused),
    ] {
        let page = drafter.get(&format!("/queue?urgency={urgency}")).await;
        assert!(page.body.contains("(1)"), "{urgency}: {}", page.body);
        assert!(page.body.contains(&format!(">{wanted}</a>")), "{urgency}");
    }
    // The old "overdue only" link still works, and uses the stage's due date.
    let old = drafter.get("/queue?overdue=1").await;
    assert!(old.body.contains(&format!(">{}</a>", scene.overdue)));
    assert!(old.body.contains("(1)"));

    // By the overall due date: the in-time item's whole answer is due first.
    let now = chrono::Utc::now().naive_utc();
    let in_time_id = items::table
        .filter(items::reference.eq(&scene.in_time))
        .select(items::id)
        .first::<i32>(&mut app.conn())
        .unwrap();
    diesel::update(items::table.find(in_time_id))
        .set(items::deadline.eq(now - Duration::days(400)))
        .execute(&mut app.conn())
        .unwrap();
    let by_deadline = drafter.get("/queue?sort=deadline").await;
    assert!(
        position(&by_deadline.body, &scene.in_time) < position(&by_deadline.body, &scene.overdue)
    );
    let _ = scene.overdue_id;
}

#[tokio::test]
async fn the_coordinators_deadlines_page_counts_per_body_and_lists_the_overdue_and_requests() {
    let app = spawn_app().await;
    let scene = scene(&app).await;
    let drafter_user = app.add_user(Role::Drafter, Some("TCTU"));
    // A pending request for more time on the overdue item.
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(deadline_extensions::table)
        .values((
            deadline_extensions::item_id.eq(scene.overdue_id),
            deadline_extensions::requested_by.eq(drafter_user.id.0),
            deadline_extensions::requested_at.eq(now),
            deadline_extensions::reason.eq("Chờ ý kiến của Sở Nội vụ."),
            deadline_extensions::previous_deadline.eq(now),
            deadline_extensions::requested_deadline.eq(now + Duration::days(14)),
            deadline_extensions::status.eq("pending"),
        ))
        .execute(&mut app.conn())
        .unwrap();
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;

    let page = coordinator.get("/deadlines").await;
    assert_eq!(page.status, StatusCode::OK);
    let tctu = app.body_id("TCTU");
    let tgtu = app.body_id("TGTU");
    for (body, urgency, count) in [
        (tctu, "overdue", 1),
        (tctu, "due_soon", 1),
        (tctu, "in_time", 1),
        (tctu, "paused", 1),
        (tgtu, "overdue", 1),
    ] {
        let link = format!(
            "href=\"&#x2F;items?held=body&amp;body={body}&amp;urgency={urgency}\">{count}<"
        );
        assert!(page.body.contains(&link), "{link} in {}", page.body);
    }
    assert!(page.body.contains("href=\"/items?urgency=overdue\">2<"));
    // Oldest first: 20 days overdue before 3.
    assert!(position(&page.body, &scene.overdue) < position(&page.body, &scene.other_body));
    assert!(page.body.contains("Chờ ý kiến của Sở Nội vụ."));
    assert!(page
        .body
        .contains(&format!("href=\"/items/{}\"", scene.overdue_id)));

    // The numbers lead to exactly those items.
    let listed = coordinator
        .get(&format!("/items?held=body&body={tctu}&urgency=overdue"))
        .await;
    assert!(listed.body.contains("(1)"));
    assert!(listed.body.contains(&format!(">{}</a>", scene.overdue)));
    let all_overdue = coordinator.get("/items?urgency=overdue").await;
    assert!(all_overdue.body.contains("(2)"));

    // Only coordinators see the page.
    let drafter = app.login(&drafter_user).await;
    assert_eq!(
        drafter.get("/deadlines").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(coordinator
        .get("/items")
        .await
        .body
        .contains("href=\"/deadlines\""));
}

#[tokio::test]
async fn the_delegate_sees_the_whole_answers_due_date_and_the_original_after_an_extension() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let id = file(&app, &delegate, "Kiến nghị được gia hạn").await;
    let before = Item::find(&mut app.conn(), ItemId(id)).unwrap().unwrap();
    let new_date = NaiveDate::from_ymd_opt(2099, 3, 31).unwrap();
    deadlines::extend(
        &mut app.conn(),
        ItemId(id),
        new_date,
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();

    let page = delegate.get(&format!("/items/{id}")).await;
    assert!(page.body.contains("Hạn trả lời cả kiến nghị"));
    assert!(
        page.body.contains(&shown("31/03/2099 17:00")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Hạn ban đầu, trước khi gia hạn"));
    let original = dialogue_desk::domain::calendar::to_local(before.original_deadline);
    assert!(page
        .body
        .contains(&shown(&original.format("%d/%m/%Y %H:%M").to_string())));
    // Staff stages stay internal.
    assert!(!page.body.contains("Hạn của bước hiện tại"));
    assert!(page.body.contains("urgency-in_time\">Còn hạn"));
    let mine = delegate.get("/my").await;
    assert!(mine.body.contains(&shown("31/03/2099")));
    assert!(mine.body.contains("đã gia hạn"));
}
