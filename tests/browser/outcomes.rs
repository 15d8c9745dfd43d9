//! Issue 10 in the browser: a drafter writes an accepted answer with a commitment,
//! the approver approves both, the coordinator publishes, and the delegate reads
//! the outcome and the commitment. Every page on the way is checked with axe-core.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, submitted};

#[test]
fn an_accepted_answer_with_a_commitment_is_drafted_approved_and_published() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let id = submitted(
            app,
            &people.delegate,
            "Tiêu chí quy hoạch cán bộ trẻ",
            "to-chuc-can-bo",
        )
        .await;
        let item = format!("/items/{id}");

        // The drafter chooses "accepted": without a commitment it cannot go on.
        browser.login(&people.drafter).await;
        browser.goto(&item).await;
        browser
            .fill(
                "Nội dung trả lời",
                "Ban sẽ ban hành tiêu chí trong quý III.",
            )
            .await;
        browser.tick("Tiếp thu, sẽ thực hiện").await;
        browser.click("Lưu dự thảo").await;
        browser.axe_check().await;
        browser
            .fill(
                "Nội dung sẽ thực hiện",
                "Ban hành tiêu chí quy hoạch cán bộ trẻ",
            )
            .await;
        browser
            .fill("Số ngày làm việc sau khi công bố (1–1000)", "30")
            .await;
        browser.fill("Văn bản dự kiến ban hành", "Quy định").await;
        browser.click("Thêm cam kết").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã thêm cam kết. Trả lời cần được duyệt lại."
        );
        assert!(browser
            .text_of("#commitments-draft-heading + ul")
            .await
            .contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
        browser.click("Lưu và trình phê duyệt").await;
        browser.axe_check().await;
        browser.logout().await;

        // The approver sees the outcome and the commitment with the draft.
        browser.login(&people.approver).await;
        browser.goto(&item).await;
        assert!(browser
            .text_of("#review-heading ~ dl")
            .await
            .contains("Tiếp thu, sẽ thực hiện"));
        browser.axe_check().await;
        browser.click("Phê duyệt").await;
        browser.logout().await;

        browser.login(&people.coordinator).await;
        browser.goto(&item).await;
        browser.click("Công bố câu trả lời").await;
        assert_eq!(browser.text_of(".flash").await, "Đã công bố câu trả lời.");
        browser.logout().await;

        // The delegate reads the outcome and when the commitment is due.
        browser.login(&people.delegate).await;
        browser.goto(&item).await;
        assert!(browser
            .text_of("#answer-heading ~ dl")
            .await
            .contains("Tiếp thu, sẽ thực hiện"));
        // Once published, the commitments show with their due date and progress.
        let commitments = browser.text_of(".commitments-panel table").await;
        assert!(commitments.contains("Ban hành tiêu chí quy hoạch cán bộ trẻ"));
        assert!(commitments.contains("Chưa bắt đầu"), "{commitments}");
        browser.axe_check().await;
    });
}
