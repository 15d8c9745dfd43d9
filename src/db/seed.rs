//! Seed data: on a new database the bodies, fields and routing table of Notice
//! 920-TB/TU and its 2023 conference; in development also one demo account per
//! role and a dozen demo items in different states.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::bodies::{Body, BodyForm};
use super::conferences::ConferenceForm;
use super::fields::FieldForm;
use super::schema::bodies;
use super::users::NewUser;
use super::workflow::{self, Submission};
use super::DbConnection;
use super::StoreError;
use crate::domain::{Actor, BodyId, ConferenceId, FieldId, ItemId, Role, Satisfaction};
use crate::secrets::{hash_password, random_token};

/// The bodies named in the notice: code, Vietnamese, English, coordinating.
const BODIES: [(&str, &str, &str, bool); 5] = [
    (
        "TCTU",
        "Ban Tổ chức Tỉnh ủy",
        "Provincial Party Committee's Organizing Committee",
        false,
    ),
    (
        "BCSD-UBND",
        "Ban cán sự đảng UBND tỉnh",
        "Party Committee of the Provincial People's Committee",
        false,
    ),
    (
        "TGTU",
        "Ban Tuyên giáo Tỉnh ủy",
        "Provincial Party Committee's Propaganda Department",
        false,
    ),
    (
        "DUK",
        "Đảng ủy Khối các cơ quan tỉnh",
        "Party Committee of the Provincial Agencies Bloc",
        true,
    ),
    (
        "VPTU",
        "Văn phòng Tỉnh ủy",
        "Provincial Party Committee Office",
        true,
    ),
];

/// The fields and the body each routes to by default.
const FIELDS: [(&str, &str, &str, &str); 8] = [
    (
        "to-chuc-can-bo",
        "Tổ chức cán bộ",
        "Cadre organization and personnel",
        "TCTU",
    ),
    (
        "cai-cach-hanh-chinh-dang",
        "Cải cách hành chính trong Đảng",
        "Party administrative reform",
        "TCTU",
    ),
    (
        "kinh-te-xa-hoi",
        "Chính sách phát triển kinh tế - xã hội",
        "Socio-economic development policy",
        "BCSD-UBND",
    ),
    (
        "quoc-phong-an-ninh",
        "Quốc phòng, an ninh",
        "National defense and security",
        "BCSD-UBND",
    ),
    ("doi-ngoai", "Đối ngoại", "Foreign affairs", "BCSD-UBND"),
    (
        "thu-tuc-hanh-chinh",
        "Thủ tục hành chính",
        "Administrative procedures for people and businesses",
        "BCSD-UBND",
    ),
    (
        "thong-tin-tuyen-truyen",
        "Thông tin, tuyên truyền",
        "Information and propaganda",
        "TGTU",
    ),
    (
        "khac",
        "Xây dựng Đảng trong Khối và các vấn đề khác",
        "Party building in the Bloc, and anything else",
        "DUK",
    ),
];

/// Whether the database has no reference data yet.
pub fn is_empty(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let count: i64 = bodies::table.count().get_result(conn)?;
    Ok(count == 0)
}

