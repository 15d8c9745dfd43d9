//! The notice's own tasks in the browser: a coordinator assigns one, records an
//! inspection visit, and finds both on the monitoring page.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::cast;

#[test]
fn a_coordinator_records_a_task_and_an_inspection_and_sees_them_on_the_monitoring_page() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        browser.login(&people.coordinator).await;
        browser.click_link("Theo dõi thực hiện").await;
        assert!(browser.path().await.ends_with("/monitoring"));
        browser.axe_check().await;
        browser.click_link("Giao nhiệm vụ mới").await;
        browser.axe_check().await;
        browser
            .fill(
                "Nội dung nhiệm vụ",
                "Tham mưu quy định thay thế cán bộ vi phạm kỷ luật",
            )
            .await;
        browser
            .choose("Cơ quan chủ trì", "Ban Tổ chức Tỉnh ủy")
            .await;
        browser.tick("Ban Tuyên giáo Tỉnh ủy").await;
        browser.fill("Số ngày làm việc", "20").await;
        browser.click("Lưu nhiệm vụ").await;
        assert!(browser.path().await.ends_with("/monitoring"));
        let rows = browser.text_of("table.items").await;
        assert!(
            rows.contains("Tham mưu quy định thay thế cán bộ vi phạm kỷ luật"),
            "{rows}"
        );
        assert!(rows.contains("Ban Tổ chức Tỉnh ủy") && rows.contains("Ban Tuyên giáo Tỉnh ủy"));
        assert!(
            rows.contains("Còn hạn") && rows.contains("Chưa thực hiện"),
            "{rows}"
        );

        browser
            .choose("Cơ quan được kiểm tra", "Ban Tổ chức Tỉnh ủy")
            .await;
        browser
            .fill(
                "Kết quả kiểm tra",
                "Đã có dự thảo quy định, chưa lấy ý kiến.",
            )
            .await;
        browser
            .fill(
                "Kiến nghị sau kiểm tra",
                "Lấy ý kiến các cơ quan trước tháng sau.",
            )
            .await;
        browser.click("Ghi nhận").await;
        browser.axe_check().await;
        let visits = browser.text_of("#inspections").await;
        assert!(
            visits.contains("Đã có dự thảo quy định, chưa lấy ý kiến."),
            "{visits}"
        );
        assert!(visits.contains("Lấy ý kiến các cơ quan trước tháng sau."));
    });
}
