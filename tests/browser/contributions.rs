//! Contributions in the browser: the lead body asks one of its units, the unit's
//! drafter writes and sends, the unit's approver approves, and the lead body finds
//! the approved text beside its draft.

use dialogue_desk::db::schema::items;
use dialogue_desk::domain::Role;
use diesel::prelude::*;

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, submitted};

#[test]
fn the_lead_body_asks_its_unit_which_drafts_approves_and_the_lead_sees_it_beside_the_draft() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let tctu = app.body_id("TCTU");
        app.execute(&format!(
            "INSERT INTO bodies (code, name_vi, name_en, is_coordinating, active, parent_id) \
             VALUES ('SNV', 'Sở Nội vụ', 'Department of Home Affairs', FALSE, TRUE, {tctu})"
        ));
        let unit_drafter = app.add_user(Role::Drafter, Some("SNV"));
        let unit_approver = app.add_user(Role::Approver, Some("SNV"));
        let title = "Bổ sung biên chế cho cơ quan Đảng cấp tỉnh";
        let id = submitted(app, &people.delegate, title, "to-chuc-can-bo").await;
        let reference: String = items::table
            .find(id)
            .select(items::reference)
            .first(&mut *app.conn())
            .unwrap();
        let item = format!("/items/{id}");

        // The lead body's drafter asks the unit.
        browser.login(&people.drafter).await;
        browser.goto(&item).await;
        browser.axe_check().await;
        browser.choose("Cơ quan được đề nghị", "Sở Nội vụ").await;
        browser
            .fill(
                "Nội dung đề nghị tham gia ý kiến",
                "Đề nghị Sở Nội vụ cho ý kiến về số biên chế cần bổ sung.",
            )
            .await;
        browser.click("Gửi đề nghị tham gia ý kiến").await;
        let panel = browser.text_of("section.contributions").await;
        assert!(
            panel.contains("Sở Nội vụ") && panel.contains("Đang soạn ý kiến"),
            "{panel}"
        );
        browser.axe_check().await;
        browser.logout().await;

        // The unit's drafter finds the request in the list and writes.
        browser.login(&unit_drafter).await;
        browser.click_link("Ý kiến tham gia").await;
        assert!(browser.path().await.ends_with("/contributions"));
        browser.axe_check().await;
        browser.click_link(&reference).await;
        browser.axe_check().await;
        browser
            .fill(
                "Nội dung ý kiến tham gia",
                "Sở Nội vụ đề nghị bổ sung 02 biên chế trong năm 2024.",
            )
            .await;
        browser.click("Lưu và trình lãnh đạo duyệt").await;
        let panel = browser.text_of("section.contributions").await;
        assert!(panel.contains("Chờ lãnh đạo duyệt"), "{panel}");
        browser.logout().await;

        // The unit's approver approves.
        browser.login(&unit_approver).await;
        browser.goto(&item).await;
        browser.axe_check().await;
        browser.click("Duyệt ý kiến tham gia").await;
        let panel = browser.text_of("section.contributions").await;
        assert!(panel.contains("Đã duyệt"), "{panel}");
        browser.logout().await;

        // The lead body sees the approved text beside its drafting form.
        browser.login(&people.drafter).await;
        browser.goto(&item).await;
        let panel = browser.text_of("section.contributions").await;
        assert!(
            panel.contains("Sở Nội vụ đề nghị bổ sung 02 biên chế trong năm 2024."),
            "{panel}"
        );
        assert!(
            browser.has("#answer").await,
            "the drafting form is on the same page"
        );
        browser.axe_check().await;
    });
}
