//! Every page is valid HTML: the pages as the app serves them (not the browser's
//! DOM), for every role and in both languages, checked once by the W3C Nu HTML
//! checker (`vnu.jar` from npm's `vnu-jar`, run by Java) with `--errors-only`.
//!
//! The pages are found as a person finds them: from each role's home page, every
//! link the served HTML offers is followed (one page per path, whatever the query
//! string), so a new page reachable from the menu is checked without a list to
//! keep up to date. A few pages only a form leads to (a form re-shown with its
//! errors, a page that does not exist) are added by hand.
//!
//! Needs Java and `npm ci --prefix tests/browser`; without them the test prints
//! why and skips, except under CI, where that is a failure (as for Chromium).

use reqwest::StatusCode;
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::missing;
use crate::cast::{approved, cast, published, submitted};
use crate::helpers::{spawn_app, TestApp, TestSession, TestUser};

/// At most this many pages per role and language: a guard against a link loop.
const MAX_PAGES: usize = 60;

/// Java and the checker, when both are here.
fn checker() -> Option<(PathBuf, PathBuf)> {
    let java = std::env::var_os("JAVA")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("java"));
    let runs = Command::new(&java)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !runs {
        return missing("java not found (apt-get install default-jre-headless)");
    }
    let jar = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    if !jar.is_file() {
        return missing("vnu-jar not installed (npm ci --prefix tests/browser)");
    }
    Some((java, jar))
}

/// One page as served: who saw it, in which language, where, and its HTML.
struct ServedPage {
    label: String,
    html: String,
}

/// The same-origin links of `html` (`href="/…"`), entities in them decoded.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| !href.starts_with("/static/"))
        .map(|href| href.replace("&amp;", "&").replace("&#x2F;", "/"))
        .collect()
}

/// What a `GET` brings.
enum Served {
    /// A page: its status and HTML.
    Page(StatusCode, String),
    /// A redirect to this path.
    Redirect(String),
    /// Anything else (a CSV file, …).
    Other,
}

/// `GET href` in `session`.
async fn served(session: &TestSession, href: &str) -> Served {
    let response = session
        .client
        .get(format!("{}{href}", session.address))
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        return Served::Redirect(location.to_owned());
    }
    let is_html = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return Served::Other;
    }
    Served::Page(status, response.text().await.unwrap_or_default())
}

/// Every page reachable by links from `start` in `session`.
async fn crawl(session: &TestSession, who: &str, lang: &str, start: &str) -> Vec<ServedPage> {
    let mut seen = BTreeSet::new();
    // Each link with the page it was found on.
    let mut queue = VecDeque::from([(start.to_owned(), String::from("(start)"))]);
    let mut pages = Vec::new();
    while let Some((href, from)) = queue.pop_front() {
        let path = href.split(['?', '#']).next().unwrap_or_default().to_owned();
        if !seen.insert(path.clone()) || pages.len() >= MAX_PAGES {
            continue;
        }
        let (status, html) = match served(session, &href).await {
            Served::Page(status, html) => (status, html),
            Served::Redirect(location) => {
                queue.push_back((location, from));
                continue;
            }
            Served::Other => continue,
        };
        assert!(
            status.is_success(),
            "{who} ({lang}) follows a link on {from} to {href} and gets {status}"
        );
        queue.extend(links(&html).into_iter().map(|link| (link, href.clone())));
        pages.push(ServedPage {
            label: format!("{who}, {lang}, {href}"),
            html,
        });
    }
    pages
}

/// A logged-in session of `user` in `lang`.
async fn session_in(app: &TestApp, user: &TestUser, lang: &str) -> TestSession {
    let session = app.login(user).await;
    session
        .post_ok("/language", &[("lang", lang), ("next", "/")])
        .await;
    session
}

/// Runs the checker once on all `pages`; its messages, each with the page's label.
fn check(java: &Path, jar: &Path, pages: &[ServedPage]) -> Result<(), String> {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut files = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let file = folder.path().join(format!("page-{n:03}.html"));
        std::fs::write(&file, &page.html).expect("the page saved");
        files.push(file);
    }
    let output = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "text"])
        .args(&files)
        .output()
        .expect("the checker ran");
    if output.status.success() {
        return Ok(());
    }
    let mut report = String::from_utf8_lossy(&output.stderr).into_owned();
    report.push_str(&String::from_utf8_lossy(&output.stdout));
    // Name each page by who saw it where, rather than by its temporary file.
    for (n, page) in pages.iter().enumerate().rev() {
        let file = folder.path().join(format!("page-{n:03}.html"));
        report = report.replace(&format!("file:{}", file.display()), &page.label);
    }
    Err(report)
}

