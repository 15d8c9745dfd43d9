//! Issue 11: the thematic report, for a field or an accent-insensitive search,
//! as a page in the Party report's layout, a workbook and a CSV; who may read it.

use calamine::{Data, Reader};
use dialogue_desk::db::commitments::NewCommitment;
use dialogue_desk::db::conferences::ConferenceForm;
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

use crate::exports::{add_item, add_item_to, csv_of, styles_of, workbook_of, Row};
use crate::helpers::{spawn_app, TestApp};

/// A second conference, held in 2024.
fn conference_2024(app: &TestApp) -> i32 {
    ConferenceForm {
        name: "Hội nghị đối thoại năm 2024".into(),
        theme: String::new(),
        held_on: chrono::NaiveDate::from_ymd_opt(2024, 5, 10).unwrap(),
        notice_number: String::new(),
        response_days: 30,
        open_for_submissions: false,
        reference_prefix: "KN-2024".into(),
    }
    .insert(&mut app.conn(), chrono::Utc::now().naive_utc())
    .unwrap()
    .0
}

/// The published answer of the item with `reference`.
fn answer(app: &TestApp, reference: &str, author: i32, text: &str) {
    app.execute(&format!(
        "INSERT INTO answer_revisions (item_id, body_text, author_id, created_at, outcome) \
         SELECT id, '{text}', {author}, '2023-06-01 03:00:00', 'accepted' FROM items \
         WHERE reference = '{reference}'; \
         UPDATE items SET published_revision_id = (SELECT MAX(id) FROM answer_revisions) \
         WHERE reference = '{reference}'"
    ));
}

fn item_id(app: &TestApp, reference: &str) -> i32 {
    use dialogue_desk::db::schema::items;
    use diesel::prelude::*;
    items::table
        .filter(items::reference.eq(reference))
        .select(items::id)
        .first(&mut *app.conn())
        .unwrap()
}

struct Desk {
    app: TestApp,
    cadres_2023: String,
    cadres_2024: String,
    propaganda: String,
    other_field: String,
}

/// Items of two conferences: "cán bộ" in both (one answered, with a commitment),
/// a propaganda item of another body mentioning "cán bộ", and an item of
/// another field.
async fn desk() -> Desk {
    let app = spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None).id.0;
    let drafter = app.add_user(Role::Drafter, Some("TCTU")).id.0;
    let second = conference_2024(&app);
    let cadres_2023 = add_item(
        &app,
        Row {
            number: 1,
            title: "Đào tạo cán bộ trẻ",
            field: "to-chuc-can-bo",
            body: "TCTU",
            delegate,
            published: Some("2023-06-02"),
        },
    );
    answer(
        &app,
        &cadres_2023,
        drafter,
        "Ban Tổ chức sẽ mở lớp bồi dưỡng.",
    );
    let cadres_2024 = add_item_to(
        &app,
        second,
        Row {
            number: 2,
            title: "Luân chuyển cán bộ trẻ về cơ sở",
            field: "to-chuc-can-bo",
            body: "TCTU",
            delegate,
            published: None,
        },
    );
    let propaganda = add_item(
        &app,
        Row {
            number: 3,
            title: "Tuyên truyền gương cán bộ tốt",
            field: "thong-tin-tuyen-truyen",
            body: "TGTU",
            delegate,
            published: None,
        },
    );
    let other_field = add_item(
        &app,
        Row {
            number: 4,
            title: "Thủ tục đất đai",
            field: "thu-tuc-hanh-chinh",
            body: "BCSD-UBND",
            delegate,
            published: None,
        },
    );
    let now = chrono::Utc::now().naive_utc();
    NewCommitment {
        conference_id: 1,
        item_id: Some(item_id(&app, &cadres_2023)),
        description: "Mở lớp bồi dưỡng cán bộ trẻ".into(),
        owner_body_id: app.body_id("TCTU"),
        due_working_days: None,
        due_on: chrono::NaiveDate::from_ymd_opt(2023, 12, 31),
        due_at: None,
        planned_document: String::new(),
        created_by: drafter,
        created_at: now,
        updated_at: now,
    }
    .insert(&mut app.conn())
    .unwrap();
    Desk {
        app,
        cadres_2023,
        cadres_2024,
        propaganda,
        other_field,
    }
}

