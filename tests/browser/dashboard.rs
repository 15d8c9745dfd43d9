//! The dashboard and the periodic report in the browser, on an office PC and on a
//! phone: reached from the menu, charts drawn without JavaScript, axe finds
//! nothing.

use crate::browser::{browser_test, DESKTOP, PHONE};
use crate::cast::{cast, published};

#[test]
fn the_coordinator_reads_the_dashboard_and_makes_a_periodic_report() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        published(
            app,
            &people,
            "Quy định về luân chuyển cán bộ trẻ",
            "Ban Tổ chức Tỉnh ủy sẽ trình ban hành quy định mới.",
        )
        .await;
        browser.login(&people.coordinator).await;
        browser.click_link("Thống kê").await;
        assert_eq!(browser.path().await, "/dashboard");
        assert!(browser.has("svg#chart-bodies title").await);
        let totals = browser.text_of("#dash-totals + div table").await;
        assert!(totals.contains("Đã trả lời (đã công bố)"), "{totals}");
        browser.axe_check().await;

        browser.click_link("Lập báo cáo định kỳ").await;
        assert_eq!(browser.path().await, "/reports/periodic");
        browser.axe_check().await;
        browser.click("Lập báo cáo").await;
        let title = browser.text_of("h1.doc-title").await;
        assert!(
            title.to_uppercase().contains("KẾT QUẢ TIẾP NHẬN"),
            "{title}"
        );
        let report = browser.text_of("main").await.to_uppercase();
        assert!(report.contains("V. KIẾN NGHỊ CÒN ĐANG XỬ LÝ"), "{report}");
        assert!(
            report.contains("NĂM 20"),
            "the place-date line prints the year: {report}"
        );
        browser.axe_check().await;
    });
}

#[test]
fn on_a_phone_the_dashboard_fits_and_the_report_passes_axe() {
    browser_test(PHONE, async |app, browser| {
        let people = cast(app);
        published(app, &people, "Chế độ phụ cấp kiêm nhiệm", "Trả lời.").await;
        browser.login(&people.drafter).await;
        browser.goto("/dashboard").await;
        assert_eq!(browser.path().await, "/dashboard");
        browser.assert_fits_width().await;
        browser.axe_check().await;
        browser.goto("/reports/periodic").await;
        browser.assert_fits_width().await;
        browser.axe_check().await;
        browser
            .goto("/reports/periodic?period=year&year=2023")
            .await;
        browser.axe_check().await;
    });
}
