//! The whole life of an item through the pages, as the people involved do it.

use crate::helpers::{spawn_app, TestApp, TestSession};
use dialogue_desk::domain::Role;
use reqwest::StatusCode;

struct Cast {
    delegate: TestSession,
    drafter: TestSession,
    approver: TestSession,
    coordinator: TestSession,
}

async fn cast(app: &TestApp) -> Cast {
    Cast {
        delegate: app.login(&app.add_user(Role::Delegate, None)).await,
        drafter: app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await,
        approver: app.login(&app.add_user(Role::Approver, Some("TCTU"))).await,
        coordinator: app
            .login(&app.add_user(Role::Coordinator, Some("DUK")))
            .await,
    }
}

#[tokio::test]
async fn a_proposal_goes_from_submission_to_a_rated_answer() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let field = app.field_id("to-chuc-can-bo");

    // The delegate files an item; it gets a reference and lands in the Organizing
    // Committee's queue.
    let id = people
        .delegate
        .submit_proposal(
            "Tiêu chuẩn bổ nhiệm lại",
            "Đề nghị ban hành hướng dẫn thống nhất.\nDòng thứ hai.",
            field,
        )
        .await;
    let confirmation = people
        .delegate
        .get(&format!("/proposals/{id}/submitted"))
        .await;
    assert!(
        confirmation.body.contains("KN-2023-0001"),
        "{}",
        confirmation.body
    );
    let queue = people.drafter.get("/queue").await;
    assert!(queue.body.contains("KN-2023-0001"));

    // Drafted, sent for review, returned once, re-drafted, approved.
    let item = format!("/items/{id}");
    let saved = people
        .drafter
        .post(
            &format!("{item}/draft"),
            &[
                ("text", "Bản nháp đầu tiên."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let review = people.approver.get("/review").await;
    assert!(review.body.contains("KN-2023-0001"));
    let returned = people
        .approver
        .post(
            &format!("{item}/return"),
            &[("text", "Cần nêu rõ thời hạn.")],
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER);
    let drafter_view = people.drafter.get(&item).await;
    assert!(drafter_view.body.contains("Cần nêu rõ thời hạn."));
    people
        .drafter
        .post_ok(
            &format!("{item}/draft"),
            &[
                ("text", "Ban sẽ ban hành hướng dẫn trước 30/9/2023."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    let approved = people.approver.post(&format!("{item}/approve"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);

    // Before publication the delegate does not see the answer.
    let before = people.delegate.get(&item).await;
    assert!(!before.body.contains("trước 30/9/2023"));
    assert!(
        !before.body.contains("Cần nêu rõ thời hạn."),
        "internal comments stay internal"
    );

    // The coordinator publishes; the delegate reads the answer and rates it.
    let published = people
        .coordinator
        .post(&format!("{item}/publish"), &[])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let after = people.delegate.get(&item).await;
    assert!(
        after
            .body
            .contains("Ban sẽ ban hành hướng dẫn trước 30&#x2F;9&#x2F;2023."),
        "{}",
        after.body
    );
    assert!(after.body.contains("Đã trả lời"));
    let rated = people
        .delegate
        .post(
            &format!("{item}/satisfaction"),
            &[("level", "partly"), ("text", "Cần cụ thể hơn.")],
        )
        .await;
    assert_eq!(rated.status, StatusCode::SEE_OTHER);
    let coordinator_view = people.coordinator.get(&item).await;
    assert!(coordinator_view.body.contains("Hài lòng một phần"));
    assert!(coordinator_view.body.contains("Cần cụ thể hơn."));
    // The timeline shows each step to the staff.
    for step in [
        "Trình phê duyệt",
        "Trả lại để soạn tiếp",
        "Phê duyệt dự thảo",
        "Công bố câu trả lời",
    ] {
        assert!(
            coordinator_view.body.contains(step),
            "timeline lacks {step}"
        );
    }
}

#[tokio::test]
async fn editing_an_approved_answer_needs_a_new_review() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let id = people
        .delegate
        .submit_proposal(
            "Một đề xuất",
            "Nội dung đề xuất đủ dài.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let item = format!("/items/{id}");
    people
        .drafter
        .post_ok(
            &format!("{item}/draft"),
            &[
                ("text", "Trả lời A."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    people
        .approver
        .post_ok(&format!("{item}/approve"), &[])
        .await;
    people
        .drafter
        .post_ok(
            &format!("{item}/draft"),
            &[("text", "Trả lời B."), ("intent", "save")],
        )
        .await;
    let refused = people
        .coordinator
        .post(&format!("{item}/publish"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let delegate_view = people.delegate.get(&item).await;
    assert!(!delegate_view.body.contains("Trả lời A."));
}

#[tokio::test]
async fn the_coordinator_sends_an_approved_answer_back_and_publishes_a_selection() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let field = app.field_id("to-chuc-can-bo");
    let mut ids = Vec::new();
    for n in 1..=3 {
        let id = people
            .delegate
            .submit_proposal(
                &format!("Đề xuất số {n}"),
                "Nội dung đề xuất đủ dài.",
                field,
            )
            .await;
        people
            .drafter
            .post_ok(
                &format!("/items/{id}/draft"),
                &[
                    ("text", &format!("Trả lời {n}.")),
                    ("intent", "review"),
                    ("outcome", "explained"),
                ],
            )
            .await;
        people
            .approver
            .post_ok(&format!("/items/{id}/approve"), &[])
            .await;
        ids.push(id);
    }
    // The premise: all three answers are approved and wait for publication.
    let before = people.coordinator.get("/publish").await;
    for reference in ["KN-2023-0001", "KN-2023-0002", "KN-2023-0003"] {
        assert!(
            before.body.contains(reference),
            "{reference} is not approved"
        );
    }
    let sent_back = people
        .coordinator
        .post(
            &format!("/items/{}/send-back", ids[2]),
            &[("text", "Bổ sung số liệu.")],
        )
        .await;
    assert_eq!(sent_back.status, StatusCode::SEE_OTHER);
    let drafter_view = people.drafter.get(&format!("/items/{}", ids[2])).await;
    assert!(drafter_view.body.contains("Bổ sung số liệu."));
    assert!(drafter_view.body.contains("Đang soạn trả lời"));

    let to_publish = people.coordinator.get("/publish").await;
    assert!(to_publish.body.contains("KN-2023-0001") && to_publish.body.contains("KN-2023-0002"));
    assert!(
        !to_publish.body.contains("KN-2023-0003"),
        "the answer sent back no longer waits for publication"
    );
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let published = people
        .coordinator
        .post("/publish", &[("item", &a), ("item", &b)])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let mine = people.delegate.get("/my").await;
    assert_eq!(
        mine.body.matches("status status-published").count(),
        2,
        "{}",
        mine.body
    );
}

#[tokio::test]
async fn re_routing_moves_the_item_to_the_new_bodys_queue_and_tells_the_delegate() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let propaganda = app.login(&app.add_user(Role::Drafter, Some("TGTU"))).await;
    let id = people
        .delegate
        .submit_proposal(
            "Tuyên truyền kết luận",
            "Nội dung về tuyên truyền.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let body = app.body_id("TGTU").to_string();
    let missing_reason = people
        .coordinator
        .post(
            &format!("/items/{id}/route"),
            &[("body_id", &body), ("text", "")],
        )
        .await;
    assert_eq!(missing_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let routed = people
        .coordinator
        .post(
            &format!("/items/{id}/route"),
            &[("body_id", &body), ("text", "Thuộc lĩnh vực tuyên truyền.")],
        )
        .await;
    assert_eq!(routed.status, StatusCode::SEE_OTHER);
    assert!(propaganda.get("/queue").await.body.contains("KN-2023-0001"));
    assert!(!people
        .drafter
        .get("/queue")
        .await
        .body
        .contains("KN-2023-0001"));
    assert_eq!(
        people.drafter.get(&format!("/items/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let delegate_view = people.delegate.get(&format!("/items/{id}")).await;
    assert!(delegate_view.body.contains("Ban Tuyên giáo Tỉnh ủy"));
}

#[tokio::test]
async fn a_coordinating_body_sees_the_item_and_adds_notes_but_cannot_draft() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let helper = app.login(&app.add_user(Role::Drafter, Some("TGTU"))).await;
    let id = people
        .delegate
        .submit_proposal(
            "Cần phối hợp",
            "Nội dung cần phối hợp.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    assert_eq!(
        helper.get(&format!("/items/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let body = app.body_id("TGTU").to_string();
    people
        .coordinator
        .post_ok(
            &format!("/items/{id}/coordinating-bodies"),
            &[("body_id", &body)],
        )
        .await;
    let seen = helper.get(&format!("/items/{id}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    let listed = helper.get("/coordinating").await;
    assert!(listed.body.contains("KN-2023-0001"), "{}", listed.body);
    assert!(!helper.get("/queue").await.body.contains("KN-2023-0001"));
    let noted = helper
        .post(
            &format!("/items/{id}/notes"),
            &[("text", "Ban Tuyên giáo góp ý.")],
        )
        .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    assert!(people
        .drafter
        .get(&format!("/items/{id}"))
        .await
        .body
        .contains("Ban Tuyên giáo góp ý."));
    assert!(!people
        .delegate
        .get(&format!("/items/{id}"))
        .await
        .body
        .contains("Ban Tuyên giáo góp ý."));
    let drafted = helper
        .post(
            &format!("/items/{id}/draft"),
            &[("text", "Không được."), ("intent", "save")],
        )
        .await;
    assert_eq!(drafted.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_delegate_withdraws_before_drafting_but_not_after() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let field = app.field_id("to-chuc-can-bo");
    let early = people
        .delegate
        .submit_proposal("Rút sớm", "Nội dung đề xuất rút sớm.", field)
        .await;
    let late = people
        .delegate
        .submit_proposal("Rút muộn", "Nội dung đề xuất rút muộn.", field)
        .await;
    let no_reason = people
        .delegate
        .post(&format!("/items/{early}/withdraw"), &[("text", "  ")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Vui lòng nhập nội dung."));
    let withdrawn = people
        .delegate
        .post(
            &format!("/items/{early}/withdraw"),
            &[("text", "Đã tự giải quyết.")],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert!(people
        .delegate
        .get(&format!("/items/{early}"))
        .await
        .body
        .contains("Đã rút"));

    people
        .drafter
        .post_ok(
            &format!("/items/{late}/draft"),
            &[("text", "Đang soạn."), ("intent", "save")],
        )
        .await;
    let too_late = people
        .delegate
        .post(&format!("/items/{late}/withdraw"), &[("text", "Muốn rút.")])
        .await;
    assert_eq!(too_late.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn merged_items_share_one_answer() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let other_delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let field = app.field_id("to-chuc-can-bo");
    let first = people
        .delegate
        .submit_proposal("Đào tạo cán bộ", "Nội dung về đào tạo cán bộ.", field)
        .await;
    let second = other_delegate
        .submit_proposal("Bồi dưỡng cán bộ", "Nội dung trùng về bồi dưỡng.", field)
        .await;
    let merged = people
        .coordinator
        .post(
            &format!("/items/{second}/merge"),
            &[("target", "kn-2023-0001"), ("text", "Trùng nội dung")],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    people
        .drafter
        .post_ok(
            &format!("/items/{first}/draft"),
            &[
                ("text", "Trả lời chung."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    people
        .approver
        .post_ok(&format!("/items/{first}/approve"), &[])
        .await;
    people
        .coordinator
        .post_ok(&format!("/items/{first}/publish"), &[])
        .await;
    let seen_by_second = other_delegate.get(&format!("/items/{second}")).await;
    assert!(
        seen_by_second.body.contains("Trả lời chung."),
        "{}",
        seen_by_second.body
    );
    assert!(seen_by_second.body.contains("Đã gộp"));
}

#[tokio::test]
async fn search_without_diacritics_finds_vietnamese_text() {
    let app = spawn_app().await;
    let people = cast(&app).await;
    let field = app.field_id("to-chuc-can-bo");
    people
        .delegate
        .submit_proposal("Luân chuyển cán bộ trẻ", "Nội dung về luân chuyển.", field)
        .await;
    people
        .delegate
        .submit_proposal("Số hóa hồ sơ", "Nội dung về số hóa.", field)
        .await;
    let found = people.drafter.get("/queue?q=can+bo+tre").await;
    assert!(found.body.contains("Luân chuyển cán bộ trẻ"));
    assert!(!found.body.contains("Số hóa hồ sơ"));
}
