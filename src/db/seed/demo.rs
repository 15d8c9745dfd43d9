//! Demo data for development: one account per role, a drafter and an approver in
//! every body, and a dozen items walked through the real workflow into different
//! states.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::reference::{is_empty, reference_data};
use crate::db::answers::AnswerOutcome;
use crate::db::bodies::{Body, BodyForm};
use crate::db::deadlines;
use crate::db::schema::{items, stage_clocks};
use crate::db::users::NewUser;
use crate::db::workflow::{self, Submission};
use crate::db::{DbConnection, StoreError};
use crate::domain::follow_up::Outcome;
use crate::domain::{Actor, BodyId, ConferenceId, FieldId, ItemId, Role, Satisfaction};
use crate::secrets::{hash_password, random_token};

/// A demo account and the password printed for it at first start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Role.
    pub role: Role,
    /// Login email.
    pub email: String,
    /// Password, shown once.
    pub password: String,
}

/// A demo person: email, name, unit, role and body code.
type Person<'a> = (&'a str, &'a str, &'a str, Role, Option<&'a str>);

/// The demo people: one per role and a second delegate, then a drafter and an
/// approver in every other body, so each body's flow can be tried (the Organizing
/// Committee's pair is among the first).
const PEOPLE: [Person<'static>; 17] = [
    ("admin@demo.vn", "Quản trị hệ thống", "", Role::Admin, None),
    (
        "dieuphoi@demo.vn",
        "Trần Thị Điều Phối",
        "",
        Role::Coordinator,
        Some("DUK"),
    ),
    (
        "chuyenvien@demo.vn",
        "Lê Văn Chuyên Viên",
        "",
        Role::Drafter,
        Some("TCTU"),
    ),
    (
        "lanhdao@demo.vn",
        "Phạm Thị Lãnh Đạo",
        "",
        Role::Approver,
        Some("TCTU"),
    ),
    (
        "daibieu@demo.vn",
        "Nguyễn Văn Đại Biểu",
        "Sở Nội vụ",
        Role::Delegate,
        None,
    ),
    (
        "daibieu2@demo.vn",
        "Hoàng Thị Thu",
        "Sở Kế hoạch và Đầu tư",
        Role::Delegate,
        None,
    ),
    (
        "chuyenvien.ubnd@demo.vn",
        "Võ Minh Tuấn",
        "",
        Role::Drafter,
        Some("BCSD-UBND"),
    ),
    (
        "lanhdao.ubnd@demo.vn",
        "Đặng Quốc Hưng",
        "",
        Role::Approver,
        Some("BCSD-UBND"),
    ),
    (
        "chuyenvien.tuyengiao@demo.vn",
        "Nguyễn Thị Hà",
        "",
        Role::Drafter,
        Some("TGTU"),
    ),
    (
        "lanhdao.tuyengiao@demo.vn",
        "Trần Văn Sơn",
        "",
        Role::Approver,
        Some("TGTU"),
    ),
    (
        "chuyenvien.dangkhoi@demo.vn",
        "Hồ Thị Lan",
        "",
        Role::Drafter,
        Some("DUK"),
    ),
    (
        "lanhdao.dangkhoi@demo.vn",
        "Lê Đình Thắng",
        "",
        Role::Approver,
        Some("DUK"),
    ),
    (
        "chuyenvien.vanphong@demo.vn",
        "Phan Thị Mai",
        "",
        Role::Drafter,
        Some("VPTU"),
    ),
    (
        "lanhdao.vanphong@demo.vn",
        "Bùi Văn Minh",
        "",
        Role::Approver,
        Some("VPTU"),
    ),
    // A unit of the People's Committee Party Committee (issue 10), asked for
    // contributions like any body.
    (
        "chuyenvien.sonoivu@demo.vn",
        "Hồ Thị Lan",
        "",
        Role::Drafter,
        Some("SNV"),
    ),
    (
        "lanhdao.sonoivu@demo.vn",
        "Phan Văn Đức",
        "",
        Role::Approver,
        Some("SNV"),
    ),
    (
        "thuongtruc@demo.vn",
        "Nguyễn Văn Thường",
        "Thường trực Tỉnh ủy",
        Role::Leadership,
        None,
    ),
];

/// The id of the body with `code`.
fn body_id(conn: &mut DbConnection, code: &str) -> Result<BodyId, StoreError> {
    Body::find_by_code(conn, code)?
        .map(|b| BodyId(b.id))
        .ok_or(StoreError::NotFound)
}

