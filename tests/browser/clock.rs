//! Issue 9 in the browser: the body asks the delegate for more information and the
//! delegate answers on the item; the body asks for more time and a coordinator
//! grants it. Every page on the way is checked with axe-core.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, submitted};
use dialogue_desk::db::deadlines::calendar_around;
use dialogue_desk::db::schema::items;
use dialogue_desk::domain::calendar::local_date;
use diesel::prelude::*;

#[test]
fn the_body_asks_the_delegate_who_answers_on_the_item_and_the_clock_runs_again() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let id = submitted(
            app,
            &people.delegate,
            "Bổ sung biên chế cho đơn vị mới thành lập",
            "to-chuc-can-bo",
        )
        .await;

        // The drafter asks; the clock stops.
        browser.login(&people.drafter).await;
        browser.goto(&format!("/items/{id}")).await;
        browser.axe_check().await;
        browser.click("Gửi đề nghị bổ sung").await;
        assert!(browser.has("#info_question-error").await);
        browser
            .fill(
                "Nội dung cần bổ sung",
                "Đề nghị gửi quyết định thành lập đơn vị.",
            )
            .await;
        browser.click("Gửi đề nghị bổ sung").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã gửi đề nghị bổ sung thông tin cho đại biểu; thời hạn tạm dừng."
        );
        assert!(browser
            .text_of(".clock-paused")
            .await
            .contains("Thời hạn đang tạm dừng từ"));
        browser.axe_check().await;
        browser.logout().await;

        // The delegate reads the question on the item and answers it.
        browser.login(&people.delegate).await;
        browser.goto(&format!("/items/{id}")).await;
        assert!(browser
            .text_of(".clock-paused")
            .await
            .contains("Đề nghị gửi quyết định thành lập đơn vị."));
        browser.axe_check().await;
        browser
            .fill("Thông tin bổ sung", "Quyết định số 15/QĐ-UBND gửi kèm.")
            .await;
        browser.click("Gửi thông tin bổ sung").await;
        assert!(browser
            .text_of(".flash")
            .await
            .starts_with("Đã gửi thông tin bổ sung"));
        assert!(!browser.has(".clock-paused").await);
        assert!(browser
            .text_of(".timeline")
            .await
            .contains("Quyết định số 15/QĐ-UBND gửi kèm."));
        browser.axe_check().await;
    });
}

#[test]
fn the_body_asks_for_more_time_and_the_coordinator_grants_it() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let id = submitted(
            app,
            &people.delegate,
            "Chế độ hỗ trợ cán bộ biệt phái",
            "to-chuc-can-bo",
        )
        .await;
        let deadline: chrono::NaiveDateTime = items::table
            .find(id)
            .select(items::deadline)
            .first(&mut app.conn())
            .unwrap();
        let calendar = calendar_around(&mut app.conn(), deadline).unwrap();
        let mut date = local_date(deadline) + chrono::Duration::days(20);
        while !calendar.is_working_day(date) {
            date = date.succ_opt().unwrap();
        }

        // The drafter asks for a later date, with a reason.
        browser.login(&people.drafter).await;
        browser.goto(&format!("/items/{id}")).await;
        browser
            .fill("Lý do gia hạn", "Cần ý kiến của ba sở liên quan.")
            .await;
        // A date input takes the date in the browser's own order (month first in
        // the test browser's English locale); what it sends is always yyyy-mm-dd.
        browser
            .fill("Hạn mới đề nghị", &date.format("%m%d%Y").to_string())
            .await;
        assert_eq!(browser.value_of("Hạn mới đề nghị").await, date.to_string());
        browser.click("Gửi đề nghị gia hạn").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã gửi đề nghị gia hạn đến bộ phận điều phối."
        );
        assert!(browser
            .text_of("table.extensions")
            .await
            .contains("Chờ quyết định"));
        browser.axe_check().await;
        browser.logout().await;

        // The coordinator grants it on the item.
        browser.login(&people.coordinator).await;
        browser.goto(&format!("/items/{id}")).await;
        browser.axe_check().await;
        browser.click("Đồng ý gia hạn").await;
        assert_eq!(
            browser.text_of(".flash").await,
            "Đã đồng ý gia hạn; đại biểu được báo hạn mới."
        );
        let shown = date.format("%d/%m/%Y").to_string();
        assert!(browser.text_of(".details").await.contains(&shown));
        assert!(browser
            .text_of("table.extensions")
            .await
            .contains("Đồng ý gia hạn"));
        browser.axe_check().await;
        browser.logout().await;

        // The delegate sees the new date and the move in the history.
        browser.login(&people.delegate).await;
        browser.goto(&format!("/items/{id}")).await;
        assert!(browser.text_of(".timeline").await.contains(&shown));
        browser.axe_check().await;
    });
}
