//! The pictures in docs/screenshots: each role's main page at 1280 × 800 and one
//! page on a phone, taken from the real app with believable data. Ignored by a
//! plain `cargo test`, since it rewrites files in `docs/`; run it on purpose with
//! `cargo test --test browser screenshots -- --ignored`.

use std::path::{Path, PathBuf};

use crate::browser::{browser_test, LAPTOP, PHONE};
use crate::cast::{approved, cast, published, rename, submitted};

fn docs_picture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/screenshots")
        .join(format!("{name}.png"))
}

#[test]
#[ignore = "rewrites docs/screenshots; run with --ignored to refresh them"]
fn screenshots_of_each_roles_main_page_for_the_docs() {
    browser_test(LAPTOP, async |app, browser| {
        let people = cast(app);
        rename(app, &people.delegate, "Nguyễn Văn An");
        rename(app, &people.drafter, "Lê Thị Hoa");
        rename(app, &people.approver, "Phạm Minh Tuấn");
        rename(app, &people.coordinator, "Hoàng Thu Hà");
        rename(app, &people.admin, "Đinh Quang Huy");

        // Items at every step, as after a few weeks of the conference.
        let answered = published(
            app,
            &people,
            "Quy định về luân chuyển cán bộ trẻ có triển vọng",
            "Ban Tổ chức Tỉnh ủy tiếp thu kiến nghị và sẽ trình Ban Thường vụ Tỉnh ủy ban hành \
             quy định mới trong quý IV năm 2023.\nQuy định nêu rõ tiêu chuẩn, thời gian luân chuyển \
             và chế độ hỗ trợ đối với cán bộ được luân chuyển.",
        )
        .await;
        approved(
            app,
            &people,
            "Chế độ phụ cấp đối với cán bộ kiêm nhiệm",
            "Thực hiện theo Quy định số 09-QĐ/TU.",
        )
        .await;
        approved(
            app,
            &people,
            "Tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng",
            "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn thống nhất.",
        )
        .await;
        let in_review = submitted(
            app,
            &people.delegate,
            "Đánh giá cán bộ theo kết quả thực hiện nhiệm vụ",
            "to-chuc-can-bo",
        )
        .await;
        app.login(&people.drafter)
            .await
            .post_ok(
                &format!("/items/{in_review}/draft"),
                &[
                    ("text", "Ban Tổ chức Tỉnh ủy đang xây dựng bộ tiêu chí."),
                    ("intent", "review"),
                    ("outcome", "explained"),
                ],
            )
            .await;
        submitted(
            app,
            &people.delegate,
            "Số hoá hồ sơ đảng viên trong Khối",
            "cai-cach-hanh-chinh-dang",
        )
        .await;
        submitted(
            app,
            &people.delegate,
            "Nâng cao chất lượng sinh hoạt chi bộ",
            "khac",
        )
        .await;
        submitted(
            app,
            &people.delegate,
            "Rút ngắn thời gian cấp phép xây dựng",
            "thu-tuc-hanh-chinh",
        )
        .await;

        let pages = [
            (&people.delegate, "/my", "delegate-my-proposals"),
            (
                &people.delegate,
                &format!("/items/{answered}") as &str,
                "delegate-item-with-answer",
            ),
            (&people.drafter, "/queue", "drafter-queue"),
            (&people.approver, "/review", "approver-review"),
            (&people.coordinator, "/triage", "coordinator-triage"),
            (&people.coordinator, "/publish", "coordinator-publish"),
            (&people.admin, "/admin/users", "admin-users"),
        ];
        let mut who = None;
        for (user, path, name) in pages {
            if who != Some(&user.email) {
                if who.is_some() {
                    browser.logout().await;
                }
                browser.login(user).await;
                who = Some(&user.email);
            }
            browser.goto(path).await;
            browser.screenshot(&docs_picture(name)).await;
        }
        browser.logout().await;

        browser.resize(PHONE).await;
        browser.login(&people.delegate).await;
        browser.goto("/my").await;
        browser.scroll_to("table.items").await;
        browser
            .screenshot(&docs_picture("phone-my-proposals"))
            .await;
    });
}
