//! Issue 10 in the browser: the owning body's drafter records progress on the
//! answer's commitment, then done with its evidence; the delegate finds the item
//! resolved and rates the result. Every page on the way is checked with axe-core.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, published};
use dialogue_desk::db::commitments::NewCommitment;
use dialogue_desk::db::schema::items;
use diesel::prelude::*;

#[test]
fn a_drafter_records_progress_and_done_and_the_delegate_rates_the_result() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let id = published(
            app,
            &people,
            "Hướng dẫn luân chuyển cán bộ trẻ",
            "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn trong quý tới.",
        )
        .await;
        // The answer was accepted with one commitment (written with the draft by
        // another part of the desk; set here directly).
        app.execute(&format!(
            "UPDATE items SET outcome = 'accepted', resolved_at = NULL WHERE id = {id}"
        ));
        let conference: i32 = items::table
            .find(id)
            .select(items::conference_id)
            .first(&mut *app.conn())
            .unwrap();
        let now = chrono::Utc::now().naive_utc();
        NewCommitment {
            conference_id: conference,
            item_id: Some(id),
            description: "Ban hành hướng dẫn luân chuyển".into(),
            owner_body_id: app.body_id("TCTU"),
            due_working_days: Some(30),
            due_on: None,
            due_at: Some(now + chrono::Duration::days(40)),
            planned_document: "Hướng dẫn của Ban Tổ chức Tỉnh ủy".into(),
            created_by: people.coordinator.id.0,
            created_at: now,
            updated_at: now,
        }
        .insert(&mut app.conn())
        .unwrap();

        // The drafter opens the commitment from the item and reports progress.
        browser.login(&people.drafter).await;
        browser.goto(&format!("/items/{id}")).await;
        browser.click_link("Ban hành hướng dẫn luân chuyển").await;
        browser.axe_check().await;
        browser.tick("progress-cannot_be_done").await;
        browser.click("Ghi nhận tiến độ").await;
        assert!(browser.has("#note-error").await);
        browser.axe_check().await;
        browser.tick("progress-in_progress").await;
        browser.fill("Ghi chú ngắn", "Đã lập tổ soạn thảo.").await;
        browser.click("Ghi nhận tiến độ").await;
        assert_eq!(browser.text_of(".flash").await, "Đã ghi nhận tiến độ.");
        assert!(browser
            .text_of(".checkins")
            .await
            .contains("Đã lập tổ soạn thảo."));
        browser.tick("progress-done").await;
        browser.fill("Ghi chú ngắn", "Đã ban hành hướng dẫn.").await;
        browser
            .fill(
                "Đường dẫn minh chứng",
                "https://tinhuy.nghean.vn/huong-dan-15",
            )
            .await;
        browser.fill("Số văn bản", "15-HD/BTCTU").await;
        browser.click("Ghi nhận tiến độ").await;
        assert!(browser
            .text_of(".flash")
            .await
            .contains("kiến nghị đã được giải quyết xong"));
        browser.axe_check().await;
        browser.logout().await;

        // The delegate sees it resolved and rates the result.
        browser.login(&people.delegate).await;
        browser.goto(&format!("/items/{id}")).await;
        let panel = browser.text_of(".commitments-panel").await;
        assert!(panel.contains("Đã giải quyết xong"), "{panel}");
        assert!(panel.contains("Đã hoàn thành"), "{panel}");
        browser.axe_check().await;
        browser.tick("result-level-partly").await;
        browser
            .fill("Ý kiến về kết quả (không bắt buộc)", "Cần tập huấn thêm.")
            .await;
        browser.click("Gửi đánh giá kết quả").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Cảm ơn đồng chí đã đánh giá kết quả."
        );
        assert!(browser
            .text_of(".commitments-panel")
            .await
            .contains("Cần tập huấn thêm."));
        browser.axe_check().await;
    });
}