fn add_user(
    conn: &mut DbConnection,
    (email, name, unit, role, body): Person<'_>,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Actor, StoreError> {
    let body = body.map(|code| body_id(conn, code)).transpose()?;
    let id = NewUser {
        email: email.to_owned(),
        full_name: name.to_owned(),
        unit: unit.to_owned(),
        role,
        body_id: body.map(|b| b.0),
        password_hash: password_hash.to_owned(),
        locale: "vi".to_owned(),
        active: true,
        created_at: now,
        password_changed_at: now,
    }
    .insert(conn)?;
    Ok(Actor {
        user: id,
        role,
        body,
    })
}

/// How far a demo answer goes.
#[derive(PartialEq, PartialOrd)]
enum Stage {
    Drafted,
    InReview,
    Approved,
    Published,
}

/// The two people of a body who answer: the drafter and the approver.
type Answerers<'a> = (&'a Actor, &'a Actor);

/// The Organizing Committee's demo answers: the item's index, the text, drafted
/// how many days ago, and how far it goes.
const ORGANIZING_ANSWERS: [(usize, &str, i64, Stage); 5] = [
    (
        0,
        "Ban Tổ chức Tỉnh ủy tiếp thu và sẽ ban hành hướng dẫn trong quý III/2023.",
        30,
        Stage::Published,
    ),
    (
        6,
        "Ban Tổ chức sẽ tham mưu chính sách đãi ngộ trong năm 2024.",
        20,
        Stage::Published,
    ),
    (
        7,
        "Tỉnh sẽ tiếp tục luân chuyển cán bộ trẻ theo kế hoạch.",
        8,
        Stage::Approved,
    ),
    (
        8,
        "Dự kiến mở 3 lớp bồi dưỡng kỹ năng số.",
        5,
        Stage::InReview,
    ),
    (
        10,
        "Bản nháp: sẽ trình Ban Thường vụ Tỉnh ủy ban hành quy định mới.",
        3,
        Stage::Drafted,
    ),
];

/// Walks an answer from its draft `days` ago, one step a day, as far as `stage`;
/// the coordinator publishes.
fn answer(
    conn: &mut DbConnection,
    (drafter, approver): Answerers<'_>,
    coordinator: &Actor,
    item: ItemId,
    text: &str,
    (days, stage): (i64, Stage),
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let at = |step: i64| now - Duration::days(days - step);
    // The demo's answers explain; commitments are shown on the follow-up pages.
    let outcome = AnswerOutcome {
        outcome: Some(Outcome::Explained),
        ..AnswerOutcome::default()
    };
    workflow::save_draft(conn, drafter, item, text, &outcome, at(0))?;
    if stage >= Stage::InReview {
        workflow::send_for_review(conn, drafter, item, at(1))?;
    }
    if stage >= Stage::Approved {
        workflow::approve(conn, approver, item, at(2))?;
    }
    if stage >= Stage::Published {
        workflow::publish(conn, coordinator, &[item], at(3))?;
    }
    Ok(())
}

/// The lead body's `asker` asks `body` for a contribution to `item` at `at`; the
/// asked body's drafter writes it the next hour and its approver approves it.
fn contribution(
    conn: &mut DbConnection,
    asker: &Actor,
    (drafter, approver): Answerers<'_>,
    item: ItemId,
    body: BodyId,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let asked =
        "Đề nghị Ban Tổ chức Tỉnh ủy cho ý kiến về bố trí cán bộ chuyên trách an ninh mạng.";
    workflow::request_contribution(
        conn,
        asker,
        item,
        body,
        asked,
        workflow::ContributionDue::WorkingDays(5),
        at,
    )?
    .map_err(|_| StoreError::Conflict(crate::db::ConflictKind::Transition))?;
    let text = "Ban Tổ chức Tỉnh ủy thống nhất bố trí 01 biên chế chuyên trách an ninh mạng tại mỗi cơ quan Đảng cấp tỉnh.";
    workflow::write_contribution(conn, drafter, item, 0, text, true, at + Duration::hours(1))?;
    workflow::approve_contribution(conn, approver, item, 1, at + Duration::hours(2))
}

