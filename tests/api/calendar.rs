//! The working calendar: the seeded holidays, the administrator's page per year,
//! adding, editing and deleting an entry, and the `calendar YEAR` command.

use chrono::NaiveDate;
use dialogue_desk::db::holidays::{working_calendar, Holiday};
use dialogue_desk::domain::calendar::{to_utc, DayKind};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestSession};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn admin(app: &TestApp) -> TestSession {
    app.login(&app.add_user(Role::Admin, None)).await
}

fn entry_on(app: &TestApp, date: NaiveDate) -> Option<Holiday> {
    Holiday::between(&mut app.conn(), date, date)
        .unwrap()
        .into_iter()
        .next()
}

#[tokio::test]
async fn the_seed_holds_tet_2024_and_the_swapped_days_and_counts_across_them() {
    let app = spawn_app().await;
    let mut conn = app.conn();

    let tet = entry_on(&app, day(2024, 2, 10)).expect("mùng 1 Tết 2024");
    assert_eq!(tet.kind, DayKind::Holiday);
    assert!(tet.name_vi.contains("Tết Nguyên đán"), "{}", tet.name_vi);
    let tet_2024 = Holiday::between(&mut conn, day(2024, 2, 1), day(2024, 2, 29)).unwrap();
    assert_eq!(tet_2024.len(), 7, "8/2 to 14/2/2024");
    let saturday = entry_on(&app, day(2024, 5, 4)).expect("the Saturday worked in 2024");
    assert_eq!(saturday.kind, DayKind::WorkingSaturday);
    for year in 2023..=2027 {
        let entries = Holiday::of_year(&mut conn, year).unwrap();
        assert!(entries.len() >= 10, "{year}: {}", entries.len());
        assert!(entries.iter().any(|e| e.day == day(year, 9, 2)), "{year}");
    }

    // Friday 2/2/2024, 10:00 in Vietnam: five working days end on Friday 16/2.
    let calendar = working_calendar(&mut conn, day(2024, 1, 1), day(2024, 12, 31)).unwrap();
    let event = to_utc(day(2024, 2, 2).and_hms_opt(10, 0, 0).unwrap());
    let due = calendar.add_working_days(event, 5);
    assert_eq!(due, to_utc(day(2024, 2, 16).and_hms_opt(17, 0, 0).unwrap()));
}

#[tokio::test]
async fn the_administrator_sees_a_year_in_both_languages_with_links_to_its_neighbours() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;

    let page = admin.get("/admin/calendar?year=2024").await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Lịch làm việc 2024"), "{}", page.body);
    assert!(
        page.body
            .contains("<time datetime=\"2024-02-10\">10&#x2F;02&#x2F;2024</time>"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Thứ Bảy, <time datetime=\"2024-02-10\">"));
    assert!(page.body.contains("Thứ Bảy làm bù"));
    assert!(page.body.contains("href=\"/admin/calendar?year=2023\""));
    assert!(page.body.contains("href=\"/admin/calendar?year=2025\""));
    assert!(
        page.body.contains("<strong>251</strong>"),
        "2024's working days"
    );
    let last = admin.get("/admin/calendar?year=2100").await;
    assert!(last.body.contains("href=\"/admin/calendar?year=2099\""));
    assert!(!last.body.contains("year=2101"));
    let menu = admin.get("/admin/users").await;
    assert!(menu.body.contains("href=\"/admin/calendar\""));

    admin
        .post("/language", &[("lang", "en"), ("next", "/")])
        .await;
    admin.refresh_csrf().await;
    let page = admin.get("/admin/calendar?year=2025").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Working calendar 2025"));
    assert!(page
        .body
        .contains("Saturday, <time datetime=\"2025-04-26\">"));
    assert!(page.body.contains("Working Saturday"));
}