/// Puts the bodies, fields, routing table and the 2023 conference into an empty
/// database. Returns the conference's id.
pub fn reference_data(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<ConferenceId, StoreError> {
    super::write_transaction(conn, |conn| {
        for (code, name_vi, name_en, is_coordinating) in BODIES {
            BodyForm {
                code: code.to_owned(),
                name_vi: name_vi.to_owned(),
                name_en: name_en.to_owned(),
                is_coordinating,
                active: true,
            }
            .insert(conn)?;
        }
        for (order, (code, name_vi, name_en, body)) in FIELDS.into_iter().enumerate() {
            let lead = Body::find_by_code(conn, body)?.map(|b| b.id);
            FieldForm {
                code: code.to_owned(),
                name_vi: name_vi.to_owned(),
                name_en: name_en.to_owned(),
                lead_body_id: lead,
                sort_order: (order as i32 + 1) * 10,
                active: true,
            }
            .insert(conn)?;
        }
        let conference = ConferenceForm {
            name: "Hội nghị đối thoại giữa Ban Thường vụ Tỉnh ủy với cán bộ quản lý cấp phòng và chuyên gia Khối các cơ quan tỉnh".to_owned(),
            theme: "Khát vọng - Trách nhiệm - Đổi mới - Phát triển".to_owned(),
            held_on: NaiveDate::from_ymd_opt(2023, 5, 11).expect("valid date"),
            notice_number: "920-TB/TU".to_owned(),
            response_days: 30,
            open_for_submissions: true,
            reference_prefix: "KN-2023".to_owned(),
        }
        .insert(conn, now)?;
        Ok(conference)
    })
}

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

fn add_user(
    conn: &mut DbConnection,
    (email, name, unit, role, body): Person<'_>,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Actor, StoreError> {
    let body_id = match body {
        Some(code) => Body::find_by_code(conn, code)?.map(|b| b.id),
        None => None,
    };
    let id = NewUser {
        email: email.to_owned(),
        full_name: name.to_owned(),
        unit: unit.to_owned(),
        role,
        body_id,
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
        body: body_id.map(BodyId),
    })
}

