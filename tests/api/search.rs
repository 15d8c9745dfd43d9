//! Issue 12: search through a real index (FTS5 on SQLite, built-in full text on
//! PostgreSQL): accent-insensitive, by word prefix, over the answer's text too,
//! ranked by relevance, inside the viewer's scope, and never an error whatever is
//! typed.

use dialogue_desk::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestSession};

/// Whether a list page links to item `id`.
fn lists(body: &str, id: i32) -> bool {
    body.contains(&format!("href=\"/items/{id}\""))
}

/// Where a list page links to item `id` (panics when it does not).
fn place_of(body: &str, id: i32) -> usize {
    body.find(&format!("href=\"/items/{id}\""))
        .unwrap_or_else(|| panic!("item {id} is listed"))
}

/// A TCTU drafter, and a delegate filing into TCTU's field.
async fn desk() -> (TestApp, TestSession, TestSession) {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    (app, delegate, drafter)
}

#[tokio::test]
async fn words_typed_without_accents_or_cut_short_find_the_item() {
    let (app, delegate, drafter) = desk().await;
    let field = app.field_id("to-chuc-can-bo");
    let cadres = delegate
        .submit_proposal(
            "Bố trí cán bộ trẻ về cơ sở",
            "Đề nghị có chính sách luân chuyển.",
            field,
        )
        .await;
    let party = delegate
        .submit_proposal(
            "Công tác xây dựng Đảng ở chi bộ",
            "Đề nghị sửa quy chế sinh hoạt.",
            field,
        )
        .await;
    for q in [
        "can+bo",
        "c%C3%A1n+b%E1%BB%99",
        "CAN+BO",
        "can+b",
        "bo+tr",
        "luan",
    ] {
        let page = drafter.get(&format!("/queue?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(lists(&page.body, cadres), "q={q} finds \"cán bộ\"");
        assert!(!lists(&page.body, party), "q={q} leaves the other item out");
    }
    let party_page = drafter.get("/queue?q=Dang").await;
    assert!(lists(&party_page.body, party), "\"Dang\" finds \"Đảng\"");
    assert!(!lists(&party_page.body, cadres));
    // The reference is searchable too, by its parts.
    let reference = drafter.get(&format!("/items/{party}")).await;
    let number = reference
        .body
        .split("KN-")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .next()
        })
        .expect("a reference on the item page")
        .to_owned();
    let by_reference = drafter.get(&format!("/queue?q=KN-{number}")).await;
    assert!(
        lists(&by_reference.body, party),
        "the reference KN-{number} finds it"
    );
    assert!(!lists(&by_reference.body, cadres));
    let nothing = drafter.get("/queue?q=khong+co+tu+nay").await;
    assert!(!lists(&nothing.body, cadres) && !lists(&nothing.body, party));
}

