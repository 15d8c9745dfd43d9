//! Reference data put into every new database: the bodies, fields and routing
//! table of Notice 920-TB/TU and its 2023 conference.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::bodies::{Body, BodyForm};
use crate::db::conferences::ConferenceForm;
use crate::db::fields::FieldForm;
use crate::db::schema::bodies;
use crate::db::{write_transaction, DbConnection, StoreError};
use crate::domain::ConferenceId;

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
    write_transaction(conn, |conn| {
        for (code, name_vi, name_en, is_coordinating) in BODIES {
            BodyForm {
                code: code.to_owned(),
                name_vi: name_vi.to_owned(),
                name_en: name_en.to_owned(),
                is_coordinating,
                active: true,
                parent_id: None,
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
