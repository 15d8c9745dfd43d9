//! Browser tests: the real app in a real, headless Chromium driven through
//! chromedriver, clicking and typing like a person, with axe-core checking every
//! page of each journey against WCAG 2.0/2.1 A and AA, and the W3C Nu checker
//! checking the HTML of every page as served. Each test starts its own
//! app (database, mail server), chromedriver and browser session.
//!
//! Needs Debian's `chromium` and `chromium-driver`, Java, and axe-core and
//! vnu-jar from npm (`npm ci --prefix tests/browser`); without them each test prints why and
//! skips, except under CI (`CI` set), where that is a failure. A failing test
//! leaves a screenshot in `target/browser-screenshots/`. The pictures of
//! `docs/screenshots/` are refreshed on purpose by an ignored test:
//! `cargo test --test browser screenshots -- --ignored`.

// The API tests' harness, shared rather than copied; this binary uses a part of it.
#[path = "../api/helpers.rs"]
#[expect(dead_code, reason = "shared with the API tests, which use all of it")]
mod helpers;
#[path = "../api/smtp.rs"]
#[expect(dead_code, reason = "shared with the API tests, which use all of it")]
mod smtp;

mod browser;
mod cast;
mod clock;
mod contributions;
mod dashboard;
mod deadlines;
mod exports;
mod follow_up;
mod journeys;
mod leadership;
mod outcomes;
mod phone;
mod print;
mod screenshots;
mod second_factor;
mod tasks;
mod valid_html;
mod webdriver;
