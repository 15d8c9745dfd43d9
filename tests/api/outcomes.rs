//! The answer's outcome and the commitments written with it (issue 10): the
//! drafting form asks the outcome and what it needs, an accepted answer carries
//! commitments, the approver approves both with the text, and publication sets
//! the outcome on the item, starts the commitments' clocks and tells their bodies.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use reqwest::StatusCode;
use std::time::Duration;

use crate::helpers::{spawn_app, TestApp, TestSession, TestUser};
use dialogue_desk::db::commitments::Commitment;
use dialogue_desk::db::schema::{commitments, holidays, items};
use dialogue_desk::db::workflow;
use dialogue_desk::domain::{Actor, BodyId, ItemId, Role};

const ASSIGNED: &str = "Cơ quan được giao thực hiện cam kết hoặc nhiệm vụ";

/// A delegate's item in the Organizing Committee's queue, and its people.
struct Desk {
    app: TestApp,
    drafter: TestSession,
    approver: TestSession,
    coordinator_user: TestUser,
    coordinator: TestSession,
    delegate: TestSession,
    id: i32,
}

impl Desk {
    async fn new() -> Desk {
        let app = spawn_app().await;
        let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
        let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
        let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
        let coordinator_user = app.add_user(Role::Coordinator, Some("DUK"));
        let coordinator = app.login(&coordinator_user).await;
        let id = delegate
            .submit_proposal(
                "Kiến nghị về quy hoạch cán bộ trẻ",
                "Đề nghị ban hành tiêu chí quy hoạch cán bộ trẻ.",
                app.field_id("to-chuc-can-bo"),
            )
            .await;
        Desk {
            app,
            drafter,
            approver,
            coordinator_user,
            coordinator,
            delegate,
            id,
        }
    }

    fn path(&self, tail: &str) -> String {
        format!("/items/{}{tail}", self.id)
    }

    async fn draft(&self, fields: &[(&str, &str)]) -> crate::helpers::Page {
        self.drafter.post(&self.path("/draft"), fields).await
    }

    async fn add_commitment(&self, fields: &[(&str, &str)]) -> crate::helpers::Page {
        self.drafter.post(&self.path("/commitments"), fields).await
    }

    fn commitments(&self) -> Vec<Commitment> {
        Commitment::of_item(&mut self.app.conn(), ItemId(self.id)).unwrap()
    }

    fn item_row(&self) -> (String, Option<i32>, Option<String>, Option<NaiveDateTime>) {
        items::table
            .find(self.id)
            .select((
                items::status,
                items::approved_revision_id,
                items::outcome,
                items::resolved_at,
            ))
            .first(&mut self.app.conn())
            .unwrap()
    }

