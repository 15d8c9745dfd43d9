//! The demo data (`SEED_DEMO`): every body's flow can be tried with its own
//! accounts.

use crate::helpers::{spawn_demo_app, TestUser};
use dialogue_desk::domain::UserId;
use reqwest::StatusCode;

const DEMO_PASSWORD: &str = "mật khẩu demo 2023";

#[tokio::test]
async fn each_body_has_a_demo_drafter_and_approver_who_find_its_work() {
    let app = spawn_demo_app(DEMO_PASSWORD).await;
    // Account, page, and a demo item of the account's body that page lists.
    let cases = [
        (
            "chuyenvien@demo.vn",
            "/queue",
            "Thay thế cán bộ vi phạm kỷ luật",
        ),
        (
            "lanhdao@demo.vn",
            "/review",
            "Đào tạo kỹ năng số cho cán bộ cấp phòng",
        ),
        (
            "chuyenvien.ubnd@demo.vn",
            "/queue",
            "Cơ chế thu hút đầu tư vào khu kinh tế Đông Nam",
        ),
        (
            "lanhdao.ubnd@demo.vn",
            "/queue",
            "Rút ngắn thời gian cấp phép xây dựng",
        ),
        (
            "chuyenvien.tuyengiao@demo.vn",
            "/queue",
            "Tuyên truyền kết luận hội nghị trên mạng xã hội",
        ),
        (
            "lanhdao.tuyengiao@demo.vn",
            "/review",
            "Tuyên truyền kết luận hội nghị trên mạng xã hội",
        ),
        (
            "chuyenvien.dangkhoi@demo.vn",
            "/queue",
            "Tổ chức đối thoại định kỳ hằng năm",
        ),
        (
            "lanhdao.dangkhoi@demo.vn",
            "/queue",
            "Tổ chức đối thoại định kỳ hằng năm",
        ),
        (
            "chuyenvien.vanphong@demo.vn",
            "/coordinating",
            "Tổ chức đối thoại định kỳ hằng năm",
        ),
        (
            "lanhdao.vanphong@demo.vn",
            "/coordinating",
            "Tổ chức đối thoại định kỳ hằng năm",
        ),
    ];
    for (email, path, title) in cases {
        let user = TestUser {
            id: UserId(0),
            email: email.into(),
            password: DEMO_PASSWORD.into(),
        };
        let session = app.login(&user).await;
        let page = session.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{email} opens {path}");
        assert!(
            page.body.contains(title),
            "{email} does not find \"{title}\" in {path}: {}",
            page.body
        );
    }
}

#[tokio::test]
async fn the_demo_text_names_the_standing_committee_as_the_notice_does() {
    let app = spawn_demo_app(DEMO_PASSWORD).await;
    let user = TestUser {
        id: UserId(0),
        email: "dieuphoi@demo.vn".into(),
        password: DEMO_PASSWORD.into(),
    };
    let coordinator = app.login(&user).await;
    let all = coordinator.get("/items?q=doi+thoai+dinh+ky").await;
    assert_eq!(all.status, StatusCode::OK);
    let id = all
        .body
        .split("href=\"/items/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the item is listed")
        .to_owned();
    let item = coordinator.get(&format!("/items/{id}")).await;
    assert!(item.body.contains("Ban Thường vụ Tỉnh ủy"), "{}", item.body);
    assert!(!item.body.contains("Thường trực Tỉnh ủy"));
}

#[tokio::test]
async fn a_newcomer_sees_items_overdue_due_soon_in_time_and_paused() {
    let app = spawn_demo_app(DEMO_PASSWORD).await;
    let login = |email: &str| TestUser {
        id: UserId(0),
        email: email.into(),
        password: DEMO_PASSWORD.into(),
    };
    let drafter = app.login(&login("chuyenvien@demo.vn")).await;
    let queue = drafter.get("/queue").await;
    for urgency in ["overdue", "due_soon", "in_time"] {
        assert!(
            queue.body.contains(&format!(
                "class=\"badge urgency-{urgency}\" href=\"&#x2F;queue?urgency={urgency}\"><span class=\"n\">1</span>"
            )),
            "one {urgency} item in the Organizing Committee's queue: {}",
            queue.body
        );
    }
    assert!(queue.body.contains("urgency-overdue\">Quá hạn</span>"));
    let coordinator = app.login(&login("dieuphoi@demo.vn")).await;
    let page = coordinator.get("/deadlines").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Đào tạo kỹ năng số cho cán bộ cấp phòng"));
    let paused = coordinator.get("/items?urgency=paused").await;
    assert!(paused.body.contains("Rút ngắn thời gian cấp phép xây dựng"));
    assert!(paused.body.contains("urgency-paused\">Tạm dừng</span>"));
}

#[tokio::test]
async fn a_newcomer_sees_the_notices_own_tasks_on_the_monitoring_page() {
    let app = spawn_demo_app(DEMO_PASSWORD).await;
    let user = TestUser {
        id: UserId(0),
        email: "dieuphoi@demo.vn".into(),
        password: DEMO_PASSWORD.into(),
    };
    let coordinator = app.login(&user).await;
    let start = coordinator.get("/monitoring").await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let page = coordinator.get(start.location.as_deref().unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    for task in [
        "xử lý, thay thế cán bộ vi phạm kỷ luật",
        "bổ sung, điều chỉnh những khó khăn, bất cập về chính sách",
        "Tăng cường thông tin, tuyên truyền",
        "Theo dõi, kiểm tra các tổ chức, cá nhân liên quan",
    ] {
        assert!(page.body.contains(task), "{task}: {}", page.body);
    }
    // The Organizing Committee's 20 working days have run out; propagation is
    // under way, with the Agencies Bloc Party Committee coordinating.
    assert!(page.body.contains("class=\"badge urgency-overdue\""));
    assert!(page.body.contains("Đang thực hiện"));
    assert!(page
        .body
        .contains("Phối hợp: Đảng ủy Khối các cơ quan tỉnh"));
}
