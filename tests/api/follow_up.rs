//! Issue 10: following commitments to the end — who may see a commitment and
//! report on it, what a check-in refuses, what the delegate is told and sees, the
//! item's resolution, the rating of the result, and overdue commitments in the
//! daily digest.

use chrono::{NaiveDate, NaiveDateTime};
use dialogue_desk::db::commitments::NewCommitment;
use dialogue_desk::db::digests::send_due;
use dialogue_desk::db::items::Item;
use dialogue_desk::db::schema::{commitment_bodies, commitments, items, outbox};
use dialogue_desk::domain::calendar::to_utc;
use dialogue_desk::domain::deadlines::OfficeHours;
use dialogue_desk::domain::{ItemId, ItemStatus, MailEvent, Role};
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestApp, TestSession, TestUser};
use crate::smtp::ReceivedMail;

/// A published item of a delegate, answered by TCTU, and the people around it.
struct Scene {
    app: TestApp,
    delegate: TestUser,
    delegate_session: TestSession,
    drafter: TestUser,
    drafter_session: TestSession,
    approver: TestUser,
    coordinator: TestUser,
    coordinator_session: TestSession,
    other_drafter_session: TestSession,
    item: i32,
    reference: String,
    conference: i32,
}

/// Files an item that the field routes to TCTU and takes it through drafting,
/// approval and publication the way the people do.
async fn published_scene() -> Scene {
    let app = spawn_app().await;
    let delegate = app.add_user(Role::Delegate, None);
    let drafter = app.add_user(Role::Drafter, Some("TCTU"));
    let approver = app.add_user(Role::Approver, Some("TCTU"));
    let coordinator = app.add_user(Role::Coordinator, Some("DUK"));
    let other_drafter = app.add_user(Role::Drafter, Some("TGTU"));
    let delegate_session = app.login(&delegate).await;
    let drafter_session = app.login(&drafter).await;
    let approver_session = app.login(&approver).await;
    let coordinator_session = app.login(&coordinator).await;
    let other_drafter_session = app.login(&other_drafter).await;
    let item = delegate_session
        .submit_proposal(
            "Bố trí cán bộ trẻ về cơ sở",
            "Đề nghị có chính sách luân chuyển cán bộ trẻ.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let path = |action: &str| format!("/items/{item}/{action}");
    drafter_session
        .post_ok(
            &path("draft"),
            &[
                ("text", "Ban Tổ chức sẽ ban hành hướng dẫn."),
                ("outcome", "explained"),
                ("intent", "review"),
            ],
        )
        .await;
    approver_session.post_ok(&path("approve"), &[]).await;
    coordinator_session.post_ok(&path("publish"), &[]).await;
    // The scene is an accepted answer whose commitments each test adds itself
    // (`Scene::commitment`): published as explained above, so no commitment had to
    // be written with the draft, then reclassified here, unresolved.
    diesel::update(items::table.find(item))
        .set((
            items::outcome.eq(Some("accepted")),
            items::resolved_at.eq(None::<NaiveDateTime>),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let (reference, conference): (String, i32) = items::table
        .find(item)
        .select((items::reference, items::conference_id))
        .first(&mut *app.conn())
        .unwrap();
    Scene {
        app,
        delegate,
        delegate_session,
        drafter,
        drafter_session,
        approver,
        coordinator,
        coordinator_session,
        other_drafter_session,
        item,
        reference,
        conference,
    }
}

impl Scene {
    /// Adds a commitment owned by `body` to the item (or a task of the notice
    /// when `item` is None), due at `due_at`.
    fn commitment(
        &self,
        item: Option<i32>,
        body: &str,
        description: &str,
        due_at: Option<NaiveDateTime>,
    ) -> i32 {
        let now = chrono::Utc::now().naive_utc();
        let row = NewCommitment {
            conference_id: self.conference,
            item_id: item,
            description: description.into(),
            owner_body_id: self.app.body_id(body),
            // Either a count of working days or a date; the date when one is given.
            due_working_days: if due_at.is_none() { Some(20) } else { None },
            due_on: due_at.map(|d| d.date()),
            due_at,
            planned_document: "Hướng dẫn của Ban Tổ chức Tỉnh ủy".into(),
            created_by: self.coordinator.id.0,
            created_at: now,
            updated_at: now,
        };
        row.insert(&mut self.app.conn()).unwrap()
    }

    fn item_row(&self) -> Item {
        Item::find(&mut self.app.conn(), ItemId(self.item))
            .unwrap()
            .unwrap()
    }

    fn progress(&self, commitment: i32) -> String {
        commitments::table
            .find(commitment)
            .select(commitments::progress)
            .first(&mut *self.app.conn())
            .unwrap()
    }

    /// The mails to the delegate so far whose subject starts with `subject`,
    /// waiting a little for the outbox worker.
    async fn delegate_mails(&self, subject: &str, count: usize) -> Vec<ReceivedMail> {
        let smtp = self.app.smtp.as_ref().expect("the mail server is up");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let mails: Vec<ReceivedMail> = smtp
                .received()
                .into_iter()
                .filter(|m| {
                    m.subject().starts_with(subject)
                        && m.to.iter().any(|to| to.contains(&self.delegate.email))
                })
                .collect();
            if mails.len() >= count || std::time::Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// How many mails of `event` were queued.
    fn queued(&self, event: MailEvent) -> i64 {
        outbox::table
            .filter(outbox::event.eq(event))
            .count()
            .get_result(&mut *self.app.conn())
            .unwrap()
    }
}

const DONE_SUBJECT: &str = "Cam kết trong trả lời kiến nghị đã hoàn thành";
const BLOCKED_SUBJECT: &str = "Cam kết trong trả lời kiến nghị không thể thực hiện";
const RESOLVED_SUBJECT: &str = "Kiến nghị đã được giải quyết xong";

fn checkin<'a>(progress: &'a str, note: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![("progress", progress), ("note", note)]
}

#[tokio::test]
async fn only_the_owning_bodys_staff_record_progress_and_the_item_starts_implementation() {
    let scene = published_scene().await;
    let id = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    let path = format!("/commitments/{id}/checkins");
    let form = checkin("in_progress", "Đã lập tổ soạn thảo.");

    // Another body, the delegate and the coordinator may not report for the body.
    for session in [
        &scene.other_drafter_session,
        &scene.delegate_session,
        &scene.coordinator_session,
    ] {
        let page = session.post(&path, &form).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(scene.progress(id), "not_started");

    scene.drafter_session.post_ok(&path, &form).await;

    assert_eq!(scene.progress(id), "in_progress");
    assert_eq!(scene.item_row().status(), ItemStatus::InProgress);
    let page = scene
        .drafter_session
        .get(&format!("/commitments/{id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đã lập tổ soạn thảo."), "{}", page.body);
    assert!(page.body.contains("Đã ghi nhận tiến độ."));
    // The approver of the owning body may report too.
    let approver = scene.app.login(&scene.approver).await;
    approver
        .post_ok(&path, &checkin("in_progress", "Đang lấy ý kiến."))
        .await;
}

#[tokio::test]
async fn who_may_see_a_commitment_page_and_the_delegate_sees_no_civil_servant() {
    let scene = published_scene().await;
    let id = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    scene
        .drafter_session
        .post_ok(
            &format!("/commitments/{id}/checkins"),
            &checkin("in_progress", "Đã lập tổ soạn thảo."),
        )
        .await;
    let path = format!("/commitments/{id}");

    let delegate_page = scene.delegate_session.get(&path).await;
    assert_eq!(delegate_page.status, StatusCode::OK);
    assert!(delegate_page.body.contains("Đã lập tổ soạn thảo."));
    assert!(!delegate_page.body.contains("Người dùng drafter"));
    assert!(!delegate_page.body.contains("/checkins\""));
    assert_eq!(
        scene.coordinator_session.get(&path).await.status,
        StatusCode::OK
    );
    assert_eq!(
        scene.other_drafter_session.get(&path).await.status,
        StatusCode::NOT_FOUND
    );
    let stranger = scene
        .app
        .login(&scene.app.add_user(Role::Delegate, None))
        .await;
    assert_eq!(stranger.get(&path).await.status, StatusCode::NOT_FOUND);
    // The item page lists the commitment with its progress and hides the manual
    // implementation form, which would contradict it.
    let item_page = scene
        .coordinator_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(item_page.body.contains("Ban hành hướng dẫn"));
    assert!(item_page.body.contains(&format!("/commitments/{id}")));
    assert!(!item_page.body.contains("/implementation\""));
    // Nor does the server take that step by hand.
    let by_hand = scene
        .coordinator_session
        .post(
            &format!("/items/{}/implementation", scene.item),
            &[("state", "done"), ("text", "Xong.")],
        )
        .await;
    assert_eq!(by_hand.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_check_in_that_does_not_hold_comes_back_with_its_messages_and_input() {
    let scene = published_scene().await;
    let id = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    let path = format!("/commitments/{id}/checkins");

    let page = scene
        .drafter_session
        .post(
            &path,
            &[
                ("progress", "cannot_be_done"),
                ("note", ""),
                ("evidence_number", "15-HD/BTCTU"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .body
        .contains("Vui lòng nêu lý do không thể thực hiện."));
    // Pages escape slashes, as every page does.
    assert!(page.body.contains("value=\"15-HD&#x2F;BTCTU\""));

    let page = scene
        .drafter_session
        .post(
            &path,
            &[
                ("progress", "done"),
                ("evidence_link", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = page.body.replace("&#x2F;", "/");
    assert!(body.contains("Đường dẫn phải bắt đầu bằng http:// hoặc https://."));
    assert!(body.contains("value=\"javascript:alert(1)\""));

    let page = scene
        .drafter_session
        .post(&path, &[("note", "Chưa chọn tiến độ")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Vui lòng chọn tiến độ."));
    assert!(page.body.contains("Chưa chọn tiến độ"));
    assert_eq!(scene.progress(id), "not_started");
}

#[tokio::test]
async fn the_delegate_is_mailed_each_done_commitment_then_once_when_the_item_is_resolved() {
    let scene = published_scene().await;
    scene.app.execute("UPDATE items SET outcome = 'accepted'");
    let first = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    let second = scene.commitment(Some(scene.item), "TCTU", "Tổ chức tập huấn", None);

    scene
        .drafter_session
        .post_ok(
            &format!("/commitments/{first}/checkins"),
            &[
                ("progress", "done"),
                ("note", "Đã ban hành."),
                ("evidence_number", "15-HD/BTCTU"),
                ("evidence_date", "2026-11-30"),
            ],
        )
        .await;

    let done = scene.delegate_mails(DONE_SUBJECT, 1).await;
    assert_eq!(done.len(), 1);
    let text = done[0].part("text/plain");
    assert!(text.contains("Ban hành hướng dẫn") && text.contains("15-HD/BTCTU"));
    assert!(text.contains("30/11/2026"), "{text}");
    assert!(text.contains(&scene.reference));
    let item = scene.item_row();
    assert_eq!(item.status(), ItemStatus::InProgress);
    assert!(item.resolved_at.is_none());

    scene
        .drafter_session
        .post_ok(
            &format!("/commitments/{second}/checkins"),
            &[
                ("progress", "done"),
                ("evidence_link", "https://tinhuy.nghean.vn/tap-huan"),
            ],
        )
        .await;

    let resolved = scene.delegate_mails(RESOLVED_SUBJECT, 1).await;
    assert_eq!(resolved.len(), 1);
    assert!(resolved[0].part("text/plain").contains("Tổ chức tập huấn"));
    // One mail for the last one: resolved, not also "done".
    assert_eq!(scene.queued(MailEvent::CommitmentDone), 1);
    assert_eq!(scene.queued(MailEvent::ItemResolved), 1);
    let item = scene.item_row();
    assert!(item.resolved_at.is_some());
    assert_eq!(item.status(), ItemStatus::Done);
    let page = scene
        .delegate_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(page.body.contains("Đã giải quyết xong"));
    assert!(page.body.contains("result-rating"));
}

#[tokio::test]
async fn a_commitment_that_cannot_be_done_mails_the_reason_and_refuses_more_check_ins() {
    let scene = published_scene().await;
    let id = scene.commitment(Some(scene.item), "TCTU", "Bổ sung biên chế", None);
    let path = format!("/commitments/{id}/checkins");

    scene
        .drafter_session
        .post_ok(
            &path,
            &checkin("cannot_be_done", "Vượt thẩm quyền của tỉnh về biên chế."),
        )
        .await;

    let blocked = scene.delegate_mails(BLOCKED_SUBJECT, 1).await;
    assert_eq!(blocked.len(), 1);
    assert!(blocked[0]
        .part("text/plain")
        .contains("Vượt thẩm quyền của tỉnh về biên chế."));
    assert!(scene.item_row().resolved_at.is_none());

    let page = scene
        .drafter_session
        .post(&path, &checkin("in_progress", "Thử lại."))
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains("Cam kết này đã kết thúc"),
        "{}",
        page.body
    );
    assert_eq!(scene.progress(id), "cannot_be_done");
}

#[tokio::test]
async fn the_delegate_rates_the_result_only_once_resolved_and_may_change_it() {
    let scene = published_scene().await;
    let id = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    let rate = format!("/items/{}/result-rating", scene.item);
    let rating = [("level", "partly"), ("text", "Mới làm được một phần.")];

    let early = scene.delegate_session.post(&rate, &rating).await;
    assert_eq!(early.status, StatusCode::CONFLICT);

    scene
        .drafter_session
        .post_ok(&format!("/commitments/{id}/checkins"), &checkin("done", ""))
        .await;
    let refused = scene
        .delegate_session
        .post(&rate, &[("text", "Thiếu mức")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Thiếu mức"));
    scene.delegate_session.post_ok(&rate, &rating).await;
    let item = scene.item_row();
    assert_eq!(item.result_satisfaction.map(|s| s.as_str()), Some("partly"));
    assert_eq!(
        item.result_comment.as_deref(),
        Some("Mới làm được một phần.")
    );
    // The answer's own rating is untouched.
    assert!(item.satisfaction.is_none());
    // Staff may not rate for the delegate.
    let staff = scene.drafter_session.post(&rate, &rating).await;
    assert_eq!(staff.status, StatusCode::NOT_FOUND);

    scene
        .delegate_session
        .post_ok(&rate, &[("level", "satisfied")])
        .await;
    let page = scene
        .delegate_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(page.body.contains("Đánh giá kết quả:"));
    assert_eq!(
        scene.item_row().result_satisfaction.map(|s| s.as_str()),
        Some("satisfied")
    );
}

#[tokio::test]
async fn a_task_of_the_notice_has_its_page_for_the_owning_and_coordinating_bodies_and_coordinators()
{
    let scene = published_scene().await;
    let task = scene.commitment(None, "TGTU", "Tuyên truyền kết luận của Hội nghị", None);
    diesel::insert_into(commitment_bodies::table)
        .values((
            commitment_bodies::commitment_id.eq(task),
            commitment_bodies::body_id.eq(scene.app.body_id("TCTU")),
        ))
        .execute(&mut *scene.app.conn())
        .unwrap();
    let path = format!("/commitments/{task}");

    let owner = &scene.other_drafter_session; // TGTU owns the task
    let page = owner.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nhiệm vụ theo thông báo kết luận"));
    assert!(page.body.contains("/checkins\""));
    let coordinator_page = scene.coordinator_session.get(&path).await;
    assert_eq!(coordinator_page.status, StatusCode::OK);
    assert!(!coordinator_page.body.contains("/checkins\""));
    // TCTU coordinates: it reads the page but does not report.
    let coordinating = scene.drafter_session.get(&path).await;
    assert_eq!(coordinating.status, StatusCode::OK);
    assert!(!coordinating.body.contains("/checkins\""));
    assert_eq!(
        scene.delegate_session.get(&path).await.status,
        StatusCode::NOT_FOUND
    );

    owner
        .post_ok(
            &format!("{path}/checkins"),
            &[
                ("progress", "done"),
                ("note", "Đã tổ chức hội nghị quán triệt."),
                ("evidence_link", "https://baonghean.vn/quan-triet"),
            ],
        )
        .await;
    assert_eq!(scene.progress(task), "done");
    let page = scene.coordinator_session.get(&path).await;
    let body = page.body.replace("&#x2F;", "/");
    assert!(body.contains("https://baonghean.vn/quan-triet"), "{body}");
    assert_eq!(scene.queued(MailEvent::CommitmentDone), 0);
}

/// A local time in Vietnam in 2026, as the UTC instant the desk stores.
fn at(month: u32, day: u32, hour: u32) -> NaiveDateTime {
    to_utc(
        NaiveDate::from_ymd_opt(2026, month, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap(),
    )
}

/// The addresses the digest was queued for, sorted, and the payloads.
fn digests(app: &TestApp) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = outbox::table
        .filter(outbox::event.eq(MailEvent::DeadlineDigest))
        .select((outbox::recipient_email, outbox::payload))
        .load(&mut *app.conn())
        .unwrap();
    rows.sort();
    rows
}

fn told(app: &TestApp) -> Vec<String> {
    digests(app).into_iter().map(|(to, _)| to).collect()
}

fn sorted(users: &[&TestUser]) -> Vec<String> {
    let mut emails: Vec<String> = users.iter().map(|u| u.email.clone()).collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn an_overdue_commitment_reaches_its_drafters_then_its_head_then_the_coordinators() {
    let scene = published_scene().await;
    let app = &scene.app;
    app.execute(
        "UPDATE conferences SET due_soon_days = 2, escalate_to_head_after = 2, \
         escalate_to_coordinators_after = 5",
    );
    // Only the commitment is owed anything: the item's answer is out.
    app.execute("UPDATE items SET next_due_at = NULL, due_soon_at = NULL");
    // Due Friday 6 March 2026 at 17:00 (Vietnam).
    let id = scene.commitment(
        Some(scene.item),
        "TCTU",
        "Ban hành hướng dẫn luân chuyển",
        Some(at(3, 6, 17)),
    );
    let hours = OfficeHours::default();
    let run = |now| send_due(&mut app.conn(), now, &hours).unwrap();

    // Thursday 5 March: due soon, the drafters only.
    run(at(3, 5, 9));
    assert_eq!(told(app), sorted(&[&scene.drafter]));
    let payload = &digests(app)[0].1;
    assert!(
        payload.contains("Ban hành hướng dẫn luân chuyển"),
        "{payload}"
    );
    assert!(
        payload.contains(&format!("\"commitment_id\":{id}")),
        "{payload}"
    );

    // Monday 9 March: 1 working day late, still the drafters.
    run(at(3, 9, 9));
    assert_eq!(told(app), sorted(&[&scene.drafter, &scene.drafter]));

    // Tuesday 10 March: 2 days late, the approver (head of the body) too.
    run(at(3, 10, 9));
    let mut expected = vec![
        &scene.drafter,
        &scene.drafter,
        &scene.drafter,
        &scene.approver,
    ];
    assert_eq!(told(app), sorted(&expected));

    // Friday 13 March: 5 days late, the coordinators too.
    run(at(3, 13, 9));
    expected.extend([&scene.drafter, &scene.approver, &scene.coordinator]);
    assert_eq!(told(app), sorted(&expected));

    // Once done, it never appears again.
    app.execute(&format!(
        "UPDATE commitments SET progress = 'done', closed_at = updated_at WHERE id = {id}"
    ));
    run(at(3, 16, 9));
    assert_eq!(told(app), sorted(&expected));
}

#[tokio::test]
async fn the_digest_mail_lists_an_overdue_task_with_a_link_to_its_page() {
    let scene = published_scene().await;
    let app = &scene.app;
    app.execute("UPDATE items SET next_due_at = NULL, due_soon_at = NULL");
    let task = scene.commitment(
        None,
        "TCTU",
        "Xây dựng quy định thay thế cán bộ",
        Some(at(3, 6, 17)),
    );

    send_due(&mut app.conn(), at(3, 10, 9), &OfficeHours::default()).unwrap();

    let smtp = app.smtp.as_ref().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mail = loop {
        let found = smtp.received().into_iter().find(|m| {
            m.subject().starts_with("Tổng hợp kiến nghị")
                && m.to.iter().any(|to| to.contains(&scene.drafter.email))
        });
        if let Some(mail) = found {
            break mail;
        }
        assert!(std::time::Instant::now() < deadline, "no digest arrived");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let text = mail.part("text/plain");
    assert!(text.contains("Xây dựng quy định thay thế cán bộ"), "{text}");
    assert!(
        text.contains(&format!("{}/commitments/{task}", app.address)),
        "{text}"
    );
    assert!(text.contains("06/03/2026"), "{text}");
}

#[tokio::test]
async fn two_check_ins_at_once_close_a_commitment_once_and_resolve_the_item_once() {
    let scene = published_scene().await;
    scene.app.execute("UPDATE items SET outcome = 'accepted'");
    let approver = scene.app.login(&scene.approver).await;
    let first = scene.commitment(Some(scene.item), "TCTU", "Ban hành hướng dẫn", None);
    let second = scene.commitment(Some(scene.item), "TCTU", "Tổ chức tập huấn", None);

    // The drafter and the approver close the same commitment at the same moment.
    let done = checkin("done", "Xong.");
    let path = format!("/commitments/{first}/checkins");
    let (a, b) = tokio::join!(
        scene.drafter_session.post(&path, &done),
        approver.post(&path, &done)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    assert_eq!(scene.queued(MailEvent::CommitmentDone), 1);

    // Reopened by hand to set the scene: then both commitments are closed at once
    // by two people; whichever goes second sees the other's and resolves the item.
    scene.app.execute(&format!(
        "UPDATE commitments SET progress = 'in_progress', closed_at = NULL WHERE id = {first}"
    ));
    let second_path = format!("/commitments/{second}/checkins");
    let (a, b) = tokio::join!(
        scene.drafter_session.post(&path, &done),
        approver.post(&second_path, &done)
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    let item = scene.item_row();
    assert!(item.resolved_at.is_some());
    assert_eq!(item.status(), ItemStatus::Done);
    assert_eq!(scene.queued(MailEvent::ItemResolved), 1);
}

#[tokio::test]
async fn the_delegate_does_not_see_a_commitment_before_the_answer_is_published() {
    let scene = published_scene().await;
    let filed = scene
        .delegate_session
        .submit_proposal(
            "Chế độ cho cán bộ biệt phái",
            "Đề nghị có chế độ hỗ trợ.",
            scene.app.field_id("to-chuc-can-bo"),
        )
        .await;
    // Drafted with the answer, not yet published.
    let id = scene.commitment(Some(filed), "TCTU", "Sửa đổi quy định hỗ trợ", None);

    let page = scene.delegate_session.get(&format!("/items/{filed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Sửa đổi quy định hỗ trợ"));
    assert_eq!(
        scene
            .delegate_session
            .get(&format!("/commitments/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The body sees it, and cannot report on it before publication.
    let staff_page = scene.drafter_session.get(&format!("/items/{filed}")).await;
    assert!(staff_page.body.contains("Sửa đổi quy định hỗ trợ"));
    let early = scene
        .drafter_session
        .post(
            &format!("/commitments/{id}/checkins"),
            &checkin("in_progress", "Sớm."),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
}

// ---- Issue 10, the gaps: due dates on working days, editing a commitment,
// merged items' delegates, escalations of commitments on the timeline.

/// The edit form of commitment `id` as `session` sees it, and its version.
async fn edit_version(session: &TestSession, id: i32) -> String {
    let page = session.get(&format!("/commitments/{id}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    crate::helpers::hidden_value(&page.body, "version").expect("a version field")
}

fn edit_form<'a>(version: &'a str, due_on: &'a str, reason: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("description", "Ban hành hướng dẫn luân chuyển"),
        ("owner_body_id", ""),
        ("due_kind", "date"),
        ("due_on", due_on),
        ("planned_document", "Hướng dẫn"),
        ("reason", reason),
    ]
}

#[tokio::test]
async fn a_due_date_on_a_day_off_or_in_the_past_is_refused_with_what_was_typed() {
    let scene = published_scene().await;
    let owner = scene.app.body_id("TCTU").to_string();
    let path = format!("/conferences/{}/tasks", scene.conference);
    // Saturday 9 March 2030, then Tết's first day of 2026 (17 February), then the past.
    for (day, message) in [
        ("2030-03-09", "rơi vào ngày nghỉ"),
        ("2026-02-17", "sau hôm nay"),
        ("2020-03-03", "sau hôm nay"),
    ] {
        let page = scene
            .coordinator_session
            .post(
                &path,
                &[
                    ("description", "Tuyên truyền kết luận hội nghị"),
                    ("owner_body_id", &owner),
                    ("due_kind", "date"),
                    ("due_on", day),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        assert!(page.body.contains(message), "{day}: {}", page.body);
        assert!(page.body.contains("Tuyên truyền kết luận hội nghị"));
        assert!(page.body.contains(day));
    }
    // A Tuesday is taken.
    scene
        .coordinator_session
        .post_ok(
            &path,
            &[
                ("description", "Tuyên truyền kết luận hội nghị"),
                ("owner_body_id", &owner),
                ("due_kind", "date"),
                ("due_on", "2030-03-05"),
            ],
        )
        .await;
}

#[tokio::test]
async fn after_publication_only_a_coordinator_corrects_a_commitment_with_a_reason() {
    let scene = published_scene().await;
    let id = scene.commitment(
        Some(scene.item),
        "TCTU",
        "Ban hành hướng dẫn",
        Some(at(12, 30, 17)),
    );
    let path = format!("/commitments/{id}/edit");
    // The answer is out: the body's staff and the delegate may not change it.
    for session in [&scene.drafter_session, &scene.delegate_session] {
        assert_eq!(session.get(&path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(session.post(&path, &[]).await.status, StatusCode::NOT_FOUND);
    }
    let page = scene
        .coordinator_session
        .get(&format!("/commitments/{id}"))
        .await;
    assert!(page.body.contains(&path), "the page offers the edit link");
    let version = edit_version(&scene.coordinator_session, id).await;
    let owner = scene.app.body_id("TCTU").to_string();
    let mut form = edit_form(&version, "2030-03-05", "");
    form[2].1 = &owner;

    // Without a reason the form comes back, what was typed kept.
    let page = scene.coordinator_session.post(&path, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("nêu lý do"), "{}", page.body);
    assert!(page.body.contains("2030-03-05"));
    // A Saturday is refused too.
    form[4].1 = "2030-03-09";
    form[6].1 = "Chờ Trung ương ban hành quy định mới.";
    let page = scene.coordinator_session.post(&path, &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("rơi vào ngày nghỉ"));

    form[4].1 = "2030-03-05";
    scene.coordinator_session.post_ok(&path, &form).await;
    let due: Option<NaiveDateTime> = commitments::table
        .find(id)
        .select(commitments::due_at)
        .first(&mut *scene.app.conn())
        .unwrap();
    assert_eq!(
        due,
        Some(to_utc(
            NaiveDate::from_ymd_opt(2030, 3, 5)
                .unwrap()
                .and_hms_opt(17, 0, 0)
                .unwrap()
        ))
    );
    // The delegate sees the new date and the reason, on the item and the commitment.
    let item_page = scene
        .delegate_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(
        item_page.body.contains("Điều chỉnh cam kết"),
        "{}",
        item_page.body
    );
    let timeline = item_page.body.replace("&#x2F;", "/");
    assert!(timeline.contains("30/12/2026 → 05/03/2030"), "{timeline}");
    assert!(item_page
        .body
        .contains("Chờ Trung ương ban hành quy định mới."));
    let commitment_page = scene
        .delegate_session
        .get(&format!("/commitments/{id}"))
        .await;
    let history = commitment_page.body.replace("&#x2F;", "/");
    assert!(history.contains("05/03/2030"), "{history}");
    assert!(history.contains("Chờ Trung ương ban hành quy định mới."));

    // The date moved, so the delegate is mailed it.
    assert_eq!(scene.queued(MailEvent::CommitmentChanged), 1);
    let mails = scene
        .delegate_mails(
            "Hạn hoàn thành cam kết trong trả lời kiến nghị đã thay đổi",
            1,
        )
        .await;
    assert_eq!(mails.len(), 1);
    // A form opened before that change is refused: nobody overwrites unseen work.
    let stale = scene.coordinator_session.post(&path, &form).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn before_publication_the_lead_body_edits_a_draft_commitment_and_voids_the_approval() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let item = delegate
        .submit_proposal(
            "Cán bộ trẻ",
            "Đề nghị luân chuyển.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let owner = app.body_id("TCTU").to_string();
    drafter
        .post_ok(
            &format!("/items/{item}/commitments"),
            &[
                ("description", "Ban hành hướng dẫn"),
                ("owner_body_id", &owner),
                ("due_working_days", "20"),
            ],
        )
        .await;
    drafter
        .post_ok(
            &format!("/items/{item}/draft"),
            &[
                ("text", "Sẽ ban hành."),
                ("outcome", "accepted"),
                ("intent", "review"),
            ],
        )
        .await;
    approver
        .post_ok(&format!("/items/{item}/approve"), &[])
        .await;
    let id: i32 = commitments::table
        .filter(commitments::item_id.eq(item))
        .select(commitments::id)
        .first(&mut *app.conn())
        .unwrap();
    let path = format!("/commitments/{id}/edit");
    // Before publication the coordinator does not edit the body's draft.
    assert_eq!(coordinator.get(&path).await.status, StatusCode::NOT_FOUND);
    let version = edit_version(&drafter, id).await;
    drafter
        .post_ok(
            &path,
            &[
                ("version", &version),
                ("description", "Ban hành hướng dẫn mới"),
                ("owner_body_id", &owner),
                ("due_kind", "days"),
                ("due_days", "30"),
            ],
        )
        .await;
    let (description, days): (String, Option<i32>) = commitments::table
        .find(id)
        .select((commitments::description, commitments::due_working_days))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (description.as_str(), days),
        ("Ban hành hướng dẫn mới", Some(30))
    );
    let status: String = items::table
        .find(item)
        .select(items::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "drafting", "the approval is void");
}

#[tokio::test]
async fn the_delegate_of_a_merged_item_follows_the_commitments_and_rates_the_result() {
    let app = spawn_app().await;
    let first_delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let second_user = app.add_user(Role::Delegate, None);
    let second_delegate = app.login(&second_user).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let coordinator = app
        .login(&app.add_user(Role::Coordinator, Some("DUK")))
        .await;
    let field = app.field_id("to-chuc-can-bo");
    let first = first_delegate
        .submit_proposal("Đào tạo cán bộ", "Nội dung về đào tạo.", field)
        .await;
    let second = second_delegate
        .submit_proposal("Bồi dưỡng cán bộ", "Nội dung trùng.", field)
        .await;
    let reference: String = items::table
        .find(first)
        .select(items::reference)
        .first(&mut *app.conn())
        .unwrap();
    coordinator
        .post_ok(
            &format!("/items/{second}/merge"),
            &[("target", &reference), ("text", "Trùng nội dung")],
        )
        .await;
    let owner = app.body_id("TCTU").to_string();
    drafter
        .post_ok(
            &format!("/items/{first}/commitments"),
            &[
                ("description", "Mở lớp bồi dưỡng cán bộ trẻ"),
                ("owner_body_id", &owner),
                ("due_working_days", "20"),
            ],
        )
        .await;
    drafter
        .post_ok(
            &format!("/items/{first}/draft"),
            &[
                ("text", "Trả lời chung."),
                ("outcome", "accepted"),
                ("intent", "review"),
            ],
        )
        .await;
    approver
        .post_ok(&format!("/items/{first}/approve"), &[])
        .await;
    coordinator
        .post_ok(&format!("/items/{first}/publish"), &[])
        .await;
    let id: i32 = commitments::table
        .filter(commitments::item_id.eq(first))
        .select(commitments::id)
        .first(&mut *app.conn())
        .unwrap();
    // The second delegate sees the commitment on their item and its page.
    let theirs = second_delegate.get(&format!("/items/{second}")).await;
    assert!(
        theirs.body.contains("Mở lớp bồi dưỡng cán bộ trẻ"),
        "{}",
        theirs.body
    );
    assert_eq!(
        second_delegate
            .get(&format!("/commitments/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    // They rate the answer, and not yet the result.
    second_delegate
        .post_ok(
            &format!("/items/{second}/satisfaction"),
            &[("level", "satisfied"), ("text", "")],
        )
        .await;
    let early = second_delegate
        .post(
            &format!("/items/{second}/result-rating"),
            &[("level", "satisfied"), ("text", "")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    drafter
        .post_ok(
            &format!("/commitments/{id}/checkins"),
            &[("progress", "done"), ("note", "Đã mở lớp.")],
        )
        .await;
    // Both delegates are mailed the resolution.
    let resolved: Vec<String> = outbox::table
        .filter(outbox::event.eq(MailEvent::ItemResolved))
        .select(outbox::recipient_email)
        .load(&mut *app.conn())
        .unwrap();
    assert!(resolved.contains(&second_user.email), "{resolved:?}");
    assert_eq!(resolved.len(), 2);
    let theirs = second_delegate.get(&format!("/items/{second}")).await;
    assert!(theirs
        .body
        .contains(&format!("/items/{second}/result-rating")));
    second_delegate
        .post_ok(
            &format!("/items/{second}/result-rating"),
            &[("level", "partly"), ("text", "Lớp học còn ít.")],
        )
        .await;
    let rated: Option<String> = items::table
        .find(second)
        .select(items::result_satisfaction)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(rated.as_deref(), Some("partly"));
}

#[tokio::test]
async fn an_escalated_commitment_is_on_the_items_timeline_once_per_level() {
    let scene = published_scene().await;
    let app = &scene.app;
    app.execute(
        "UPDATE conferences SET due_soon_days = 2, escalate_to_head_after = 2, \
         escalate_to_coordinators_after = 5",
    );
    app.execute("UPDATE items SET next_due_at = NULL, due_soon_at = NULL");
    let id = scene.commitment(
        Some(scene.item),
        "TCTU",
        "Ban hành hướng dẫn luân chuyển",
        Some(at(3, 6, 17)),
    );
    let task = scene.commitment(None, "TCTU", "Tuyên truyền kết luận", Some(at(3, 6, 17)));
    let hours = OfficeHours::default();
    let run = |now| send_due(&mut app.conn(), now, &hours).unwrap();
    let kinds = || -> Vec<String> {
        use dialogue_desk::db::schema::item_events;
        item_events::table
            .filter(item_events::item_id.eq(scene.item))
            .filter(item_events::kind.like("commitment_escalated%"))
            .order(item_events::id)
            .select(item_events::kind)
            .load(&mut *app.conn())
            .unwrap()
    };
    run(at(3, 9, 9));
    assert!(kinds().is_empty(), "one day late is not escalated");
    run(at(3, 10, 9));
    run(at(3, 11, 9));
    assert_eq!(kinds(), vec!["commitment_escalated_to_head"]);
    run(at(3, 13, 9));
    run(at(3, 16, 9));
    assert_eq!(
        kinds(),
        vec![
            "commitment_escalated_to_head",
            "commitment_escalated_to_coordinators"
        ]
    );
    // The task's own history shows its escalations; the staff's item page the step.
    let task_page = scene
        .coordinator_session
        .get(&format!("/commitments/{task}"))
        .await;
    assert!(
        task_page
            .body
            .contains("Quá hạn, báo cáo cơ quan điều phối"),
        "{}",
        task_page.body
    );
    let item_page = scene
        .coordinator_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(item_page
        .body
        .contains("Cam kết quá hạn, báo cáo lãnh đạo cơ quan chủ trì"));
    // The delegate is not shown who is chased inside the bodies.
    let delegate_page = scene
        .delegate_session
        .get(&format!("/items/{}", scene.item))
        .await;
    assert!(!delegate_page.body.contains("Cam kết quá hạn"));
    let _ = id;
}
