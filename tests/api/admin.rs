//! The administrator's area: users, bodies, fields and the routing table,
//! conferences; and that nobody else can reach it.

use crate::helpers::{spawn_app, TestApp, TestSession};
use dialogue_desk::db::bodies::Body;
use dialogue_desk::db::conferences::Conference;
use dialogue_desk::db::items::Item;
use dialogue_desk::db::users::User;
use dialogue_desk::domain::{BodyId, ItemId, Role};
use reqwest::StatusCode;

/// A logged-in administrator.
async fn admin(app: &TestApp) -> TestSession {
    app.login(&app.add_user(Role::Admin, None)).await
}

/// The fields of the seeded "Tổ chức cán bộ" field with `lead_body_id` as given.
fn cadre_field_form(lead_body_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("code", "to-chuc-can-bo".into()),
        ("name_vi", "Tổ chức cán bộ".into()),
        ("name_en", "Cadre organization and personnel".into()),
        ("lead_body_id", lead_body_id.into()),
        ("sort_order", "10".into()),
        ("active", "on".into()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn an_administrator_creates_a_user_who_can_then_log_in() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let tctu = app.body_id("TCTU").to_string();
    let password = "mật khẩu ban đầu rất dài";

    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", "  Le.Van.Nam@NgheAn.gov.vn "),
                ("full_name", "Lê Văn Nam"),
                ("unit", "Ban Tổ chức Tỉnh ủy"),
                ("role", "drafter"),
                ("body_id", &tctu),
                ("password", password),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/admin/users"));
    let list = admin.get("/admin/users").await;
    assert!(list.body.contains("Lê Văn Nam"), "{}", list.body);
    assert!(list.body.contains("Đã tạo tài khoản."));
    let stored = User::find_by_email(&mut app.conn(), "le.van.nam@nghean.gov.vn")
        .unwrap()
        .expect("the account was stored with a lower-cased email");
    assert_eq!(stored.role(), Role::Drafter);
    assert_eq!(stored.body_id, Some(app.body_id("TCTU")));
    let mut newcomer = app.session();
    let login = newcomer.login("le.van.nam@nghean.gov.vn", password).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(newcomer.get("/queue").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_duplicate_email_is_refused_in_vietnamese_with_the_typed_name_kept() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let existing = app.add_user(Role::Delegate, None);

    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", &existing.email.to_uppercase()),
                ("full_name", "Trần Thị Bích"),
                ("unit", "Sở Tài chính"),
                ("role", "delegate"),
                ("body_id", ""),
                ("password", "một mật khẩu đủ dài"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Địa chỉ thư điện tử này đã được dùng cho một tài khoản khác."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Trần Thị Bích\""));
    assert!(page.body.contains("aria-describedby=\"email-error\""));
}

#[tokio::test]
async fn a_staff_role_without_a_body_is_refused_with_a_message() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", "approver.moi@nghean.gov.vn"),
                ("full_name", "Phạm Minh Đức"),
                ("role", "approver"),
                ("body_id", ""),
                ("password", "một mật khẩu đủ dài"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Vui lòng chọn cơ quan."),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"body_id-error\""));
    let stored = User::find_by_email(&mut app.conn(), "approver.moi@nghean.gov.vn").unwrap();
    assert!(stored.is_none());
}