/// Adds the demo accounts, sharing one password, and a dozen items walked through
/// the real workflow into different states.
pub fn demo_data(
    conn: &mut DbConnection,
    conference: ConferenceId,
    password: &str,
    now: NaiveDateTime,
) -> Result<Vec<DemoAccount>, StoreError> {
    let hash = hash_password(password);
    let committee = body_id(conn, "BCSD-UBND")?;
    BodyForm {
        code: "SNV".to_owned(),
        name_vi: "Sở Nội vụ".to_owned(),
        name_en: "Department of Home Affairs".to_owned(),
        is_coordinating: false,
        active: true,
        parent_id: Some(committee.0),
    }
    .insert(conn)?;
    let mut actors = Vec::new();
    for person in PEOPLE {
        actors.push(add_user(conn, person, &hash, now)?);
    }
    let accounts = PEOPLE
        .iter()
        .map(|&(email, _, _, role, _)| DemoAccount {
            role,
            email: email.to_owned(),
            password: password.to_owned(),
        })
        .collect();
    let [_admin, coordinator, drafter, approver, delegate, delegate2, committee_drafter, _, propaganda_drafter, propaganda_approver, ..] =
        actors[..]
    else {
        unreachable!("sixteen demo people")
    };
    let organizing = (&drafter, &approver);

    let proposals: [(&Actor, &str, &str, &str); 12] = [
        (&delegate, "to-chuc-can-bo", "Quy định rõ tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng", "Đề nghị Ban Tổ chức Tỉnh ủy ban hành hướng dẫn thống nhất về tiêu chuẩn, quy trình bổ nhiệm lại cán bộ quản lý cấp phòng.\nHiện nay mỗi đơn vị áp dụng một cách."),
        (&delegate, "cai-cach-hanh-chinh-dang", "Số hóa hồ sơ đảng viên", "Kiến nghị triển khai phần mềm quản lý hồ sơ đảng viên điện tử thống nhất trong toàn Khối."),
        (&delegate2, "kinh-te-xa-hoi", "Cơ chế thu hút đầu tư vào khu kinh tế Đông Nam", "Đề xuất xây dựng cơ chế đặc thù thu hút nhà đầu tư chiến lược vào Khu kinh tế Đông Nam Nghệ An."),
        (&delegate2, "thu-tuc-hanh-chinh", "Rút ngắn thời gian cấp phép xây dựng", "Kiến nghị rút ngắn thời gian giải quyết thủ tục cấp giấy phép xây dựng cho doanh nghiệp xuống còn 10 ngày."),
        (&delegate, "thong-tin-tuyen-truyen", "Tuyên truyền kết luận hội nghị trên mạng xã hội", "Đề nghị lập trang thông tin chính thức để tuyên truyền kết luận hội nghị đối thoại tới cán bộ trẻ."),
        (&delegate2, "khac", "Tổ chức đối thoại định kỳ hằng năm", "Đề xuất duy trì hội nghị đối thoại giữa Ban Thường vụ Tỉnh ủy với cán bộ, chuyên gia của Khối mỗi năm một lần."),
        (&delegate, "to-chuc-can-bo", "Chế độ đãi ngộ chuyên gia giỏi", "Kiến nghị có chính sách đãi ngộ riêng cho chuyên gia có trình độ cao đang công tác tại các cơ quan tỉnh."),
        (&delegate2, "to-chuc-can-bo", "Luân chuyển cán bộ trẻ về cơ sở", "Đề xuất tăng cường luân chuyển cán bộ trẻ có năng lực về công tác tại cơ sở để rèn luyện."),
        (&delegate, "to-chuc-can-bo", "Đào tạo kỹ năng số cho cán bộ cấp phòng", "Đề nghị mở các lớp bồi dưỡng kỹ năng số cho cán bộ quản lý cấp phòng trong năm 2023."),
        (&delegate2, "quoc-phong-an-ninh", "Bảo đảm an ninh mạng cho cơ quan Đảng", "Kiến nghị đầu tư hệ thống giám sát an ninh mạng cho các cơ quan Đảng của tỉnh."),
        (&delegate, "to-chuc-can-bo", "Thay thế cán bộ vi phạm kỷ luật", "Đề nghị ban hành quy định về xử lý, thay thế cán bộ vi phạm kỷ luật, làm việc cầm chừng."),
        (&delegate2, "doi-ngoai", "Hợp tác quốc tế về đào tạo", "Đề xuất mở rộng hợp tác với các tỉnh của Lào về đào tạo cán bộ."),
    ];
    let mut ids: Vec<ItemId> = Vec::new();
    for (index, (who, field_code, title, content)) in proposals.iter().enumerate() {
        let field = crate::db::schema::fields::table
            .filter(crate::db::schema::fields::code.eq(field_code))
            .select(crate::db::schema::fields::id)
            .first::<i32>(conn)?;
        let at = now - Duration::days(40 - index as i64 * 3);
        let submitted = workflow::submit(
            conn,
            who,
            &Submission {
                conference,
                field: FieldId(field),
                title: (*title).to_owned(),
                content: (*content).to_owned(),
                related_units: String::new(),
                token: random_token(),
            },
            at,
        )?;
        ids.push(submitted.item);
    }
    let later = |days: i64| now - Duration::days(days);
    // Items 1 and 7 published (1 then rated, 7 under way), 8 approved, 9 in
    // review, 11 being drafted with an internal note.
    for (index, text, days, stage) in ORGANIZING_ANSWERS {
        answer(
            conn,
            organizing,
            &coordinator,
            ids[index],
            text,
            (days, stage),
            now,
        )?;
    }
    let rating = "Cảm ơn Ban.";
    workflow::rate(
        conn,
        &delegate,
        ids[0],
        Satisfaction::Satisfied,
        rating,
        later(26),
    )?;
    let progress = "Đang xây dựng đề án.";
    workflow::follow_implementation(conn, &coordinator, ids[6], false, progress, later(10))?;
    let note = "Cần xin ý kiến Ủy ban Kiểm tra.";
    workflow::add_note(conn, &drafter, ids[10], note, later(3))?;
    // Item 2: withdrawn by the delegate.
    workflow::withdraw(
        conn,
        &delegate,
        ids[1],
        "Đã được giải quyết tại đơn vị.",
        later(20),
    )?;
    // Item 10: re-routed with a coordinating body.
    let organizing_body = body_id(conn, "TCTU")?;
    workflow::add_coordinating_body(conn, &coordinator, ids[9], organizing_body, later(2))?;
    // The People's Committee asks the Organizing Committee for a contribution on
    // it, which is written and approved (issue 10).
    contribution(
        conn,
        &committee_drafter,
        organizing,
        ids[9],
        organizing_body,
        later(2),
    )?;
    // Item 5: the Propaganda Department's answer waits for its approver.
    answer(conn, (&propaganda_drafter, &propaganda_approver), &coordinator, ids[4],
        "Ban Tuyên giáo Tỉnh ủy sẽ phối hợp với Đảng ủy Khối mở chuyên mục về kết luận hội nghị trên Cổng thông tin điện tử Tỉnh ủy.",
        (2, Stage::InReview), now)?;
    // Item 6: the Party Committee Office coordinates on the Bloc's own item.
    let office = body_id(conn, "VPTU")?;
    workflow::add_coordinating_body(conn, &coordinator, ids[5], office, later(1))?;
    deadline_scene(conn, conference, &ids, now)?;
    notice_tasks(conn, conference, &coordinator, &propaganda_drafter, now)?;
    // The demo's history happened "in the past": it sends no mail.
    diesel::delete(crate::db::schema::outbox::table).execute(conn)?;
    Ok(accounts)
}

