//! The dashboard and the periodic report (issue 11) against a data set counted by
//! hand. Nine proposals are filed through the form, then their histories are
//! written into their rows (publication, resolution, ratings, extension, pause,
//! merge, withdrawal, re-routing) so the dates are fixed and the counts stable.
//!
//! The data set (UTC times at 02:00, 09:00 in Hanoi, so the local day is the
//! date written; March 2024 has no holidays):
//!
//! | item | body (field) | submitted | due | answered | resolved | notes |
//! | A | TCTU (tổ chức) | Mon 04/03 | 14/03 | 08/03 explained, satisfied | 08/03, result satisfied | in time; G merged into it |
//! | B | TCTU (tổ chức) | Mon 04/03 | 21/03 (extended from 14/03) | 19/03 accepted, partly | 28/03 (commitments: one done, one cannot be done), result not satisfied | in time thanks to the extension |
//! | C | BCSD (tổ chức, re-routed from TCTU) | Tue 05/03 | 12/03 | 15/03 not accepted, not satisfied | – | late |
//! | D | BCSD (kinh tế) | Wed 06/03 | 20/03 | – | – | open, late |
//! | E | BCSD (kinh tế) | Mon 11/03 | 15/03 | – | – | open, clock paused: not late |
//! | F | TCTU (tổ chức) | Mon 11/03 | – | – | – | withdrawn |
//! | G | TCTU (tổ chức) | Mon 11/03 | – | – | – | merged into A: never counted |
//! | H | TCTU (tổ chức) | Wed 20/03 | 05/04 | – | – | open: in time at the end of Q1, late now |
//! | I | TCTU (tổ chức) | Tue 02/04 | 16/04 | 10/04 answered at the conference, unrated | 10/04 | outside Q1 |
//!
//! Plus a task of the notice (no item) owned by BCSD, due 29/03, still open.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestUser};
use dialogue_desk::domain::Role;

/// The items' ids, A to I.
struct DataSet {
    ids: Vec<i32>,
    references: Vec<String>,
}

impl DataSet {
    fn id(&self, letter: char) -> i32 {
        self.ids[(letter as u8 - b'A') as usize]
    }

    fn reference(&self, letter: char) -> &str {
        &self.references[(letter as u8 - b'A') as usize]
    }
}

/// One table row as `partials/report_table.html` renders it: numbers aligned
/// right, text escaped as tera escapes it.
fn row(cells: &[&str]) -> String {
    let mut html = String::from("<tr>");
    for cell in cells {
        let text = cell.replace('/', "&#x2F;");
        if cell.parse::<i64>().is_ok() {
            html.push_str(&format!("<td class=\"num\">{text}</td>"));
        } else {
            html.push_str(&format!("<td>{text}</td>"));
        }
    }
    html.push_str("</tr>");
    html
}

fn assert_rows(body: &str, rows: &[&[&str]]) {
    for cells in rows {
        let expected = row(cells);
        assert!(body.contains(&expected), "missing row {expected}");
    }
}