/// Adds demo accounts (one per role, a second delegate, and a drafter and an
/// approver in every body) sharing one password,
/// and a dozen items walked through the real workflow into different states.
pub fn demo_data(
    conn: &mut DbConnection,
    conference: ConferenceId,
    password: &str,
    now: NaiveDateTime,
) -> Result<Vec<DemoAccount>, StoreError> {
    let hash = hash_password(password);
    let people = [
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
    ];
    let mut actors = Vec::new();
    let mut accounts = Vec::new();
    for (email, name, unit, role, body) in people {
        actors.push(add_user(conn, (email, name, unit, role, body), &hash, now)?);
        accounts.push(DemoAccount {
            role,
            email: email.to_owned(),
            password: password.to_owned(),
        });
    }
    let [_admin, coordinator, drafter, approver, delegate, delegate2] = actors[..] else {
        unreachable!("six demo people")
    };
    // A drafter and an approver in every other body, so each body's flow can be
    // tried (the Organizing Committee's pair is above).
    let staff = [
        (
            "chuyenvien.ubnd@demo.vn",
            "Võ Minh Tuấn",
            Role::Drafter,
            "BCSD-UBND",
        ),
        (
            "lanhdao.ubnd@demo.vn",
            "Đặng Quốc Hưng",
            Role::Approver,
            "BCSD-UBND",
        ),
        (
            "chuyenvien.tuyengiao@demo.vn",
            "Nguyễn Thị Hà",
            Role::Drafter,
            "TGTU",
        ),
        (
            "lanhdao.tuyengiao@demo.vn",
            "Trần Văn Sơn",
            Role::Approver,
            "TGTU",
        ),
        (
            "chuyenvien.dangkhoi@demo.vn",
            "Hồ Thị Lan",
            Role::Drafter,
            "DUK",
        ),
        (
            "lanhdao.dangkhoi@demo.vn",
            "Lê Đình Thắng",
            Role::Approver,
            "DUK",
        ),
        (
            "chuyenvien.vanphong@demo.vn",
            "Phan Thị Mai",
            Role::Drafter,
            "VPTU",
        ),
        (
            "lanhdao.vanphong@demo.vn",
            "Bùi Văn Minh",
            Role::Approver,
            "VPTU",
        ),
    ];
    let mut body_staff = Vec::new();
    for (email, name, role, body) in staff {
        body_staff.push(add_user(
            conn,
            (email, name, "", role, Some(body)),
            &hash,
            now,
        )?);
        accounts.push(DemoAccount {
            role,
            email: email.to_owned(),
            password: password.to_owned(),
        });
    }

    let [_, _, propaganda_drafter, ..] = body_staff[..] else {
        unreachable!("eight body staff")
    };

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
        let field = super::schema::fields::table
            .filter(super::schema::fields::code.eq(field_code))
            .select(super::schema::fields::id)
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
    // Item 1: answered, published and rated.
    workflow::save_draft(
        conn,
        &drafter,
        ids[0],
        "Ban Tổ chức Tỉnh ủy tiếp thu và sẽ ban hành hướng dẫn trong quý III/2023.",
        later(30),
    )?;
    workflow::send_for_review(conn, &drafter, ids[0], later(29))?;
    workflow::approve(conn, &approver, ids[0], later(28))?;
    workflow::publish(conn, &coordinator, &[ids[0]], later(27))?;
    workflow::rate(
        conn,
        &delegate,
        ids[0],
        Satisfaction::Satisfied,
        "Cảm ơn Ban.",
        later(26),
    )?;
    // Item 7: published, implementation under way.
    workflow::save_draft(
        conn,
        &drafter,
        ids[6],
        "Ban Tổ chức sẽ tham mưu chính sách đãi ngộ trong năm 2024.",
        later(20),
    )?;
    workflow::send_for_review(conn, &drafter, ids[6], later(19))?;
    workflow::approve(conn, &approver, ids[6], later(18))?;
    workflow::publish(conn, &coordinator, &[ids[6]], later(17))?;
    workflow::follow_implementation(
        conn,
        &coordinator,
        ids[6],
        false,
        "Đang xây dựng đề án.",
        later(10),
    )?;
    // Item 8: approved, waiting for publication.
    workflow::save_draft(
        conn,
        &drafter,
        ids[7],
        "Tỉnh sẽ tiếp tục luân chuyển cán bộ trẻ theo kế hoạch.",
        later(8),
    )?;
    workflow::send_for_review(conn, &drafter, ids[7], later(7))?;
    workflow::approve(conn, &approver, ids[7], later(6))?;
    // Item 9: in review.
    workflow::save_draft(
        conn,
        &drafter,
        ids[8],
        "Dự kiến mở 3 lớp bồi dưỡng kỹ năng số.",
        later(5),
    )?;
    workflow::send_for_review(conn, &drafter, ids[8], later(4))?;
    // Item 11: being drafted, with an internal note.
    workflow::save_draft(
        conn,
        &drafter,
        ids[10],
        "Bản nháp: sẽ trình Ban Thường vụ Tỉnh ủy ban hành quy định mới.",
        later(3),
    )?;
    workflow::add_note(
        conn,
        &drafter,
        ids[10],
        "Cần xin ý kiến Ủy ban Kiểm tra.",
        later(3),
    )?;
    // Item 2: withdrawn by the delegate.
    workflow::withdraw(
        conn,
        &delegate,
        ids[1],
        "Đã được giải quyết tại đơn vị.",
        later(20),
    )?;
    // Item 10: re-routed with a coordinating body.
    let organizing = BodyId(
        Body::find_by_code(conn, "TCTU")?
            .map(|b| b.id)
            .ok_or(StoreError::NotFound)?,
    );
    workflow::add_coordinating_body(conn, &coordinator, ids[9], organizing, later(2))?;
    // Item 5: the Propaganda Department's answer waits for its approver.
    workflow::save_draft(
        conn,
        &propaganda_drafter,
        ids[4],
        "Ban Tuyên giáo Tỉnh ủy sẽ phối hợp với Đảng ủy Khối mở chuyên mục về kết luận hội nghị trên Cổng thông tin điện tử Tỉnh ủy.",
        later(2),
    )?;
    workflow::send_for_review(conn, &propaganda_drafter, ids[4], later(1))?;
    // Item 6: the Party Committee Office coordinates on the Bloc's own item.
    let office = BodyId(
        Body::find_by_code(conn, "VPTU")?
            .map(|b| b.id)
            .ok_or(StoreError::NotFound)?,
    );
    workflow::add_coordinating_body(conn, &coordinator, ids[5], office, later(1))?;
    // The demo's history happened "in the past": it sends no mail.
    diesel::delete(super::schema::outbox::table).execute(conn)?;
    Ok(accounts)
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
