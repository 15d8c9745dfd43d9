//! Issue 11: every list as an Excel workbook or a CSV file, with the list's own
//! filters and scope. The workbook is read back with calamine, the CSV as text.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, TestSession};

/// An item put straight into the database (SQL both engines accept): filed on
/// 20 May 2023 at 08:00 UTC (15:00 in Vietnam), due 19 June.
pub struct Row<'a> {
    pub number: i32,
    pub title: &'a str,
    pub field: &'a str,
    pub body: &'a str,
    pub delegate: i32,
    /// Published on this day (an `accepted` outcome), or still routed.
    pub published: Option<&'a str>,
}

/// Inserts `row` into the 2023 conference; returns its reference.
pub fn add_item(app: &TestApp, row: Row) -> String {
    add_item_to(app, 1, row)
}

/// Inserts `row` into `conference`; returns its reference.
pub fn add_item_to(app: &TestApp, conference: i32, row: Row) -> String {
    let field = app.field_id(row.field);
    let body = app.body_id(row.body);
    let reference = format!("KN-T{conference}-{:04}", row.number);
    let title = row.title.replace('\'', "''");
    let folded = dialogue_desk::domain::text::fold_for_search(row.title).replace('\'', "''");
    let (status, published, outcome) = match row.published {
        Some(day) => ("published", format!("'{day} 03:00:00'"), "'accepted'"),
        None => ("routed", "NULL".to_string(), "NULL"),
    };
    app.execute(&format!(
        "INSERT INTO items (conference_id, reference_number, reference, delegate_id, \
           submission_token, title, content, field_id, related_units, status, lead_body_id, \
           submitted_at, deadline, original_deadline, updated_at, search_text, published_at, \
           outcome) \
         VALUES ({conference}, {n}, '{reference}', {delegate}, 'export-{reference}', '{title}', \
           'Nội dung.', {field}, '', '{status}', {body}, '2023-05-20 08:00:00', \
           '2023-06-19 10:00:00', '2023-06-19 10:00:00', '2023-05-20 08:00:00', \
           '{reference_folded} {folded}', {published}, {outcome})",
        n = 5000 + row.number,
        delegate = row.delegate,
        reference_folded = reference.to_lowercase(),
    ));
    reference
}

/// The response of `GET path`, whole, as bytes, with its headers.
async fn download(
    session: &TestSession,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = session
        .client
        .get(format!("{}{path}", session.address))
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// The file as text, checked to start with the UTF-8 byte-order mark.
pub async fn csv_of(session: &TestSession, path: &str) -> String {
    let (status, headers, bytes) = download(session, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    String::from_utf8(bytes[3..].to_vec()).unwrap()
}

/// The workbook at `path`, opened.
pub async fn workbook_of(session: &TestSession, path: &str) -> (Xlsx<Cursor<Vec<u8>>>, Vec<u8>) {
    let (status, headers, bytes) = download(session, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}");
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let book = Xlsx::new(Cursor::new(bytes.clone())).expect("an xlsx file");
    (book, bytes)
}

/// The number formats the workbook declares (its `styles.xml`).
pub fn styles_of(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    styles
}

#[tokio::test]
async fn a_coordinators_workbook_has_vietnamese_headers_real_dates_and_only_the_filtered_items() {
    let app = crate::helpers::spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None).id.0;
    let cadres = add_item(
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
    let other = add_item(
        &app,
        Row {
            number: 2,
            title: "Thông tin tuyên truyền",
            field: "thong-tin-tuyen-truyen",
            body: "TGTU",
            delegate,
            published: None,
        },
    );
    let coordinator = app.login(&app.add_user(Role::Coordinator, None)).await;
    let field = app.field_id("to-chuc-can-bo");
    let list = coordinator.get(&format!("/items?field={field}")).await;
    assert!(list.body.contains("Tải Excel") && list.body.contains("Tải CSV"));
    assert!(
        list.body.contains(&format!(
            "items?format=xlsx&amp;q=&amp;status=&amp;field={field}&amp;"
        )),
        "the link keeps the filter"
    );

    let (mut book, bytes) =
        workbook_of(&coordinator, &format!("/items?format=xlsx&field={field}")).await;
    assert_eq!(book.sheet_names(), vec!["Tất cả kiến nghị"]);
    let sheet = book.worksheet_range("Tất cả kiến nghị").unwrap();
    let headers: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        headers,
        [
            "Số hiệu",
            "Tiêu đề",
            "Lĩnh vực",
            "Cơ quan chủ trì",
            "Đại biểu",
            "Trạng thái",
            "Kết quả xử lý",
            "Ngày tiếp nhận",
            "Hạn trả lời",
            "Ngày trả lời",
            "Ngày giải quyết xong"
        ]
    );
    assert_eq!(
        sheet.height(),
        2,
        "the header and the one item of the field"
    );
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String(cadres.clone())));
    assert_eq!(
        sheet.get_value((1, 5)),
        Some(&Data::String("Đã trả lời".into()))
    );
    assert_eq!(
        sheet.get_value((1, 6)),
        Some(&Data::String("Tiếp thu, sẽ thực hiện".into()))
    );
    // Filed at 08:00 UTC: 15:00 in Vietnam; answered on 2 June.
    let Some(Data::DateTime(received)) = sheet.get_value((1, 7)) else {
        panic!("the received date is a date: {:?}", sheet.get_value((1, 7)));
    };
    assert_eq!(
        received.as_datetime().unwrap().to_string(),
        "2023-05-20 15:00:00"
    );
    let Some(Data::DateTime(answered)) = sheet.get_value((1, 9)) else {
        panic!("the answer date is a date");
    };
    assert_eq!(
        answered.as_datetime().unwrap().date().to_string(),
        "2023-06-02"
    );
    let styles = styles_of(&bytes);
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy hh:mm\""));
    assert!(!format!("{:?}", sheet.rows().collect::<Vec<_>>()).contains(&other));
}

