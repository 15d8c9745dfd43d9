//! Issue 11 in the browser: the lists offer their Excel and CSV files, and a
//! coordinator makes a thematic report from its form.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::cast;

#[test]
fn a_coordinator_finds_the_exports_and_makes_a_thematic_report() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let field = app.field_id("to-chuc-can-bo");
        app.login(&people.delegate)
            .await
            .submit_proposal("Đào tạo cán bộ trẻ", "Đề nghị mở lớp bồi dưỡng.", field)
            .await;
        browser.login(&people.coordinator).await;
        browser.goto("/items").await;
        assert!(browser.has("a[href*='format=xlsx'][download]").await);
        assert!(browser.has("a[href*='format=csv'][download]").await);
        browser.click_link("Báo cáo chuyên đề").await;
        assert!(browser.path().await.starts_with("/reports/thematic"));
        browser.axe_check().await;
        browser.fill("Từ khóa", "can bo").await;
        browser.click("Lập báo cáo").await;
        let report = browser.text_of("main").await;
        assert!(report.contains("Đào tạo cán bộ trẻ"), "{report}");
        assert!(
            report.to_lowercase().contains("i. tình hình chung"),
            "{report}"
        );
        assert!(browser.has("a[href*='format=xlsx']").await);
        browser.axe_check().await;
    });
}

#[test]
fn on_a_phone_the_thematic_form_fits_the_screen_and_the_report_passes_axe() {
    browser_test(crate::browser::PHONE, async |app, browser| {
        let people = cast(app);
        browser.login(&people.drafter).await;
        browser.goto("/reports/thematic").await;
        browser.assert_fits_width().await;
        browser.axe_check().await;
        // The report itself is an A4 document (print.css), like the other print
        // views: on a phone it scrolls sideways, but passes axe.
        browser.goto("/reports/thematic?q=can+bo").await;
        browser.axe_check().await;
    });
}