#[tokio::test]
async fn every_page_of_every_role_in_both_languages_is_valid_html() {
    let Some((java, jar)) = checker() else {
        return;
    };
    let app = spawn_app().await;
    let people = cast(&app);
    // Items at every step, so each kind of page and each badge is shown.
    published(
        &app,
        &people,
        "Quy định về luân chuyển cán bộ trẻ",
        "Ban Tổ chức Tỉnh ủy sẽ trình Ban Thường vụ Tỉnh ủy ban hành quy định mới.",
    )
    .await;
    approved(
        &app,
        &people,
        "Tiêu chuẩn bổ nhiệm lại cán bộ cấp phòng",
        "Ban Tổ chức Tỉnh ủy sẽ ban hành hướng dẫn thống nhất.",
    )
    .await;
    let in_review = submitted(
        &app,
        &people.delegate,
        "Đánh giá cán bộ theo kết quả thực hiện nhiệm vụ",
        "to-chuc-can-bo",
    )
    .await;
    app.login(&people.drafter)
        .await
        .post_ok(
            &format!("/items/{in_review}/draft"),
            &[
                ("text", "Đang xây dựng bộ tiêu chí."),
                ("intent", "review"),
                ("outcome", "explained"),
            ],
        )
        .await;
    submitted(
        &app,
        &people.delegate,
        "Nâng cao chất lượng sinh hoạt chi bộ",
        "khac",
    )
    .await;

    let mut pages = Vec::new();
    let roles = [
        ("delegate", &people.delegate),
        ("drafter", &people.drafter),
        ("approver", &people.approver),
        ("coordinator", &people.coordinator),
        ("administrator", &people.admin),
    ];
    for lang in ["vi", "en"] {
        for (who, user) in roles {
            let session = session_in(&app, user, lang).await;
            pages.extend(crawl(&session, who, lang, "/").await);
        }
        // Pages a form leads to: the proposal form shown again with its errors.
        let delegate = session_in(&app, &people.delegate, lang).await;
        let refused = delegate.post("/proposals", &[("title", "")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        pages.push(ServedPage {
            label: format!("delegate, {lang}, the proposal form with errors"),
            html: refused.body,
        });
        let confirmation = delegate
            .get(&format!("/proposals/{in_review}/submitted"))
            .await;
        assert_eq!(confirmation.status, StatusCode::OK);
        pages.push(ServedPage {
            label: format!("delegate, {lang}, the confirmation of a new proposal"),
            html: confirmation.body,
        });
        let missing_page = delegate.get("/items/999999").await;
        assert_eq!(missing_page.status, StatusCode::NOT_FOUND);
        pages.push(ServedPage {
            label: format!("delegate, {lang}, a page that does not exist"),
            html: missing_page.body,
        });
    }
    // Before logging in: the login page, the forgotten-password form, a used link.
    let anonymous = app.session();
    for (href, expected) in [
        ("/login", StatusCode::OK),
        ("/password/forgot", StatusCode::OK),
        ("/invite/not-a-token", StatusCode::NOT_FOUND),
    ] {
        let Served::Page(status, html) = served(&anonymous, href).await else {
            panic!("{href} is not a page");
        };
        assert_eq!(status, expected, "{href}");
        pages.push(ServedPage {
            label: format!("anonymous, vi, {href}"),
            html,
        });
    }
    // The crawl must have found the pages of each role, or it checked nothing.
    for expected in [
        "delegate, en, /my",
        "drafter, vi, /queue",
        "approver, vi, /review",
        "coordinator, en, /publish",
        "administrator, vi, /admin/users",
    ] {
        assert!(
            pages.iter().any(|p| p.label.starts_with(expected)),
            "the crawl did not reach {expected}"
        );
    }

    if let Err(report) = check(&java, &jar, &pages) {
        panic!("the W3C Nu checker finds errors in the pages as served:\n{report}");
    }
}