#[tokio::test]
async fn a_csv_export_neutralises_formulas_keeps_quotes_and_lines_and_names_the_file() {
    let app = crate::helpers::spawn_app().await;
    let delegate_user = app.add_user(Role::Delegate, None);
    let delegate = app.login(&delegate_user).await;
    let field = app.field_id("to-chuc-can-bo");
    delegate
        .submit_proposal(
            "=HYPERLINK(\"http://evil.example\",\"Bấm\")",
            "Nội dung kiến nghị.",
            field,
        )
        .await;
    add_item(
        &app,
        Row {
            number: 7,
            title: "Về \"luân chuyển\", bổ nhiệm\nvà đánh giá cán bộ",
            field: "to-chuc-can-bo",
            body: "TCTU",
            delegate: delegate_user.id.0,
            published: None,
        },
    );
    let coordinator = app.login(&app.add_user(Role::Coordinator, None)).await;
    let (status, headers, _) = download(&coordinator, "/items?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"tat-ca-kien-nghi-"),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''T%E1%BA%A5t%20c%E1%BA%A3"),
        "{disposition}"
    );

    let file = csv_of(&coordinator, "/items?format=csv").await;
    let mut lines = file.split("\r\n");
    assert!(lines
        .next()
        .unwrap()
        .starts_with("Số hiệu,Tiêu đề,Lĩnh vực,Cơ quan chủ trì,Đại biểu,"));
    assert!(
        file.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Bấm\"\")\","),
        "the formula stays text: {file}"
    );
    assert!(
        file.contains(",\"Về \"\"luân chuyển\"\", bổ nhiệm\nvà đánh giá cán bộ\","),
        "quotes doubled, the comma and the line break kept inside quotes: {file}"
    );
    assert!(file.ends_with("\r\n"));

    let searched = csv_of(&coordinator, "/items?format=csv&q=luan+chuyen").await;
    assert_eq!(
        searched.matches("\r\n").count(),
        2,
        "the header and the one item found: {searched}"
    );
    assert!(!searched.contains("HYPERLINK"));
}