async fn arrange(app: &TestApp, coordinator: &TestUser) -> DataSet {
    let delegate = app.add_user(Role::Delegate, None);
    let session = app.login(&delegate).await;
    let to_chuc = app.field_id("to-chuc-can-bo");
    let kinh_te = app.field_id("kinh-te-xa-hoi");
    let fields = [
        to_chuc, to_chuc, to_chuc, kinh_te, kinh_te, to_chuc, to_chuc, to_chuc, to_chuc,
    ];
    let mut ids = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let letter = (b'A' + index as u8) as char;
        let title = format!("Kiến nghị {letter} về công tác cán bộ");
        ids.push(
            session
                .submit_proposal(&title, "Nội dung kiến nghị để thống kê.", *field)
                .await,
        );
    }
    let tctu = app.body_id("TCTU");
    let bcsd = app.body_id("BCSD-UBND");
    let at = |day: &str| format!("'2024-{day} 02:00:00'");
    let due = |day: &str| format!("'2024-{day} 10:00:00'");
    let set = |id: i32, assignments: String| {
        app.execute(&format!(
            "UPDATE items SET next_due_at = NULL, due_soon_at = NULL, stage_due_at = NULL, {assignments} WHERE id = {id}"
        ));
    };
    let [a, b, c, d, e, f, g, h, i] = ids[..] else {
        unreachable!()
    };
    set(a, format!("status = 'done', lead_body_id = {tctu}, submitted_at = {}, deadline = {}, original_deadline = {}, published_at = {}, resolved_at = {}, outcome = 'explained', satisfaction = 'satisfied', result_satisfaction = 'satisfied'", at("03-04"), due("03-14"), due("03-14"), at("03-08"), at("03-08")));
    set(b, format!("status = 'done', lead_body_id = {tctu}, submitted_at = {}, deadline = {}, original_deadline = {}, published_at = {}, resolved_at = {}, outcome = 'accepted', satisfaction = 'partly', result_satisfaction = 'not_satisfied'", at("03-04"), due("03-21"), due("03-14"), at("03-19"), at("03-28")));
    set(c, format!("status = 'published', lead_body_id = {bcsd}, submitted_at = {}, deadline = {}, original_deadline = {}, published_at = {}, outcome = 'not_accepted', satisfaction = 'not_satisfied'", at("03-05"), due("03-12"), due("03-12"), at("03-15")));
    app.execute(&format!(
        "INSERT INTO item_events (item_id, actor_id, kind, from_body_id, to_body_id, comment, created_at) VALUES ({c}, {}, 'rerouted', {tctu}, {bcsd}, '', {})",
        coordinator.id.0,
        at("03-06")
    ));
    set(d, format!("status = 'drafting', lead_body_id = {bcsd}, submitted_at = {}, deadline = {}, original_deadline = {}", at("03-06"), due("03-20"), due("03-20")));
    set(e, format!("status = 'drafting', lead_body_id = {bcsd}, submitted_at = {}, deadline = {}, original_deadline = {}, paused_at = {}", at("03-11"), due("03-15"), due("03-15"), at("03-14")));
    set(
        f,
        format!(
            "status = 'withdrawn', lead_body_id = {tctu}, submitted_at = {}",
            at("03-11")
        ),
    );
    set(
        g,
        format!(
            "status = 'merged', merged_into_id = {a}, lead_body_id = {tctu}, submitted_at = {}",
            at("03-11")
        ),
    );
    set(h, format!("status = 'in_review', lead_body_id = {tctu}, submitted_at = {}, deadline = {}, original_deadline = {}", at("03-20"), due("04-05"), due("04-05")));
    set(i, format!("status = 'done', lead_body_id = {tctu}, submitted_at = {}, deadline = {}, original_deadline = {}, published_at = {}, resolved_at = {}, outcome = 'answered_at_conference'", at("04-02"), due("04-16"), due("04-16"), at("04-10"), at("04-10")));
    let conference: i32 = {
        use dialogue_desk::db::schema::items;
        use diesel::prelude::*;
        items::table
            .find(a)
            .select(items::conference_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let commitment = |item: String, body: i32, due_at: String, progress: &str, closed: String| {
        app.execute(&format!(
            "INSERT INTO commitments (conference_id, item_id, description, owner_body_id, due_on, due_at, progress, created_by, created_at, updated_at, closed_at) \
             VALUES ({conference}, {item}, 'Cam kết', {body}, '2024-04-30', {due_at}, '{progress}', {}, {}, {}, {closed})",
            coordinator.id.0,
            at("03-01"),
            at("03-01")
        ));
    };
    commitment(b.to_string(), tctu, due("04-30"), "done", at("03-27"));
    commitment(
        b.to_string(),
        tctu,
        due("04-30"),
        "cannot_be_done",
        at("03-28"),
    );
    commitment(
        "NULL".into(),
        bcsd,
        due("03-29"),
        "in_progress",
        "NULL".into(),
    );
    let references = {
        use dialogue_desk::db::schema::items;
        use diesel::prelude::*;
        ids.iter()
            .map(|id| {
                items::table
                    .find(id)
                    .select(items::reference)
                    .first::<String>(&mut *app.conn())
                    .unwrap()
            })
            .collect()
    };
    DataSet { ids, references }
}

#[tokio::test]
async fn the_dashboard_shows_the_hand_counted_figures_of_all_time() {
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let data = arrange(&app, &coordinator).await;
    let session = app.login(&coordinator).await;
    let page = session.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert_rows(
        body,
        &[
            // A B C D E F H I (G merged into A is not counted).
            &["Kiến nghị tiếp nhận", "8"],
            &["Trong đó: đại biểu rút lại", "1"],
            // All but the withdrawn F.
            &["Đã giao cơ quan xử lý", "7"],
            // A B C I.
            &["Đã trả lời (đã công bố)", "4"],
            // A B I.
            &["Đã giải quyết xong", "3"],
            // TCTU: received A B H I; answered A B I, all in time (B thanks to
            // its extension); resolved A B I; H open and late by now.
            &["Ban Tổ chức Tỉnh ủy", "4", "3", "3", "3", "0", "0", "1"],
            // BCSD: C (re-routed here) D E; C answered late; D open late; E
            // paused, so not late.
            &[
                "Ban cán sự đảng UBND tỉnh",
                "3",
                "1",
                "0",
                "0",
                "1",
                "1",
                "1",
            ],
            // Fields: A B C H I; D E.
            &["Tổ chức cán bộ", "5"],
            &["Chính sách phát triển kinh tế - xã hội", "2"],
            // Outcomes of A B C I.
            &["Tiếp thu, sẽ thực hiện", "1"],
            &["Giải trình, làm rõ", "1"],
            &["Không tiếp thu (nêu lý do)", "1"],
            &["Vượt thẩm quyền, chuyển cấp trên", "0"],
            &["Đã trả lời tại hội nghị", "1"],
            // Ratings of the answers (A B C I) and results (A B I).
            &["Hài lòng", "1", "1"],
            &["Hài lòng một phần", "1", "0"],
            &["Chưa hài lòng", "1", "1"],
            &["Chưa đánh giá", "1", "1"],
            // Working days to answer: A 4, B 11, C 8, I 6 → sorted 4 6 8 11:
            // median (rank 2) 6, 90th percentile (rank 4) 11.
            &["Được trả lời", "4", "6", "11"],
            // To resolution: A 4, B 18, I 6 → 4 6 18: median 6, p90 18.
            &["Được giải quyết xong", "3", "6", "18"],
            // Commitments: one done, the notice's task overdue, one cannot.
            &["Đã hoàn thành", "1"],
            &["Quá hạn, chưa hoàn thành", "1"],
            &["Không thể thực hiện", "1"],
        ],
    );
    // The overdue list: D (due 20/03) before H (due 05/04); not E (paused).
    let d_at = body
        .find(&format!("<td>{}</td>", data.reference('D')))
        .expect("D is overdue");
    let h_at = body
        .find(&format!("<td>{}</td>", data.reference('H')))
        .expect("H is overdue");
    assert!(d_at < h_at, "the longest overdue comes first");
    assert!(!body.contains(&format!("<td>{}</td>", data.reference('E'))));
    // Charts are inline SVG with a title, and their numbers are in the tables.
    assert!(body.contains(r#"aria-labelledby="chart-bodies-title""#));
    assert!(body.contains("<title id=\"chart-satisfaction-title\">"));
    assert_eq!(data.ids.len(), 9);
    let _ = data.id('A');

    // Another conference has none of these items.
    let other = session.get("/dashboard?conference=99999").await;
    assert_eq!(other.status, StatusCode::OK);
    assert_rows(
        &other.body,
        &[
            &["Kiến nghị tiếp nhận", "0"],
            &["Đã trả lời (đã công bố)", "0"],
        ],
    );
}

#[tokio::test]
async fn the_periodic_report_of_the_first_quarter_counts_by_hand() {
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let data = arrange(&app, &coordinator).await;
    let session = app.login(&coordinator).await;
    let page = session
        .get("/reports/periodic?period=q1&year=2024&conference=")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("(Từ ngày 01&#x2F;01&#x2F;2024 đến ngày 31&#x2F;03&#x2F;2024)"));
    for heading in [
        "I. Số liệu chung",
        "II. Tình hình trả lời theo cơ quan",
        "III. Kiến nghị đã được trả lời trong kỳ",
        "IV. Kiến nghị đã được giải quyết xong trong kỳ",
        "V. Kiến nghị còn đang xử lý",
    ] {
        assert!(body.contains(heading), "section {heading}");
    }
    let (a, b, c, d, e, h) = (
        data.reference('A'),
        data.reference('B'),
        data.reference('C'),
        data.reference('D'),
        data.reference('E'),
        data.reference('H'),
    );
    assert_rows(
        body,
        &[
            // Received in Q1: A B C D E F H (I is April's, G merged).
            &["Kiến nghị tiếp nhận", "7"],
            &["Trong đó: đại biểu rút lại", "1"],
            &["Đã giao cơ quan xử lý", "6"],
            // Answered in Q1: A B C; resolved: A B.
            &["Đã trả lời (đã công bố)", "3"],
            &["Đã giải quyết xong", "2"],
            // TCTU: A B H received; A B answered in time and resolved; H open,
            // still in time on 31/03.
            &["Ban Tổ chức Tỉnh ủy", "3", "2", "2", "2", "0", "1", "0"],
            &[
                "Ban cán sự đảng UBND tỉnh",
                "3",
                "1",
                "0",
                "0",
                "1",
                "1",
                "1",
            ],
            &["Tổ chức cán bộ", "4"],
            &["Chính sách phát triển kinh tế - xã hội", "2"],
            &["Đã trả lời tại hội nghị", "0"],
            &["Hài lòng", "1", "1"],
            &["Chưa hài lòng", "1", "1"],
            &["Chưa đánh giá", "0", "0"],
            // A 4, C 8, B 11: median 8, p90 11. A 4, B 18: median 4, p90 18.
            &["Được trả lời", "3", "8", "11"],
            &["Được giải quyết xong", "2", "4", "18"],
            &["Đã hoàn thành", "1"],
            &["Quá hạn, chưa hoàn thành", "1"],
            &["Không thể thực hiện", "1"],
            // Overdue longest at the end of Q1: only D, 8 working days after
            // 20/03 (21, 22, 25–29 March, 1 April: the period ends at local
            // midnight, the first instant of 1 April).
            &[
                d,
                "Kiến nghị D về công tác cán bộ",
                "Ban cán sự đảng UBND tỉnh",
                "20/03/2024",
                "8",
            ],
            // III: in order of publication.
            &[
                a,
                "Kiến nghị A về công tác cán bộ",
                "Ban Tổ chức Tỉnh ủy",
                "04/03/2024",
                "08/03/2024",
                "Giải trình, làm rõ",
            ],
            &[
                c,
                "Kiến nghị C về công tác cán bộ",
                "Ban cán sự đảng UBND tỉnh",
                "05/03/2024",
                "15/03/2024",
                "Không tiếp thu (nêu lý do)",
            ],
            &[
                b,
                "Kiến nghị B về công tác cán bộ",
                "Ban Tổ chức Tỉnh ủy",
                "04/03/2024",
                "19/03/2024",
                "Tiếp thu, sẽ thực hiện",
            ],
            // IV.
            &[
                a,
                "Kiến nghị A về công tác cán bộ",
                "Ban Tổ chức Tỉnh ủy",
                "08/03/2024",
                "08/03/2024",
            ],
            &[
                b,
                "Kiến nghị B về công tác cán bộ",
                "Ban Tổ chức Tỉnh ủy",
                "19/03/2024",
                "28/03/2024",
            ],
            // V: open on 31/03, earliest due first.
            &[
                e,
                "Kiến nghị E về công tác cán bộ",
                "Ban cán sự đảng UBND tỉnh",
                "11/03/2024",
                "15/03/2024",
            ],
            &[
                h,
                "Kiến nghị H về công tác cán bộ",
                "Ban Tổ chức Tỉnh ủy",
                "20/03/2024",
                "05/04/2024",
            ],
        ],
    );
    let answered_a = body
        .find(&row(&[
            a,
            "Kiến nghị A về công tác cán bộ",
            "Ban Tổ chức Tỉnh ủy",
            "04/03/2024",
            "08/03/2024",
            "Giải trình, làm rõ",
        ]))
        .unwrap();
    let answered_c = body
        .find(&row(&[
            c,
            "Kiến nghị C về công tác cán bộ",
            "Ban cán sự đảng UBND tỉnh",
            "05/03/2024",
            "15/03/2024",
            "Không tiếp thu (nêu lý do)",
        ]))
        .unwrap();
    assert!(answered_a < answered_c, "answers in order of publication");
    // The Party report's frame.
    assert!(body.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
}

#[tokio::test]
async fn a_wrong_period_is_shown_again_with_a_message_and_what_was_typed() {
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let session = app.login(&coordinator).await;
    let form = session.get("/reports/periodic").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Kỳ báo cáo"));
    let backwards = session
        .get("/reports/periodic?period=custom&from=2024-05-02&to=2024-05-01&year=&month=&conference=")
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards
            .body
            .contains("\"Đến ngày\" không được trước \"Từ ngày\".")
            || backwards
                .body
                .contains("&quot;Đến ngày&quot; không được trước &quot;Từ ngày&quot;.")
    );
    assert!(
        backwards.body.contains("value=\"2024-05-02\""),
        "what was typed is kept"
    );
    let bad_date = session
        .get("/reports/periodic?period=custom&from=2024-02-30&to=2024-03-01")
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.body.contains("Ngày không hợp lệ"));
    let bad_month = session
        .get("/reports/periodic?period=month&year=2024&month=13")
        .await;
    assert_eq!(bad_month.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_month
        .body
        .contains("Đồng chí hãy chọn tháng từ 1 đến 12."));
}

#[tokio::test]
async fn a_bodys_drafter_sees_only_their_bodys_figures_and_a_delegate_is_refused() {
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    arrange(&app, &coordinator).await;
    let drafter = app.add_user(Role::Drafter, Some("TCTU"));
    let session = app.login(&drafter).await;
    let page = session.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_rows(
        &page.body,
        &[
            // TCTU's own: A B F H I received (F withdrawn), A B I answered.
            &["Kiến nghị tiếp nhận", "5"],
            &["Trong đó: đại biểu rút lại", "1"],
            &["Đã trả lời (đã công bố)", "3"],
            &["Ban Tổ chức Tỉnh ủy", "4", "3", "3", "3", "0", "0", "1"],
            // The notice's task is BCSD's, not theirs.
            &["Quá hạn, chưa hoàn thành", "0"],
        ],
    );
    assert!(
        !page.body.contains("Ban cán sự đảng UBND tỉnh"),
        "no other body's name"
    );
    let report = session.get("/reports/periodic?period=year&year=2024").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(!report.body.contains("Ban cán sự đảng UBND tỉnh"));

    let delegate = app.add_user(Role::Delegate, None);
    let delegate = app.login(&delegate).await;
    assert_eq!(
        delegate.get("/dashboard").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delegate
            .get("/reports/periodic?period=year&year=2024")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let admin = app.add_user(Role::Admin, None);
    let admin = app.login(&admin).await;
    assert_eq!(admin.get("/dashboard").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_periodic_report_downloads_as_a_workbook_and_a_csv_with_the_same_figures() {
    use calamine::{Data, Reader};
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let data = arrange(&app, &coordinator).await;
    let session = app.login(&coordinator).await;
    let query = "/reports/periodic?period=q1&year=2024&conference=";
    let page = session.get(query).await;
    assert!(
        page.body.contains("format=xlsx"),
        "the page links its workbook"
    );
    assert!(page.body.contains("format=csv"), "and its CSV");

    let (mut book, _) =
        crate::exports::workbook_of(&session, &format!("{query}&format=xlsx")).await;
    let sheets = book.sheet_names();
    assert!(sheets.len() >= 5, "a sheet per table: {sheets:?}");
    let first = book.worksheet_range(&sheets[0]).unwrap();
    let received = first
        .rows()
        .find(|row| row[0] == Data::String("Kiến nghị tiếp nhận".into()))
        .expect("the received row");
    // Seven received in Q1 (see the table at the top), as a number, not text.
    assert_eq!(received[1], Data::Float(7.0));
    // The open items' sheet lists H (in time on 31/03) by its reference.
    let has_h = sheets.iter().any(|name| {
        book.worksheet_range(name).unwrap().rows().any(|row| {
            row.iter()
                .any(|c| c == &Data::String(data.reference('H').to_string()))
        })
    });
    assert!(has_h, "item H is in a list sheet");

    let csv = crate::exports::csv_of(&session, &format!("{query}&format=csv")).await;
    assert!(
        csv.starts_with("Số liệu chung\r\n"),
        "the first table's title first"
    );
    assert!(csv.contains("Kiến nghị tiếp nhận,7\r\n"));
    assert!(csv.contains(data.reference('H')));
}

#[tokio::test]
async fn a_report_page_lists_the_first_500_items_and_its_file_has_them_all() {
    use crate::exports::{add_item, csv_of, Row};
    let app = spawn_app().await;
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let delegate = app.add_user(Role::Delegate, None);
    let references: Vec<String> = (1..=501)
        .map(|number| {
            add_item(
                &app,
                Row {
                    number,
                    title: "Kiến nghị về đào tạo cán bộ",
                    field: "to-chuc-can-bo",
                    body: "TCTU",
                    delegate: delegate.id.0,
                    published: Some("2023-05-25"),
                },
            )
        })
        .collect();
    let session = app.login(&coordinator).await;
    let query = "/reports/periodic?period=month&year=2023&month=5&conference=";
    let page = session.get(query).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("chỉ in 500 kiến nghị đầu tiên"),
        "the page says it cut"
    );
    assert!(page.body.contains(&format!(">{}<", references[0])));
    assert!(page.body.contains(&format!(">{}<", references[499])));
    assert!(
        !page.body.contains(&format!(">{}<", references[500])),
        "the 501st is left out"
    );
    let csv = csv_of(&session, &format!("{query}&format=csv")).await;
    assert!(csv.contains(&references[500]), "the file has every item");

    // A month with fewer items says nothing of the kind.
    let june = session
        .get("/reports/periodic?period=month&year=2023&month=6&conference=")
        .await;
    assert!(!june.body.contains("chỉ in 500 kiến nghị đầu tiên"));
}