/// The tasks Notice 920-TB/TU itself gives (lead body code, coordinating codes,
/// task, planned document, working days allowed). Each lives in a `commitments`
/// row without an item; the notice's wording, shortened.
const NOTICE_TASKS: [(&str, &[&str], &str, &str, u32); 5] = [
    (
        "TGTU",
        &["DUK"],
        "Tăng cường thông tin, tuyên truyền về chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, của tỉnh và kết luận của Ban Thường vụ Tỉnh ủy tại hội nghị đối thoại; nắm bắt tình hình tư tưởng, dư luận xã hội trong cán bộ, công chức, viên chức, người lao động.",
        "",
        60,
    ),
    (
        "TCTU",
        &[],
        "Nghiên cứu, tham mưu cấp có thẩm quyền ban hành quy định, hướng dẫn về xử lý, thay thế cán bộ vi phạm kỷ luật theo tinh thần kết luận.",
        "Quy định về xử lý, thay thế cán bộ vi phạm kỷ luật",
        20,
    ),
    (
        "BCSD-UBND",
        &[],
        "Chỉ đạo UBND tỉnh, các sở, ngành trả lời kiến nghị thuộc thẩm quyền; nghiên cứu, tham mưu bổ sung, điều chỉnh những khó khăn, bất cập về chính sách phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh, đối ngoại.",
        "",
        90,
    ),
    (
        "DUK",
        &["VPTU"],
        "Hoàn thiện nội dung trả lời kiến nghị, đề xuất của đại biểu; đăng tải trên các kênh thông tin nội bộ và phương tiện thông tin đại chúng; quán triệt, triển khai kết luận đến các tổ chức đảng trực thuộc.",
        "",
        45,
    ),
    (
        "DUK",
        &[],
        "Theo dõi, kiểm tra các tổ chức, cá nhân liên quan trong việc thực hiện các nội dung kết luận tại Thông báo; tổng hợp, báo cáo kết quả trong báo cáo chuyên đề và báo cáo năm.",
        "Báo cáo kết quả thực hiện kết luận",
        120,
    ),
];