#[tokio::test]
async fn each_export_holds_only_what_its_reader_may_see() {
    let app = crate::helpers::spawn_app().await;
    let mine = app.add_user(Role::Delegate, None);
    let someone_else = app.add_user(Role::Delegate, None).id.0;
    let own = add_item(
        &app,
        Row {
            number: 1,
            title: "Kiến nghị của tôi",
            field: "to-chuc-can-bo",
            body: "TCTU",
            delegate: mine.id.0,
            published: None,
        },
    );
    let theirs_tctu = add_item(
        &app,
        Row {
            number: 2,
            title: "Kiến nghị khác của Ban Tổ chức",
            field: "to-chuc-can-bo",
            body: "TCTU",
            delegate: someone_else,
            published: None,
        },
    );
    let theirs_tgtu = add_item(
        &app,
        Row {
            number: 3,
            title: "Kiến nghị của Ban Tuyên giáo",
            field: "thong-tin-tuyen-truyen",
            body: "TGTU",
            delegate: someone_else,
            published: None,
        },
    );

    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let queue = csv_of(&drafter, "/queue?format=csv").await;
    assert!(queue.contains(&own) && queue.contains(&theirs_tctu));
    assert!(
        !queue.contains(&theirs_tgtu),
        "another body's item: {queue}"
    );
    let (status, _, _) = download(&drafter, "/items?format=csv").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the list itself is the coordinator's"
    );

    let delegate = app.login(&mine).await;
    let my = csv_of(&delegate, "/my?format=csv").await;
    assert!(my.contains(&own));
    assert!(!my.contains(&theirs_tctu) && !my.contains(&theirs_tgtu));
    assert!(
        !my.lines().next().unwrap().contains("Đại biểu"),
        "no delegate column for a delegate"
    );
    let (mut book, _) = workbook_of(&delegate, "/my?format=xlsx").await;
    let sheet = book.worksheet_range("Kiến nghị của tôi").unwrap();
    assert_eq!(sheet.height(), 2);
}

#[tokio::test]
async fn a_long_list_streams_whole_in_batches() {
    let app = crate::helpers::spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    let field = app.field_id("to-chuc-can-bo");
    let body = app.body_id("TCTU");
    app.execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) \
         INSERT INTO items (conference_id, reference_number, reference, delegate_id, \
           submission_token, title, content, field_id, related_units, status, lead_body_id, \
           submitted_at, deadline, original_deadline, updated_at, search_text) \
         SELECT 1, 1000 + i, 'KN-2023-L' || i, {}, 'list-' || i, 'Kiến nghị số ' || i, \
           'Nội dung.', {field}, '', 'routed', {body}, '2023-05-20 08:00:00', \
           '2023-06-19 08:00:00', '2023-06-19 08:00:00', '2023-05-20 08:00:00', \
           'kien nghi so ' || i FROM n",
        delegate.id.0
    ));
    let coordinator = app.login(&app.add_user(Role::Coordinator, None)).await;
    let file = csv_of(&coordinator, "/items?format=csv").await;
    assert_eq!(
        file.matches("\r\n").count(),
        1 + 1234,
        "every item, not the first page or the count cap"
    );
    assert!(file.contains("KN-2023-L1234,"));
    let (mut book, _) = workbook_of(&coordinator, "/items?format=xlsx").await;
    assert_eq!(
        book.worksheet_range("Tất cả kiến nghị").unwrap().height(),
        1 + 1234
    );
}

/// The measure: 100,000 items export as CSV in batches. Ignored in the
/// suite for its time; run with `cargo test --test api hundred_thousand -- --ignored
/// --nocapture` to see the times.
#[tokio::test]
#[ignore = "slow: inserts 100,000 items"]
async fn a_hundred_thousand_items_export_streaming() {
    let app = crate::helpers::spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    let field = app.field_id("to-chuc-can-bo");
    let body = app.body_id("TCTU");
    app.execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
         INSERT INTO items (conference_id, reference_number, reference, delegate_id, \
           submission_token, title, content, field_id, related_units, status, lead_body_id, \
           submitted_at, deadline, original_deadline, updated_at, search_text) \
         SELECT 1, 1000 + i, 'KN-2023-L' || i, {}, 'list-' || i, 'Kiến nghị số ' || i, \
           'Nội dung.', {field}, '', 'routed', {body}, '2023-05-20 08:00:00', \
           '2023-06-19 08:00:00', '2023-06-19 08:00:00', '2023-05-20 08:00:00', \
           'kien nghi so ' || i FROM n",
        delegate.id.0
    ));
    let coordinator = app.login(&app.add_user(Role::Coordinator, None)).await;
    let started = std::time::Instant::now();
    let mut response = coordinator
        .client
        .get(format!("{}/items?format=csv", coordinator.address))
        .send()
        .await
        .unwrap();
    let first_chunk = started.elapsed();
    let (mut lines, mut largest_chunk) = (0, 0);
    while let Some(chunk) = response.chunk().await.unwrap() {
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        largest_chunk = largest_chunk.max(chunk.len());
    }
    println!(
        "100,000 items as CSV: first bytes after {first_chunk:?}, all after {:?}, largest chunk {largest_chunk} bytes",
        started.elapsed()
    );
    assert_eq!(lines, 1 + 100_000);
}
