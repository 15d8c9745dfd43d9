//! Deadlines at a glance in the browser: the coordinator's deadlines page with
//! its badges and counts, and a drafter's queue with its counts above the list.

use chrono::Duration;
use diesel::prelude::*;

use crate::browser::{browser_test, DESKTOP};
use crate::cast::{cast, submitted};
use crate::helpers::TestApp;
use dialogue_desk::db::schema::items;

/// Makes item `id` overdue by moving its stored clock into the past.
fn make_overdue(app: &TestApp, id: i32) {
    let past = chrono::Utc::now().naive_utc() - Duration::days(15);
    diesel::update(items::table.find(id))
        .set((
            items::stage_due_at.eq(Some(past)),
            items::next_due_at.eq(Some(past)),
            items::due_soon_at.eq(Some(past - Duration::days(2))),
        ))
        .execute(&mut app.conn())
        .unwrap();
}

#[test]
fn the_coordinator_sees_the_deadlines_page_and_a_drafter_the_counts_above_the_queue() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        let late = submitted(
            app,
            &people.delegate,
            "Kiến nghị đã quá hạn",
            "to-chuc-can-bo",
        )
        .await;
        submitted(
            app,
            &people.delegate,
            "Kiến nghị còn trong hạn",
            "to-chuc-can-bo",
        )
        .await;
        make_overdue(app, late);

        browser.login(&people.coordinator).await;
        browser.click_link("Theo dõi thời hạn").await;
        assert_eq!(browser.path().await, "/deadlines");
        browser.axe_check().await;
        let counts = browser.text_of("table.deadline-counts").await;
        assert!(counts.contains("Ban Tổ chức Tỉnh ủy"), "{counts}");
        assert!(counts.contains("Quá hạn") && counts.contains("Còn hạn"));
        let overdue = browser.text_of("table.overdue-items").await;
        assert!(overdue.contains("Kiến nghị đã quá hạn"), "{overdue}");
        assert!(!overdue.contains("Kiến nghị còn trong hạn"));
        // The badge is a word on a colour, not the colour alone.
        assert_eq!(browser.text_of("thead .urgency-overdue").await, "Quá hạn");
        browser.logout().await;

        browser.login(&people.drafter).await;
        browser.goto("/queue").await;
        browser.axe_check().await;
        let summary = browser.text_of(".urgency-counts").await;
        assert!(summary.contains("1 quá hạn"), "{summary}");
        assert!(summary.contains("1 còn hạn"), "{summary}");
        browser.click_link("1 quá hạn").await;
        let list = browser.text_of("table.items").await;
        assert!(list.contains("Kiến nghị đã quá hạn"), "{list}");
        assert!(!list.contains("Kiến nghị còn trong hạn"));
        assert!(browser
            .text_of("table.items .urgency-overdue")
            .await
            .contains("Quá hạn"));
    });
}