#[tokio::test]
async fn a_search_without_accents_finds_the_items_with_them_across_conferences() {
    let d = desk().await;
    let coordinator = d.app.login(&d.app.add_user(Role::Coordinator, None)).await;
    let form = coordinator.get("/reports/thematic").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Lập báo cáo"));

    let report = coordinator
        .get("/reports/thematic?field=&q=can+bo&conference=")
        .await;
    assert_eq!(report.status, StatusCode::OK);
    let page = &report.body;
    assert!(
        page.contains("chuyên đề: “can bo”"),
        "the title names the search"
    );
    for found in [&d.cadres_2023, &d.cadres_2024, &d.propaganda] {
        assert!(page.contains(found.as_str()), "{found} is in the report");
    }
    assert!(!page.contains(&d.other_field));
    for section in [
        "I. Tình hình chung",
        "II. Các kiến nghị và kết quả trả lời",
        "III. Các cam kết và tình hình thực hiện",
        "IV. Các vấn đề lặp lại qua các hội nghị",
    ] {
        assert!(page.contains(section), "section {section}");
    }
    assert!(
        page.contains("Ban Tổ chức sẽ mở lớp bồi dưỡng."),
        "the published answer"
    );
    assert!(
        page.contains("Mở lớp bồi dưỡng cán bộ trẻ"),
        "its commitment"
    );
    assert!(page.contains("Chưa bắt đầu"), "and the commitment's state");
    // "cán bộ" and "bộ trẻ" recur in the titles of both conferences.
    assert!(page.contains("<td>cán bộ</td><td class=\"num\">2</td><td class=\"num\">3</td>"));
    assert!(page.contains("<td>bộ trẻ</td><td class=\"num\">2</td><td class=\"num\">2</td>"));
    assert!(page.contains("Tải Excel") && page.contains("format=xlsx"));
}

#[tokio::test]
async fn a_field_keeps_to_its_items_and_exports_as_a_workbook_and_a_csv() {
    let d = desk().await;
    let coordinator = d.app.login(&d.app.add_user(Role::Coordinator, None)).await;
    let field = d.app.field_id("to-chuc-can-bo");
    let report = coordinator
        .get(&format!("/reports/thematic?field={field}"))
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains(&d.cadres_2023) && report.body.contains(&d.cadres_2024));
    assert!(!report.body.contains(&d.propaganda), "another field");

    let (mut book, bytes) = workbook_of(
        &coordinator,
        &format!("/reports/thematic?field={field}&format=xlsx"),
    )
    .await;
    assert_eq!(
        book.sheet_names(),
        vec![
            "Tổng quan",
            "Theo hội nghị",
            "Theo kết quả",
            "Kiến nghị",
            "Cam kết",
            "Lĩnh vực qua các hội nghị",
            "Chủ đề lặp lại"
        ]
    );
    let overview = book.worksheet_range("Tổng quan").unwrap();
    assert_eq!(
        overview.get_value((0, 0)),
        Some(&Data::String("Nội dung".into()))
    );
    assert_eq!(
        overview.get_value((1, 1)),
        Some(&Data::Float(2.0)),
        "a count is a number"
    );
    assert_eq!(
        overview.get_value((2, 1)),
        Some(&Data::Float(1.0)),
        "one answered"
    );
    let conferences = book.worksheet_range("Theo hội nghị").unwrap();
    let Some(Data::DateTime(held)) = conferences.get_value((2, 1)) else {
        panic!("the day held is a date");
    };
    assert_eq!(held.as_datetime().unwrap().date().to_string(), "2024-05-10");
    assert!(styles_of(&bytes).contains("formatCode=\"dd/mm/yyyy\""));
    let items = book.worksheet_range("Kiến nghị").unwrap();
    assert_eq!(items.height(), 3);
    assert_eq!(
        items.get_value((1, 8)),
        Some(&Data::String("Ban Tổ chức sẽ mở lớp bồi dưỡng.".into())),
        "the answer's text"
    );

    let file = csv_of(
        &coordinator,
        &format!("/reports/thematic?field={field}&format=csv"),
    )
    .await;
    assert!(file.starts_with("Số hiệu,Tiêu đề,Hội nghị,"));
    assert_eq!(file.matches("\r\n").count(), 3);
    assert!(file.contains(&d.cadres_2024) && !file.contains(&d.propaganda));
}

#[tokio::test]
async fn a_bodys_staff_see_their_bodys_items_and_delegates_none() {
    let d = desk().await;
    let drafter = d
        .app
        .login(&d.app.add_user(Role::Drafter, Some("TCTU")))
        .await;
    let report = drafter.get("/reports/thematic?q=cán+bộ").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains(&d.cadres_2023));
    assert!(
        !report.body.contains(&d.propaganda),
        "an item of another body"
    );
    let file = csv_of(&drafter, "/reports/thematic?q=can+bo&format=csv").await;
    assert!(!file.contains(&d.propaganda));

    let delegate = d.app.login(&d.app.add_user(Role::Delegate, None)).await;
    for path in ["/reports/thematic", "/reports/thematic?q=can+bo&format=csv"] {
        assert_eq!(
            delegate.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_wrong_choice_or_an_empty_form_gets_the_form_back_with_a_message() {
    let d = desk().await;
    let coordinator = d.app.login(&d.app.add_user(Role::Coordinator, None)).await;
    let empty = coordinator
        .get("/reports/thematic?field=&q=&conference=")
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty
        .body
        .contains("Đồng chí hãy chọn một lĩnh vực hoặc nhập từ khóa."));
    let wrong = coordinator
        .get("/reports/thematic?field=9999&q=đất+đai&conference=x")
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong
        .body
        .contains("Đồng chí hãy chọn một lĩnh vực trong danh sách."));
    assert!(wrong
        .body
        .contains("Đồng chí hãy chọn một hội nghị trong danh sách."));
    assert!(
        wrong.body.contains("value=\"đất đai\""),
        "what was typed is kept"
    );
}