#[tokio::test]
async fn deactivating_a_user_ends_their_open_session() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let delegate = app.add_user(Role::Delegate, None);
    let their_browser = app.login(&delegate).await;
    assert_eq!(their_browser.get("/my").await.status, StatusCode::OK);

    // An unticked checkbox is simply absent from the form.
    let page = admin
        .post(
            &format!("/admin/users/{}", delegate.id.0),
            &[
                ("full_name", "Người dùng delegate"),
                ("unit", "Sở Thử nghiệm"),
                ("role", "delegate"),
                ("body_id", ""),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let next = their_browser.get("/my").await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    assert_eq!(next.location.as_deref(), Some("/login"));
    let mut again = app.session();
    let login = again.login(&delegate.email, &delegate.password).await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_administrator_can_neither_deactivate_nor_demote_themselves() {
    let app = spawn_app().await;
    let me = app.add_user(Role::Admin, None);
    let admin = app.login(&me).await;

    let page = admin
        .post(
            &format!("/admin/users/{}", me.id.0),
            &[("full_name", "Quản trị viên"), ("role", "delegate")],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("Đồng chí không thể tự bỏ vai trò quản trị của chính mình."));
    assert!(page
        .body
        .contains("Đồng chí không thể tự khoá tài khoản của chính mình."));
    let stored = User::find(&mut app.conn(), me.id).unwrap().unwrap();
    assert!(stored.active);
    assert_eq!(stored.role(), Role::Admin);
}

#[tokio::test]
async fn changing_a_fields_lead_body_routes_new_submissions_to_the_new_body() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let field = app.field_id("to-chuc-can-bo");
    let before = delegate
        .submit_proposal(
            "Kiến nghị trước khi đổi",
            "Nội dung gửi trước khi đổi bảng.",
            field,
        )
        .await;
    let tgtu = app.body_id("TGTU");

    let form = cadre_field_form(&tgtu.to_string());
    let page = admin
        .post(&format!("/admin/fields/{field}"), &borrowed(&form))
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let after = delegate
        .submit_proposal(
            "Kiến nghị sau khi đổi",
            "Nội dung gửi sau khi đổi bảng.",
            field,
        )
        .await;
    let lead = |id| {
        Item::find(&mut app.conn(), ItemId(id))
            .unwrap()
            .unwrap()
            .lead_body_id
    };
    assert_eq!(lead(after), Some(tgtu));
    assert_eq!(lead(before), Some(app.body_id("TCTU")));
    let table = admin.get("/admin/fields").await;
    assert!(table.body.contains("Ban Tuyên giáo Tỉnh ủy"));

    // "None" sends new items to the coordinators' triage.
    let form = cadre_field_form("");
    let page = admin
        .post(&format!("/admin/fields/{field}"), &borrowed(&form))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let untriaged = delegate
        .submit_proposal(
            "Kiến nghị chờ phân loại",
            "Nội dung chờ điều phối phân loại.",
            field,
        )
        .await;
    assert_eq!(lead(untriaged), None);
}

#[tokio::test]
async fn a_conference_with_a_response_period_of_zero_is_refused() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let form = |days: &'static str| {
        vec![
            ("name", "Hội nghị đối thoại năm 2024"),
            ("theme", "Đoàn kết - Kỷ cương - Đổi mới"),
            ("held_on", "2024-06-01"),
            ("notice_number", "1024-TB/TU"),
            ("reference_prefix", "DT-2024"),
            ("response_days", days),
            ("triage_days", "2"),
            ("drafting_days", "10"),
            ("approval_days", "3"),
            ("publication_days", "2"),
            ("due_soon_days", "2"),
            ("escalate_to_head_after", "2"),
            ("escalate_to_coordinators_after", "5"),
        ]
    };

    let page = admin.post("/admin/conferences", &form("0")).await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Thời hạn trả lời phải là số ngày làm việc từ 1 đến 365."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Hội nghị đối thoại năm 2024\""));
    assert_eq!(Conference::all(&mut app.conn()).unwrap().len(), 1);

    let page = admin.post("/admin/conferences", &form("45")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let list = admin.get("/admin/conferences").await;
    assert!(list.body.contains("Hội nghị đối thoại năm 2024"));
    let stored = Conference::all(&mut app.conn()).unwrap();
    let added = stored
        .iter()
        .find(|c| c.notice_number == "1024-TB/TU")
        .unwrap();
    assert_eq!(added.held_on.to_string(), "2024-06-01");
    assert_eq!(added.response_days, 45);
    assert!(!added.open_for_submissions);
}