/// Records the notice's tasks as a coordinator did 40 days ago, so that the
/// Organizing Committee's 20 working days have run out (a newcomer sees an
/// overdue task), and marks the propagation task in progress.
fn notice_tasks(
    conn: &mut DbConnection,
    conference: ConferenceId,
    coordinator: &Actor,
    propaganda_drafter: &Actor,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use crate::db::commitments::NewCheckIn;
    use crate::db::schema::commitments;
    use crate::db::tasks::{TaskDue, TaskForm};
    use crate::domain::follow_up::Progress;
    let recorded = now - Duration::days(40);
    let mut first = None;
    for (lead, coordinating, description, document, days) in NOTICE_TASKS {
        let mut bodies = Vec::new();
        for code in coordinating {
            bodies.push(body_id(conn, code)?.0);
        }
        let id = TaskForm {
            description: description.to_owned(),
            owner_body_id: body_id(conn, lead)?.0,
            coordinating: bodies,
            due: TaskDue::WorkingDays(days),
            planned_document: document.to_owned(),
        }
        .record(conn, conference, coordinator.user, recorded)?;
        first.get_or_insert(id);
    }
    if let Some(propagation) = first {
        let at = now - Duration::days(5);
        NewCheckIn {
            commitment_id: propagation,
            author_id: propaganda_drafter.user.0,
            progress: Progress::InProgress,
            note: "Đã mở chuyên mục trên Cổng thông tin điện tử Tỉnh ủy.".to_owned(),
            evidence_link: String::new(),
            evidence_number: String::new(),
            evidence_date: None,
            created_at: at,
        }
        .insert(conn)?;
        diesel::update(commitments::table.find(propagation))
            .set((
                commitments::progress.eq(Progress::InProgress),
                commitments::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Sets the running clocks of a few open items so that a newcomer sees every
/// urgency whatever the day: the Organizing Committee's queue holds one item
/// overdue (in review), one due soon (being drafted) and one in time (approved,
/// waiting for publication); the People's Committee's building-permit item waits
/// for the delegate with its clock paused. The other open items keep the clocks
/// the workflow gave them.
fn deadline_scene(
    conn: &mut DbConnection,
    conference: ConferenceId,
    ids: &[ItemId],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let policy = crate::db::conferences::Conference::find(conn, conference)?
        .ok_or(StoreError::NotFound)?
        .policy();
    let calendar = deadlines::calendar_around(conn, now)?;
    let overdue = calendar.add_working_days(now - Duration::days(12), 2);
    let due_soon = calendar.add_working_days(now, 1);
    let in_time = calendar.add_working_days(now, policy.due_soon_days + 1);
    for (index, due) in [(8, overdue), (10, due_soon), (7, in_time)] {
        let id = ids[index];
        let deadline: NaiveDateTime = items::table
            .find(id.0)
            .select(items::deadline)
            .first(conn)?;
        // A stage is never due after the whole answer: the answer is given the
        // working days it needs, as if so filed.
        let deadline = deadline.max(due);
        let next = crate::domain::deadlines::next_due(Some(due), deadline);
        diesel::update(
            stage_clocks::table
                .filter(stage_clocks::item_id.eq(id.0))
                .filter(stage_clocks::finished_at.is_null()),
        )
        .set(stage_clocks::due_at.eq(due))
        .execute(conn)?;
        diesel::update(items::table.find(id.0))
            .set((
                items::stage_due_at.eq(Some(due)),
                items::deadline.eq(deadline),
                items::original_deadline.eq(deadline),
                items::next_due_at.eq(Some(next)),
                items::due_soon_at.eq(Some(crate::domain::deadlines::due_soon_from(
                    &calendar,
                    next,
                    policy.due_soon_days,
                ))),
            ))
            .execute(conn)?;
    }
    deadlines::pause(conn, ids[3], now - Duration::days(2))?;
    Ok(())
}

/// Seeds an empty database: reference data always, demo data when asked.
pub fn seed_if_empty(
    conn: &mut DbConnection,
    with_demo: bool,
    demo_password: Option<&str>,
    now: NaiveDateTime,
) -> Result<Option<Vec<DemoAccount>>, StoreError> {
    if !is_empty(conn)? {
        return Ok(None);
    }
    let conference = reference_data(conn, now)?;
    if !with_demo {
        return Ok(Some(Vec::new()));
    }
    let password = demo_password
        .map(str::to_owned)
        .unwrap_or_else(|| format!("demo-{}", &random_token()[..12]));
    let accounts = demo_data(conn, conference, &password, now)?;
    Ok(Some(accounts))
}
