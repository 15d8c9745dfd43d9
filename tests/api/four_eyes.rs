//! The four-eyes rule for the whole draft cycle (issue 8): an approver who wrote
//! any revision since the item last went back to drafting cannot approve it, even
//! when a drafter wrote the latest; a new cycle without their revisions frees them.

use reqwest::StatusCode;

use crate::helpers::{spawn_app, TestSession};
use dialogue_desk::domain::Role;

const APPROVE_FORM: &str = "/approve\" class=\"inline\"";

async fn drafted(session: &TestSession, id: i32, text: &str, intent: &str) {
    session
        .post_ok(
            &format!("/items/{id}/draft"),
            &[("text", text), ("intent", intent), ("outcome", "explained")],
        )
        .await;
}

#[tokio::test]
async fn an_approver_who_edited_an_earlier_revision_of_the_cycle_cannot_approve_it() {
    let app = spawn_app().await;
    let delegate = app.login(&app.add_user(Role::Delegate, None)).await;
    let drafter = app.login(&app.add_user(Role::Drafter, Some("TCTU"))).await;
    let approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let other_approver = app.login(&app.add_user(Role::Approver, Some("TCTU"))).await;
    let id = delegate
        .submit_proposal(
            "Bốn mắt",
            "Nội dung thử nguyên tắc bốn mắt.",
            app.field_id("to-chuc-can-bo"),
        )
        .await;
    let item = format!("/items/{id}");
    // The approver writes the first revision, a drafter the latest.
    drafted(&approver, id, "Bản do người phê duyệt viết.", "save").await;
    drafted(&drafter, id, "Bản do chuyên viên sửa lại.", "review").await;

    let page = approver.get(&item).await;
    assert!(!page.body.contains(APPROVE_FORM), "no approve button");
    let refused = approver.post(&format!("{item}/approve"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("trong vòng soạn thảo hiện tại"),
        "{}",
        refused.body
    );
    // Another approver, who wrote nothing in this cycle, may approve it.
    assert!(other_approver.get(&item).await.body.contains(APPROVE_FORM));

    // Returned to drafting; the new cycle is the drafter's alone.
    other_approver
        .post_ok(&format!("{item}/return"), &[("text", "Cần viết lại.")])
        .await;
    drafted(&drafter, id, "Bản viết lại của chuyên viên.", "review").await;
    assert!(approver.get(&item).await.body.contains(APPROVE_FORM));
    let approved = approver.post(&format!("{item}/approve"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
}