    /// An accepted answer with one commitment of `days` working days, sent for review.
    async fn accepted_in_review(&self, owner: i32, days: &str) {
        let saved = self
            .draft(&[
                ("text", "Ban sẽ ban hành tiêu chí."),
                ("intent", "save"),
                ("outcome", "accepted"),
            ])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let added = self
            .add_commitment(&[
                ("description", "Ban hành tiêu chí quy hoạch cán bộ trẻ"),
                ("owner_body_id", &owner.to_string()),
                ("due_working_days", days),
                ("planned_document", "Quy định của Ban Thường vụ"),
            ])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let sent = self.drafter.post(&self.path("/send-for-review"), &[]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
}

async fn mails_to(app: &TestApp, user: &TestUser, subject: &str) -> Vec<String> {
    let smtp = app.smtp.as_ref().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<String> = smtp
            .received()
            .iter()
            .filter(|m| m.to.iter().any(|to| to == &user.email) && m.subject().starts_with(subject))
            .map(|m| m.part("text/plain"))
            .collect();
        if !found.is_empty() || tokio::time::Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn an_answer_goes_to_review_only_with_an_outcome_and_the_text_is_kept() {
    let desk = Desk::new().await;
    let refused = desk
        .draft(&[
            ("text", "Bản trả lời chưa chọn kết quả."),
            ("intent", "review"),
        ])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Đề nghị đồng chí chọn kết quả xử lý"));
    assert!(refused.body.contains("Bản trả lời chưa chọn kết quả."));
    assert_eq!(desk.item_row().0, "routed", "nothing saved");

    // A draft may be saved without it, but not sent on.
    let saved = desk
        .draft(&[("text", "Bản nháp."), ("intent", "save")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let sent = desk.drafter.post(&desk.path("/send-for-review"), &[]).await;
    assert_eq!(sent.status, StatusCode::CONFLICT);
    assert!(sent.body.contains("chưa có kết quả xử lý"), "{}", sent.body);
}

#[tokio::test]
async fn a_refusal_needs_its_reason_and_a_forwarding_its_body_date_and_document() {
    let desk = Desk::new().await;
    let refused = desk
        .draft(&[
            ("text", "Không tiếp thu."),
            ("intent", "review"),
            ("outcome", "not_accepted"),
        ])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"outcome_reason-error\""));
    assert!(refused
        .body
        .contains("value=\"not_accepted\" id=\"outcome-not_accepted\" checked"));

    let forwarded = desk
        .draft(&[
            ("text", "Chuyển Ban Tổ chức Trung ương."),
            ("intent", "review"),
            ("outcome", "forwarded"),
            ("forwarded_to", "Ban Tổ chức Trung ương"),
            ("forwarded_on", "30/02/2027"),
        ])
        .await;
    assert_eq!(forwarded.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(forwarded.body.contains("id=\"forwarded_on-error\""));
    assert!(forwarded.body.contains("id=\"forwarded_document-error\""));
    assert!(forwarded.body.contains("value=\"Ban Tổ chức Trung ương\""));

    let complete = desk
        .draft(&[
            ("text", "Chuyển Ban Tổ chức Trung ương."),
            ("intent", "review"),
            ("outcome", "forwarded"),
            ("forwarded_to", "Ban Tổ chức Trung ương"),
            ("forwarded_on", "2026-11-30"),
            ("forwarded_document", "123-CV/BTCTU"),
        ])
        .await;
    assert_eq!(complete.status, StatusCode::SEE_OTHER, "{}", complete.body);
    let page = desk.approver.get(&desk.path("")).await.body;
    assert!(page.contains("Vượt thẩm quyền, chuyển cấp trên"));
    // Tera escapes the slash of dates and document numbers.
    assert!(page.contains("123-CV&#x2F;BTCTU"));
    assert!(page.contains("30&#x2F;11&#x2F;2026"));
}

#[tokio::test]
async fn drafters_add_check_and_remove_commitments_and_an_accepted_answer_needs_one() {
    let desk = Desk::new().await;
    let lead = desk.app.body_id("TCTU").to_string();
    desk.draft(&[
        ("text", "Tiếp thu."),
        ("intent", "save"),
        ("outcome", "accepted"),
    ])
    .await;
    let sent = desk.drafter.post(&desk.path("/send-for-review"), &[]).await;
    assert_eq!(sent.status, StatusCode::CONFLICT);
    assert!(
        sent.body.contains("cần ít nhất một cam kết"),
        "{}",
        sent.body
    );

    for (fields, message) in [
        (
            vec![("description", "Việc A"), ("owner_body_id", lead.as_str())],
            "chỉ một trong hai",
        ),
        (
            vec![
                ("description", "Việc A"),
                ("owner_body_id", lead.as_str()),
                ("due_working_days", "10"),
                ("due_on", "2099-01-01"),
            ],
            "chỉ một trong hai",
        ),
        (
            vec![
                ("description", "Việc A"),
                ("owner_body_id", lead.as_str()),
                ("due_working_days", "0"),
            ],
            "từ 1 đến 1000",
        ),
        (
            vec![
                ("description", "Việc A"),
                ("owner_body_id", lead.as_str()),
                ("due_on", "2020-01-01"),
            ],
            "phải sau ngày hôm nay",
        ),
        (
            vec![("owner_body_id", lead.as_str()), ("due_working_days", "5")],
            "Vui lòng nhập nội dung.",
        ),
    ] {
        let page = desk.add_commitment(&fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(page.body.contains(message), "{fields:?}: {message}");
    }
    assert!(desk.commitments().is_empty());

    let added = desk
        .add_commitment(&[
            ("description", "Ban hành tiêu chí"),
            ("owner_body_id", &lead),
            ("due_on", "2099-03-31"),
        ])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = desk.drafter.get(&desk.path("")).await.body;
    assert!(page.contains("Ban hành tiêu chí"));
    assert!(page.contains("<time datetime=\"2099-03-31\">31&#x2F;03&#x2F;2099</time>"));
    let commitment = desk.commitments()[0].id;

    // With a commitment it goes to review; an explanation may carry none.
    desk.draft(&[
        ("text", "Giải trình."),
        ("intent", "save"),
        ("outcome", "explained"),
    ])
    .await;
    let sent = desk.drafter.post(&desk.path("/send-for-review"), &[]).await;
    assert_eq!(sent.status, StatusCode::CONFLICT);
    assert!(sent.body.contains("Chỉ trả lời tiếp thu mới có cam kết"));
    let removed = desk
        .drafter
        .post(
            &desk.path("/commitments/remove"),
            &[("commitment", &commitment.to_string())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(desk.commitments().is_empty());
    let sent = desk.drafter.post(&desk.path("/send-for-review"), &[]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

#[tokio::test]
async fn a_change_to_the_commitments_after_approval_voids_the_approval() {
    let desk = Desk::new().await;
    let lead = desk.app.body_id("TCTU");
    desk.accepted_in_review(lead, "10").await;
    let page = desk.approver.get(&desk.path("")).await.body;
    assert!(
        page.contains("Tiếp thu, sẽ thực hiện"),
        "the approver sees the outcome"
    );
    assert!(page.contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
    let approved = desk.approver.post(&desk.path("/approve"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(desk.item_row().0, "approved");

    let added = desk
        .add_commitment(&[
            ("description", "Tổ chức tập huấn"),
            ("owner_body_id", &lead.to_string()),
            ("due_working_days", "20"),
        ])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let (status, approved_revision, _, _) = desk.item_row();
    assert_eq!(status, "drafting");
    assert_eq!(approved_revision, None);
}

#[tokio::test]
async fn publication_sets_the_outcome_and_tells_the_owning_bodys_staff() {
    let desk = Desk::new().await;
    let owner = desk.app.body_id("BCSD-UBND");
    let owner_drafter = desk.app.add_user(Role::Drafter, Some("BCSD-UBND"));
    let owner_approver = desk.app.add_user(Role::Approver, Some("BCSD-UBND"));
    let lead_drafter = desk.app.add_user(Role::Drafter, Some("TCTU"));
    desk.accepted_in_review(owner, "10").await;
    desk.approver.post_ok(&desk.path("/approve"), &[]).await;
    desk.coordinator.post_ok(&desk.path("/publish"), &[]).await;

    let (status, _, outcome, resolved_at) = desk.item_row();
    assert_eq!(status, "published");
    assert_eq!(outcome.as_deref(), Some("accepted"));
    assert_eq!(
        resolved_at, None,
        "an accepted answer is resolved by its follow-up"
    );
    assert!(desk.commitments()[0].due_at.is_some());
    for user in [&owner_drafter, &owner_approver] {
        let mails = mails_to(&desk.app, user, ASSIGNED).await;
        assert_eq!(mails.len(), 1, "{}", user.email);
        assert!(mails[0].contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
        assert!(mails[0].contains(&format!("/items/{}", desk.id)));
    }
    assert!(mails_to(&desk.app, &lead_drafter, ASSIGNED)
        .await
        .is_empty());
    // The delegate sees the outcome and the commitment.
    let page = desk.delegate.get(&desk.path("")).await.body;
    assert!(page.contains("Tiếp thu, sẽ thực hiện"));
    assert!(page.contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
    // So does the printed item, with the commitment's progress.
    let print = desk.delegate.get(&desk.path("/print")).await.body;
    assert!(print.contains("Tiếp thu, sẽ thực hiện"), "{print}");
    assert!(print.contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
    assert!(print.contains("Chưa bắt đầu"));
}

#[tokio::test]
async fn a_commitments_working_days_run_from_publication_past_weekends_and_holidays() {
    let desk = Desk::new().await;
    let lead = desk.app.body_id("TCTU");
    desk.accepted_in_review(lead, "2").await;
    desk.approver.post_ok(&desk.path("/approve"), &[]).await;
    // Monday 14/6/2027 is made a day off; publication on Friday 11/6/2027 at
    // 10:00 Vietnam time, so two working days are Tuesday 15 and Wednesday 16.
    diesel::insert_into(holidays::table)
        .values((
            holidays::day.eq(chrono::NaiveDate::from_ymd_opt(2027, 6, 14).unwrap()),
            holidays::name_vi.eq("Nghỉ bù"),
            holidays::name_en.eq("Day off"),
            holidays::kind.eq("holiday"),
        ))
        .execute(&mut desk.app.conn())
        .unwrap();
    let friday = NaiveDateTime::parse_from_str("2027-06-11 03:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let coordinator = Actor {
        user: desk.coordinator_user.id,
        role: Role::Coordinator,
        body: Some(BodyId(desk.app.body_id("DUK"))),
    };
    workflow::publish(
        &mut desk.app.conn(),
        &coordinator,
        &[ItemId(desk.id)],
        friday,
    )
    .unwrap();
    let due: Option<NaiveDateTime> = commitments::table
        .filter(commitments::item_id.eq(desk.id))
        .select(commitments::due_at)
        .first(&mut desk.app.conn())
        .unwrap();
    let wednesday_close =
        NaiveDateTime::parse_from_str("2027-06-16 10:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    assert_eq!(due, Some(wednesday_close));
}

#[tokio::test]
async fn an_explanation_is_resolved_at_publication_and_a_refusal_is_only_answered() {
    let desk = Desk::new().await;
    desk.draft(&[
        ("text", "Giải trình rõ."),
        ("intent", "review"),
        ("outcome", "explained"),
    ])
    .await;
    desk.approver.post_ok(&desk.path("/approve"), &[]).await;
    desk.coordinator.post_ok(&desk.path("/publish"), &[]).await;
    let (_, _, outcome, resolved_at) = desk.item_row();
    assert_eq!(outcome.as_deref(), Some("explained"));
    assert!(resolved_at.is_some());
    let page = desk.delegate.get(&desk.path("")).await.body;
    assert!(page.contains("Giải trình, làm rõ"));

    let refused = Desk::new().await;
    refused
        .draft(&[
            ("text", "Không tiếp thu."),
            ("intent", "review"),
            ("outcome", "not_accepted"),
            ("outcome_reason", "Trái quy định hiện hành."),
        ])
        .await;
    refused
        .approver
        .post_ok(&refused.path("/approve"), &[])
        .await;
    refused
        .coordinator
        .post_ok(&refused.path("/publish"), &[])
        .await;
    let (_, _, outcome, resolved_at) = refused.item_row();
    assert_eq!(outcome.as_deref(), Some("not_accepted"));
    assert_eq!(resolved_at, None);
    let page = refused.delegate.get(&refused.path("")).await.body;
    assert!(page.contains("Trái quy định hiện hành."));
}

#[tokio::test]
async fn only_the_lead_bodys_staff_write_the_commitments_of_a_draft() {
    let desk = Desk::new().await;
    let lead = desk.app.body_id("TCTU").to_string();
    desk.draft(&[
        ("text", "Tiếp thu."),
        ("intent", "save"),
        ("outcome", "accepted"),
    ])
    .await;
    let other_body = desk
        .app
        .login(&desk.app.add_user(Role::Drafter, Some("BCSD-UBND")))
        .await;
    let form = [
        ("description", "Việc không được phép"),
        ("owner_body_id", lead.as_str()),
        ("due_working_days", "5"),
    ];
    for session in [&other_body, &desk.delegate, &desk.coordinator] {
        let page = session.post(&desk.path("/commitments"), &form).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    assert!(desk.commitments().is_empty());
    desk.add_commitment(&form).await;
    let commitment = desk.commitments()[0].id;
    for session in [&other_body, &desk.delegate, &desk.coordinator] {
        let page = session
            .post(
                &desk.path("/commitments/remove"),
                &[("commitment", &commitment.to_string())],
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(desk.commitments().len(), 1);
}

/// Files another item of the desk's delegate and publishes it with `outcome`.
async fn published(desk: &Desk, title: &str, outcome: &[(&str, &str)]) -> String {
    let id = desk
        .delegate
        .submit_proposal(
            title,
            "Nội dung kiến nghị.",
            desk.app.field_id("to-chuc-can-bo"),
        )
        .await;
    let mut fields = vec![("text", "Trả lời."), ("intent", "review")];
    fields.extend_from_slice(outcome);
    desk.drafter
        .post_ok(&format!("/items/{id}/draft"), &fields)
        .await;
    desk.approver
        .post_ok(&format!("/items/{id}/approve"), &[])
        .await;
    desk.coordinator
        .post_ok(&format!("/items/{id}/publish"), &[])
        .await;
    items::table
        .find(id)
        .select(items::reference)
        .first(&mut desk.app.conn())
        .unwrap()
}

#[tokio::test]
async fn lists_filter_by_outcome_and_by_answered_or_resolved() {
    let desk = Desk::new().await;
    let explained = published(
        &desk,
        "Kiến nghị được giải trình",
        &[("outcome", "explained")],
    )
    .await;
    let refused = published(
        &desk,
        "Kiến nghị không tiếp thu",
        &[
            ("outcome", "not_accepted"),
            ("outcome_reason", "Trái quy định."),
        ],
    )
    .await;
    let unanswered: String = items::table
        .find(desk.id)
        .select(items::reference)
        .first(&mut desk.app.conn())
        .unwrap();
    for (query, shown, hidden) in [
        (
            "outcome=explained",
            vec![&explained],
            vec![&refused, &unanswered],
        ),
        (
            "outcome=not_accepted",
            vec![&refused],
            vec![&explained, &unanswered],
        ),
        (
            "resolution=answered",
            vec![&explained, &refused],
            vec![&unanswered],
        ),
        (
            "resolution=resolved",
            vec![&explained],
            vec![&refused, &unanswered],
        ),
        (
            "resolution=answered_not_resolved",
            vec![&refused],
            vec![&explained, &unanswered],
        ),
    ] {
        for session in [&desk.coordinator, &desk.delegate] {
            let path = if std::ptr::eq(session, &desk.delegate) {
                "/my"
            } else {
                "/items"
            };
            let page = session.get(&format!("{path}?{query}")).await;
            assert_eq!(page.status, StatusCode::OK);
            for reference in &shown {
                assert!(
                    page.body.contains(reference.as_str()),
                    "{path}?{query}: {reference}"
                );
            }
            for reference in &hidden {
                assert!(
                    !page.body.contains(reference.as_str()),
                    "{path}?{query}: not {reference}"
                );
            }
        }
    }
    // Both dates where the list shows dates.
    let page = desk
        .coordinator
        .get("/items?resolution=resolved")
        .await
        .body;
    assert!(page.contains("Giải quyết xong <time"));
    assert!(page.contains("Trả lời <time"));
}

#[tokio::test]
async fn an_accepted_answer_sent_without_a_commitment_comes_back_with_the_text_kept() {
    let desk = Desk::new().await;
    let page = desk
        .draft(&[
            ("text", "Ban tiếp thu và sẽ thực hiện."),
            ("intent", "review"),
            ("outcome", "accepted"),
        ])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"outcome-error\""));
    assert!(page.body.contains("cần ít nhất một cam kết"));
    assert!(page.body.contains("Ban tiếp thu và sẽ thực hiện."));
    assert_eq!(desk.item_row().0, "routed", "nothing saved");
}