#[tokio::test]
async fn a_word_of_the_published_answer_finds_the_item() {
    let (app, delegate, drafter) = desk().await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let item = delegate
        .submit_proposal(
            "Bố trí cán bộ trẻ về cơ sở",
            "Đề nghị có chính sách luân chuyển.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let path = |action: &str| format!("/items/{item}/{action}");
    drafter
        .post_ok(
            &path("draft"),
            &[
                ("text", "Ban Tổ chức sẽ ban hành hướng dẫn thí điểm."),
                ("outcome", "explained"),
                ("intent", "review"),
            ],
        )
        .await;
    approver.post_ok(&path("approve"), &[]).await;
    // A draft is not the answer yet: its words find nothing.
    assert!(!lists(
        &coordinator.get("/items?q=thi+diem").await.body,
        item
    ));
    coordinator.post_ok(&path("publish"), &[]).await;
    assert!(lists(
        &coordinator.get("/items?q=thi+diem").await.body,
        item
    ));
    assert!(lists(&drafter.get("/queue?q=huong+dan").await.body, item));
    // What the item was found by before is still there.
    assert!(lists(&drafter.get("/queue?q=can+bo+tre").await.body, item));
    let report = drafter.get("/reports/thematic?q=thi+diem").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(
        report.body.contains("Bố trí cán bộ trẻ về cơ sở"),
        "the report finds it too"
    );
}

#[tokio::test]
async fn the_item_about_the_words_ranks_before_one_that_mentions_them_once() {
    let (app, delegate, drafter) = desk().await;
    let field = app.field_id("to-chuc-can-bo");
    // Filed first, so that neither filing order nor id puts the better match first.
    let mention = delegate
        .submit_proposal(
            "Cải cách thủ tục hành chính trong cơ quan Đảng",
            "Đề nghị rút gọn hồ sơ, giảm giấy tờ, công khai quy trình, tăng cường \
             kiểm tra, và trong lộ trình đó có chuyển đổi số ở một vài khâu nhỏ.",
            field,
        )
        .await;
    let about = delegate
        .submit_proposal(
            "Chuyển đổi số",
            "Đẩy mạnh chuyển đổi số trong các cơ quan.",
            field,
        )
        .await;
    let page = drafter.get("/queue?q=chuyen+doi+so").await;
    assert!(
        place_of(&page.body, about) < place_of(&page.body, mention),
        "the exact title first"
    );
    // The list says how it is ordered, and another order chosen is kept.
    assert!(page.body.contains("value=\"relevance\" selected"));
    let newest = drafter.get("/queue?q=chuyen+doi+so&sort=newest").await;
    assert!(place_of(&newest.body, about) < place_of(&newest.body, mention));
    let by_deadline = drafter.get("/queue?q=chuyen+doi+so&sort=deadline").await;
    assert!(place_of(&by_deadline.body, mention) < place_of(&by_deadline.body, about));
    // The delegate's own list ranks the same way.
    let mine = delegate.get("/my?q=chuyen+doi+so").await;
    assert!(place_of(&mine.body, about) < place_of(&mine.body, mention));
}

#[tokio::test]
async fn a_search_stays_inside_the_viewers_scope() {
    let (app, delegate, drafter) = desk().await;
    let ours = delegate
        .submit_proposal(
            "Đào tạo cán bộ quản lý",
            "Đề nghị mở lớp bồi dưỡng.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let theirs = delegate
        .submit_proposal(
            "Đào tạo cán bộ kinh tế",
            "Đề nghị mở lớp bồi dưỡng về đầu tư.",
            app.field_id("kinh-te-xa-hoi"),
        )
        .await;
    for path in ["/queue?q=dao+tao+can+bo", "/items?q=dao+tao+can+bo"] {
        let page = drafter.get(path).await;
        if page.status == StatusCode::OK {
            assert!(
                !lists(&page.body, theirs),
                "{path}: another body's item stays out"
            );
        }
    }
    assert!(lists(
        &drafter.get("/queue?q=dao+tao+can+bo").await.body,
        ours
    ));
    // Another delegate finds neither.
    let stranger = app.login(&app.add_user(Role::Delegate, None)).await;
    let mine = stranger.get("/my?q=dao+tao").await;
    assert!(!lists(&mine.body, ours) && !lists(&mine.body, theirs));
}

#[tokio::test]
async fn search_syntax_typed_in_the_box_is_searched_as_words() {
    let (app, delegate, drafter) = desk().await;
    let item = delegate
        .submit_proposal(
            "Bố trí cán bộ trẻ về cơ sở",
            "Đề nghị có chính sách luân chuyển.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    // Each of these still finds the item: the syntax characters are dropped.
    for q in [
        "%22can+bo",
        "%22can%22+%22bo%22",
        "can*",
        "-bo",
        "can%29+%28bo",
        "%5Ccan%25+bo_",
    ] {
        let page = drafter.get(&format!("/queue?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "q={q}");
        assert!(lists(&page.body, item), "q={q} finds the item");
    }
    // Operators are plain words that must match: never an error, on any list.
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    for q in [
        "can+OR+bo",
        "NEAR%28can+bo%29",
        "can+AND+NOT+bo",
        "bo+%5E",
        "%27%3B+DROP",
    ] {
        for (who, list) in [
            (&drafter, "/queue"),
            (&coordinator, "/items"),
            (&coordinator, "/triage"),
            (&drafter, "/reports/thematic"),
            (&delegate, "/my"),
        ] {
            let page = who.get(&format!("{list}?q={q}")).await;
            assert_eq!(page.status, StatusCode::OK, "{list}?q={q}");
        }
    }
    let or = drafter.get("/queue?q=can+OR+bo").await;
    assert!(!lists(&or.body, item), "\"or\" is a word the item lacks");
    // Only punctuation filters nothing: the whole queue.
    let punctuation = drafter.get("/queue?q=%22*+-+%28").await;
    assert_eq!(punctuation.status, StatusCode::OK);
    assert!(lists(&punctuation.body, item));
}