#[tokio::test]
async fn nobody_but_an_administrator_reaches_any_admin_page_or_form() {
    let app = spawn_app().await;
    let user = app.add_user(Role::Delegate, None);
    let body = app.body_id("TCTU");
    let field = app.field_id("to-chuc-can-bo");
    let conference = Conference::all(&mut app.conn()).unwrap()[0].id;
    let pages = [
        "/admin/users".to_owned(),
        "/admin/users/new".to_owned(),
        format!("/admin/users/{}", user.id.0),
        "/admin/bodies".to_owned(),
        "/admin/bodies/new".to_owned(),
        format!("/admin/bodies/{body}"),
        "/admin/fields".to_owned(),
        "/admin/fields/new".to_owned(),
        format!("/admin/fields/{field}"),
        "/admin/conferences".to_owned(),
        "/admin/conferences/new".to_owned(),
        format!("/admin/conferences/{conference}"),
    ];
    let posts = [
        "/admin/users".to_owned(),
        format!("/admin/users/{}", user.id.0),
        "/admin/bodies".to_owned(),
        format!("/admin/bodies/{body}"),
        "/admin/fields".to_owned(),
        format!("/admin/fields/{field}"),
        "/admin/conferences".to_owned(),
        format!("/admin/conferences/{conference}"),
    ];
    let form = [
        ("email", "ke.gian@nghean.gov.vn"),
        ("full_name", "Kẻ gian"),
        ("role", "admin"),
        ("password", "một mật khẩu đủ dài"),
        ("code", "XAM"),
        ("name_vi", "Đã bị sửa"),
        ("name_en", "Tampered"),
        ("name", "Đã bị sửa"),
        ("held_on", "2024-01-01"),
        ("response_days", "10"),
        ("sort_order", "1"),
        ("active", "on"),
    ];

    for (role, body_code) in [(Role::Delegate, None), (Role::Coordinator, Some("DUK"))] {
        let session = app.login(&app.add_user(role, body_code)).await;
        for path in &pages {
            let page = session.get(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{role:?} GET {path}");
        }
        for path in &posts {
            let page = session.post(path, &form).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{role:?} POST {path}");
        }
    }
    let mut conn = app.conn();
    assert!(User::find_by_email(&mut conn, "ke.gian@nghean.gov.vn")
        .unwrap()
        .is_none());
    assert!(Body::find_by_code(&mut conn, "XAM").unwrap().is_none());
    let tctu = Body::find(&mut conn, BodyId(body)).unwrap().unwrap();
    assert_eq!(tctu.name_vi, "Ban Tổ chức Tỉnh ủy");
}

#[tokio::test]
async fn an_administrator_adds_a_body_and_edits_it() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/bodies",
            &[
                ("code", " BDVTU "),
                ("name_vi", "Ban Dân vận Tỉnh ủy"),
                ("name_en", "Mass Mobilization Commission"),
                ("active", "on"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/admin/bodies"));
    let list = admin.get("/admin/bodies").await;
    assert!(list.body.contains("Ban Dân vận Tỉnh ủy"));
    let body = Body::find_by_code(&mut app.conn(), "BDVTU")
        .unwrap()
        .unwrap();
    assert!(body.active && !body.is_coordinating);

    let page = admin
        .post(
            &format!("/admin/bodies/{}", body.id),
            &[
                ("code", "BDVTU"),
                ("name_vi", "Ban Dân vận Tỉnh ủy Nghệ An"),
                ("name_en", "Provincial Mass Mobilization Commission"),
                ("is_coordinating", "on"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let edited = Body::find(&mut app.conn(), BodyId(body.id))
        .unwrap()
        .unwrap();
    assert_eq!(edited.name_vi, "Ban Dân vận Tỉnh ủy Nghệ An");
    assert!(edited.is_coordinating);
    assert!(!edited.active);
    let form = admin.get(&format!("/admin/bodies/{}", body.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Ban Dân vận Tỉnh ủy Nghệ An\""));
}

#[tokio::test]
async fn a_duplicate_body_code_gives_a_message() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    let page = admin
        .post(
            "/admin/bodies",
            &[
                ("code", "TCTU"),
                ("name_vi", "Ban trùng mã"),
                ("name_en", "Duplicate code"),
                ("active", "on"),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Mã này đã được dùng, hãy chọn mã khác."),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Ban trùng mã\""));

    let tgtu = app.body_id("TGTU");
    let page = admin
        .post(
            &format!("/admin/bodies/{tgtu}"),
            &[
                ("code", "TCTU"),
                ("name_vi", "Ban Tuyên giáo Tỉnh ủy"),
                ("name_en", "Propaganda Department"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Mã này đã được dùng, hãy chọn mã khác."));
}

#[tokio::test]
async fn a_body_that_leads_a_field_cannot_be_deactivated() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let tgtu = app.body_id("TGTU");

    let page = admin
        .post(
            &format!("/admin/bodies/{tgtu}"),
            &[
                ("code", "TGTU"),
                ("name_vi", "Ban Tuyên giáo Tỉnh ủy"),
                (
                    "name_en",
                    "Provincial Party Committee's Propaganda Department",
                ),
            ],
        )
        .await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("đổi bảng phân công trước"),
        "{}",
        page.body
    );
    assert!(
        Body::find(&mut app.conn(), BodyId(tgtu))
            .unwrap()
            .unwrap()
            .active
    );
}

/// The conference form with `prefix` as its reference prefix.
fn conference_form(prefix: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Hội nghị đối thoại năm 2024".to_owned()),
        ("theme", "Đoàn kết - Kỷ cương".to_owned()),
        ("held_on", "2024-06-01".to_owned()),
        ("notice_number", "1024-TB/TU".to_owned()),
        ("reference_prefix", prefix.to_owned()),
        ("response_days", "30".to_owned()),
        ("triage_days", "2".to_owned()),
        ("drafting_days", "10".to_owned()),
        ("approval_days", "3".to_owned()),
        ("publication_days", "2".to_owned()),
        ("due_soon_days", "2".to_owned()),
        ("escalate_to_head_after", "2".to_owned()),
        ("escalate_to_coordinators_after", "5".to_owned()),
    ]
}

async fn post_conference(admin: &TestSession, path: &str, prefix: &str) -> crate::helpers::Page {
    let form = conference_form(prefix);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    admin.post(path, &fields).await
}

#[tokio::test]
async fn the_conference_form_shows_and_saves_the_reference_prefix() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let seeded = Conference::all(&mut app.conn()).unwrap()[0].clone();

    let form = admin
        .get(&format!("/admin/conferences/{}", seeded.id))
        .await;
    assert!(
        form.body.contains("name=\"reference_prefix\"")
            && form
                .body
                .contains(&format!("value=\"{}\"", seeded.reference_prefix)),
        "{}",
        form.body
    );

    let page = post_conference(&admin, "/admin/conferences", "DT-2024").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let stored = Conference::all(&mut app.conn()).unwrap();
    let added = stored.iter().find(|c| c.id != seeded.id).unwrap();
    assert_eq!(added.reference_prefix, "DT-2024");
}

#[tokio::test]
async fn a_reference_prefix_that_is_not_capitals_digits_and_inner_hyphens_is_refused() {
    let app = spawn_app().await;
    let admin = admin(&app).await;

    for (bad, message) in [
        ("", "Hãy nhập tiền tố số hiệu"),
        ("KN-", "Chỉ dùng chữ in hoa không dấu và chữ số"),
        ("ĐT", "Chỉ dùng chữ in hoa không dấu và chữ số"),
        ("KN--2024", "Chỉ dùng chữ in hoa không dấu và chữ số"),
        ("KN-2024-HOI-NGHI-DOI-THOAI", "quá dài"),
    ] {
        let page = post_conference(&admin, "/admin/conferences", bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(page.body.contains(message), "{bad:?}: {}", page.body);
        assert!(
            page.body.contains(&format!("value=\"{bad}\"")),
            "the typed prefix is kept: {bad:?}"
        );
    }
    assert_eq!(Conference::all(&mut app.conn()).unwrap().len(), 1);

    let mut english = admin;
    english
        .post("/language", &[("lang", "en"), ("next", "/")])
        .await;
    english.refresh_csrf().await;
    let page = post_conference(&english, "/admin/conferences", "kn_1").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Use capital letters and digits, in parts joined by single hyphens"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_prefix_already_used_by_another_conference_is_refused_beside_the_field() {
    let app = spawn_app().await;
    let admin = admin(&app).await;
    let seeded = Conference::all(&mut app.conn()).unwrap()[0].clone();

    let page = post_conference(&admin, "/admin/conferences", &seeded.reference_prefix).await;

    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Tiền tố số hiệu này đã được hội nghị khác sử dụng"),
        "{}",
        page.body
    );
    assert_eq!(Conference::all(&mut app.conn()).unwrap().len(), 1);
    // A conference keeps its own prefix when it is edited.
    let path = format!("/admin/conferences/{}", seeded.id);
    let page = post_conference(&admin, &path, &seeded.reference_prefix).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}
