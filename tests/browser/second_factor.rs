//! The second factor in a real browser: an approver sets up an authenticator from
//! the QR page (typing the secret shown beside it), keeps the recovery codes, then
//! logs in with password and code.

use crate::browser::{browser_test, DESKTOP};
use crate::cast::cast;
use totp_rs::{Algorithm, Secret, TOTP};

/// The code an authenticator app with this secret shows `offset` seconds from now.
fn code(secret: &str, offset: i64) -> String {
    let typed: String = secret.split_whitespace().collect();
    let bytes = Secret::Encoded(typed).to_bytes().expect("a base32 secret");
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    totp.generate((chrono::Utc::now().timestamp() + offset) as u64)
}

#[test]
fn an_approver_enrols_with_the_qr_page_and_logs_in_with_a_code() {
    browser_test(DESKTOP, async |app, browser| {
        let people = cast(app);
        browser.login(&people.approver).await;
        browser.click_link("Xác thực hai bước").await;
        assert_eq!(browser.path().await, "/account/second-factor");
        assert!(browser.has("figure.qr svg").await, "the QR code is drawn");
        let secret = browser.text_of("#totp-secret").await;
        browser.axe_check().await;

        browser.fill("code", &code(&secret, 0)).await;
        browser.click("Xác nhận và bật").await;
        let codes = browser.text_of("#recovery-codes").await;
        assert_eq!(codes.lines().filter(|l| l.contains('-')).count(), 10);
        browser.axe_check().await;
        browser.click_link("Tôi đã lưu các mã, tiếp tục").await;
        browser.logout().await;

        browser.submit_password(&people.approver).await;
        assert_eq!(browser.path().await, "/login/second-factor");
        browser.axe_check().await;
        // The step just used for enrolment is spent; the app shows the next one.
        browser.fill("code", &code(&secret, 30)).await;
        browser.click("Xác nhận").await;
        assert_eq!(browser.path().await, "/review");
    });
}