#[tokio::test]
async fn the_administrator_adds_edits_and_deletes_a_day() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/calendar",
            &[
                ("day", "2028-01-01"),
                ("name_vi", "Tết Dương lịch"),
                ("name_en", "New Year's Day"),
                ("kind", "holiday"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/admin/calendar?year=2028"));
    let list = admin.get("/admin/calendar?year=2028").await;
    assert!(list.body.contains("Đã thêm ngày vào lịch."));
    let added = entry_on(&app, day(2028, 1, 1)).expect("added");

    let path = format!("/admin/calendar/{}", added.id);
    let form = admin.get(&path).await;
    assert!(form.body.contains("value=\"2028-01-01\""));
    let page = admin
        .post(
            &path,
            &[
                ("day", "2028-01-08"),
                ("name_vi", "Làm bù"),
                ("name_en", "Working Saturday"),
                ("kind", "working_saturday"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(entry_on(&app, day(2028, 1, 1)).is_none());
    let moved = entry_on(&app, day(2028, 1, 8)).expect("moved");
    assert_eq!(moved.kind, DayKind::WorkingSaturday);

    let page = admin.post(&format!("{path}/delete"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/admin/calendar?year=2028"));
    assert!(entry_on(&app, day(2028, 1, 8)).is_none());
}

#[tokio::test]
async fn a_bad_date_an_empty_name_or_a_taken_day_comes_back_with_messages_and_the_input() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/calendar",
            &[
                ("day", "2026-02-30"),
                ("name_vi", ""),
                ("name_en", "Typed in English"),
                ("kind", "holiday"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Vui lòng nhập một ngày có thật"));
    assert!(page.body.contains("id=\"name_vi-error\""));
    assert!(page.body.contains("value=\"2026-02-30\""));
    assert!(page.body.contains("value=\"Typed in English\""));

    let friday = [
        ("day", "2026-05-08"),
        ("name_vi", "Làm bù"),
        ("name_en", "Working Saturday"),
        ("kind", "working_saturday"),
    ];
    let page = admin.post("/admin/calendar", &friday).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Ngày làm bù phải là một ngày thứ Bảy."));

    admin
        .post("/language", &[("lang", "en"), ("next", "/")])
        .await;
    admin.refresh_csrf().await;
    let taken = [
        ("day", "2024-09-02"),
        ("name_vi", "Quốc khánh"),
        ("name_en", "National Day again"),
        ("kind", "holiday"),
    ];
    let page = admin.post("/admin/calendar", &taken).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("That date is already in the calendar"));
    assert!(page.body.contains("value=\"National Day again\""));
    assert_eq!(
        Holiday::of_year(&mut app.conn(), 2026).unwrap().len(),
        12,
        "nothing added to 2026"
    );
}

#[tokio::test]
async fn nobody_but_an_administrator_reaches_the_calendar() {
    let app = spawn_app().await;
    let id = entry_on(&app, day(2024, 9, 2)).unwrap().id.to_string();
    let form = [
        ("day", "2024-09-02"),
        ("name_vi", "Đã bị sửa"),
        ("name_en", "Changed"),
        ("kind", "holiday"),
    ];
    for (role, body) in [(Role::Delegate, None), (Role::Coordinator, Some("DUK"))] {
        let session = app.login(&app.add_user(role, body)).await;
        for path in [
            "/admin/calendar?year=2024",
            &format!("/admin/calendar/{id}"),
        ] {
            assert_eq!(session.get(path).await.status, StatusCode::NOT_FOUND);
        }
        for path in [
            "/admin/calendar".to_owned(),
            format!("/admin/calendar/{id}"),
            format!("/admin/calendar/{id}/delete"),
        ] {
            let page = session.post(&path, &form).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{role:?} POST {path}");
        }
    }
    let kept = entry_on(&app, day(2024, 9, 2)).unwrap();
    assert_eq!(kept.name_vi, "Quốc khánh");
}

#[test]
fn the_calendar_command_prints_working_days_per_month_and_the_holidays() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("desk.sqlite3");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dialogue-desk"))
        .args(["calendar", "2024"])
        .env_clear()
        .env("DATABASE_URL", &database)
        .env("APP_ENV", "development")
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs");

    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("  2024-02   16"), "February 2024: {text}");
    assert!(text.contains("  total    251"), "{text}");
    assert!(
        text.contains("2024-02-10 Sat  Tết Nguyên đán (mùng 1)"),
        "{text}"
    );
    assert!(
        text.contains("Working Saturdays:\n  2024-05-04 Sat"),
        "{text}"
    );
}
