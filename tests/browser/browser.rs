//! A real Chromium, headless, driven through chromedriver: one chromedriver and
//! one browser session per test, a `Browser` with one method per thing a person
//! does (open a page, type into a labelled field, press a button), axe-core's
//! accessibility check, and a screenshot of the page when a test fails.

use crate::webdriver::{Client, Element};
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{spawn_app, TestApp, TestUser};
use crate::smtp::free_port;

/// A window size in CSS pixels.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// An office PC.
pub const DESKTOP: Size = Size {
    width: 1920,
    height: 1080,
};
/// A laptop: the size of the screenshots in docs/screenshots.
pub const LAPTOP: Size = Size {
    width: 1280,
    height: 800,
};
/// A small phone.
pub const PHONE: Size = Size {
    width: 360,
    height: 740,
};

/// The WCAG 2.0 and 2.1 levels A and AA, as axe-core tags its rules.
const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// How long a click may take to bring the next page.
const PAGE_WAIT: Duration = Duration::from_secs(15);

/// The programs and files the browser tests need.
struct Tools {
    chromedriver: PathBuf,
    chromium: PathBuf,
    axe: String,
}

/// A path from the environment variable `var`, or `default`.
fn program(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// Says why the tests cannot run: one line and a skip on a developer's machine,
/// a failure under CI (`CI` set), where `.ci/run` installs everything.
pub fn missing<T>(reason: &str) -> Option<T> {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{reason}: under CI the browser tests must run, not skip");
    }
    // Straight to stderr: the test harness would swallow `eprintln!`.
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
    None
}

fn tools() -> Option<Tools> {
    let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver");
    if !chromedriver.is_file() {
        return missing("chromedriver not found (apt-get install chromium-driver)");
    }
    let chromium = program("CHROMIUM", "/usr/bin/chromium");
    if !chromium.is_file() {
        return missing("chromium not found (apt-get install chromium)");
    }
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        return missing("axe-core not installed (npm ci --prefix tests/browser)");
    };
    Some(Tools {
        chromedriver,
        chromium,
        axe,
    })
}

/// Runs one browser test: starts the app (its own database and mail server),
/// chromedriver and a browser of `size`, and hands the app and the browser to
/// `test`. Prints why and returns when the browser tests cannot run here.
///
/// It is also the test's guard. When `test` panics, the page it failed on is saved
/// to `target/browser-screenshots/`; either way the browser session is ended (so
/// Chromium quits), then the runtime, with the app's server and outbox worker,
/// and only then is the database removed. (Under `#[tokio::test]` on a
/// multi-threaded runtime, which a screenshot from `Drop` would need, the
/// database goes first, and the worker's next look at it waits out the pool's
/// 30 s timeout on PostgreSQL.)
pub fn browser_test(size: Size, test: impl AsyncFnOnce(&TestApp, &Browser)) {
    let Some(tools) = tools() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime.block_on(spawn_app());
    let browser = runtime.block_on(Browser::open(&tools, &app.address, size));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(test(&app, &browser))
    }));
    runtime.block_on(browser.finish(outcome.is_err()));
    drop(browser);
    drop(runtime);
    // The mail transport's pool spawns a task as it is dropped: give it a runtime
    // to spawn on (the task never runs).
    let cleanup = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let context = cleanup.enter();
    drop(app);
    drop(context);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A chromedriver of our own on a free 127.0.0.1 port; killed when dropped.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    async fn start(program: &Path, log: &Path) -> Chromedriver {
        // The port is free when asked for but could be taken before chromedriver
        // binds it, so a driver that does not answer is replaced.
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(program)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
            let mut driver = Chromedriver {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return driver;
                }
                if matches!(driver.child.try_wait(), Ok(Some(_))) {
                    break; // It could not listen there: another port.
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("chromedriver did not start; see {}", log.display());
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One person's browser window on the app.
pub struct Browser {
    client: Client,
    base: String,
    axe: String,
    /// The test's name, for the screenshot of a failure.
    name: String,
    // Dropped in this order: the driver (after Drop closed the session), then the
    // browser's profile and the driver's log.
    _driver: Chromedriver,
    _profile: tempfile::TempDir,
}

/// What axe-core reports of one rule that failed.
#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<ViolationNode>,
}

#[derive(Debug, Deserialize)]
struct ViolationNode {
    target: Value,
    html: String,
    summary: Option<String>,
}

/// Finds the form control for `key`: the element with that id, else the control
/// of the label with that text, else the element with that `aria-label`.
const FIND_CONTROL: &str = r#"
const key = arguments[0];
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const byId = document.getElementById(key);
if (byId) return byId;
for (const label of document.querySelectorAll('label')) {
  if (norm(label.textContent) === key && label.control) return label.control;
}
for (const el of document.querySelectorAll('[aria-label]')) {
  if (norm(el.getAttribute('aria-label')) === key) return el;
}
return null;
"#;

/// The buttons whose text is `key`, and every button's text (for the message when
/// none or several match).
const FIND_BUTTONS: &str = r#"
const key = arguments[0];
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const all = [...document.querySelectorAll('button, input[type=submit]')];
const text = b => norm(b.tagName === 'INPUT' ? b.value : b.textContent);
return [all.filter(b => text(b) === key), all.map(text)];
"#;

/// The links whose text is `key` exactly, else those whose text starts with it
/// (a navigation link carries a count: "Chờ công bố (2)").
const FIND_LINKS: &str = r#"
const key = arguments[0];
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const all = [...document.querySelectorAll('a[href]')];
const exact = all.filter(a => norm(a.textContent) === key);
const found = exact.length > 0 ? exact : all.filter(a => norm(a.textContent).startsWith(key + ' '));
return [found, all.map(a => norm(a.textContent))];
"#;

/// Runs axe-core with the WCAG 2.0/2.1 A and AA rules; answers the violations as
/// JSON text.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
  .then(r => done(JSON.stringify(r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
  })))))
  .catch(e => done(JSON.stringify({ error: String(e) })));
"#;

fn element(client: &Client, value: &Value) -> Option<Element> {
    client.element(value)
}

impl Browser {
    async fn open(tools: &Tools, base: &str, size: Size) -> Browser {
        let profile = tempfile::tempdir().expect("a temporary folder");
        let driver = Chromedriver::start(
            &tools.chromedriver,
            &profile.path().join("chromedriver.log"),
        )
        .await;
        let user_data = profile.path().join("chromium");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", user_data.display()),
            format!("--window-size={},{}", size.width, size.height),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": args,
            },
        });
        let client = Client::connect(&driver.url, capabilities)
            .await
            .expect("a browser session from chromedriver");
        let browser = Browser {
            client,
            base: base.to_owned(),
            axe: tools.axe.clone(),
            name: std::thread::current()
                .name()
                .unwrap_or("browser-test")
                .replace("::", "-"),
            _driver: driver,
            _profile: profile,
        };
        browser.resize(size).await;
        browser
    }

    /// Makes the page area (not the window) `size`, as a phone's screen would be.
    pub async fn resize(&self, size: Size) {
        self.client
            .set_window_size(size.width, size.height)
            .await
            .expect("window resized");
        // A window has borders and bars in some modes: grow it by the difference.
        let inner = self
            .script("return [window.innerWidth, window.innerHeight];", vec![])
            .await;
        let (w, h) = (
            inner[0].as_u64().unwrap_or(0) as u32,
            inner[1].as_u64().unwrap_or(0) as u32,
        );
        if (w, h) != (size.width, size.height) && w > 0 && h > 0 {
            self.client
                .set_window_size(
                    size.width + size.width.saturating_sub(w),
                    size.height + size.height.saturating_sub(h),
                )
                .await
                .expect("window resized");
        }
    }

    async fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("a script failed in the page: {e}"))
    }

    /// Opens `path` of the app.
    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    }

    /// The path (and query) of the page shown.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        // Everything after the scheme and host: the path and query.
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        path.split('#').next().unwrap_or("/").to_owned()
    }

    /// Logs in through the login form.
    pub async fn login(&self, user: &TestUser) {
        self.submit_password(user).await;
        // Logged in: the page offers to log out.
        assert!(
            self.has("form[action='/logout']").await,
            "login of {} failed on {}: {}",
            user.email,
            self.path().await,
            self.text_of("main").await
        );
    }

    /// Fills and sends the login form, wherever it leads (the second factor's
    /// code page, for an enrolled user).
    pub async fn submit_password(&self, user: &TestUser) {
        self.goto("/login").await;
        self.fill("email", &user.email).await;
        self.fill("password", &user.password).await;
        let button = self
            .client
            .find("form[action='/login'] button[type=submit]")
            .await
            .expect("the login button");
        self.submit_with(&button).await;
    }

    /// Logs out with the header's button.
    pub async fn logout(&self) {
        let button = self
            .client
            .find("form[action='/logout'] button[type=submit]")
            .await
            .expect("the logout button");
        self.submit_with(&button).await;
    }

    async fn control(&self, key: &str) -> Element {
        let found = self.script(FIND_CONTROL, vec![json!(key)]).await;
        match element(&self.client, &found) {
            Some(control) => control,
            None => panic!(
                "no field labelled or with id {key:?} on {}",
                self.path().await
            ),
        }
    }

    /// Types `text` into the field with this label (or id), replacing its value.
    pub async fn fill(&self, label: &str, text: &str) {
        let control = self.control(label).await;
        control.clear().await.expect("field cleared");
        control.send_keys(text).await.expect("text typed");
    }

    /// Chooses the option with this text in the list with this label (or id).
    pub async fn choose(&self, label: &str, option: &str) {
        let control = self.control(label).await;
        control
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("no option {option:?} in {label:?}: {e}"));
    }

    /// Ticks the checkbox or radio button with this label (or id).
    pub async fn tick(&self, label: &str) {
        let control = self.control(label).await;
        if !control.is_selected().await.expect("a checkbox") {
            control.click().await.expect("ticked");
        }
    }

    /// Clears the checkbox with this label (or id).
    pub async fn untick(&self, label: &str) {
        let control = self.control(label).await;
        if control.is_selected().await.expect("a checkbox") {
            control.click().await.expect("unticked");
        }
    }

    /// The current value of the field with this label (or id).
    pub async fn value_of(&self, label: &str) -> String {
        let control = self.control(label).await;
        control
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    }

    /// An attribute of the field with this label (or id).
    pub async fn attribute_of(&self, label: &str, attribute: &str) -> Option<String> {
        let control = self.control(label).await;
        control.attr(attribute).await.expect("an attribute")
    }

    /// Presses the button with this text and waits for the page it brings.
    pub async fn click(&self, text: &str) {
        let found = self.script(FIND_BUTTONS, vec![json!(text)]).await;
        let matches: Vec<Element> = found[0]
            .as_array()
            .map(|a| a.iter().filter_map(|v| element(&self.client, v)).collect())
            .unwrap_or_default();
        match matches.as_slice() {
            [button] => self.submit_with(button).await,
            [] => panic!(
                "no button {text:?} on {}; buttons: {}",
                self.path().await,
                found[1]
            ),
            _ => panic!(
                "{} buttons {text:?} on {}",
                matches.len(),
                self.path().await
            ),
        }
    }

    /// Follows the link with this text and waits for the page.
    pub async fn click_link(&self, text: &str) {
        let found = self.script(FIND_LINKS, vec![json!(text)]).await;
        let link = found[0]
            .as_array()
            .and_then(|a| a.first())
            .and_then(|v| element(&self.client, v));
        match link {
            Some(link) => self.submit_with(&link).await,
            None => panic!(
                "no link {text:?} on {}; links: {}",
                self.path().await,
                found[1]
            ),
        }
    }

    /// Clicks `target`, which leaves the page, and waits until the next page has
    /// loaded: the old page is marked first, so its lingering is not mistaken for
    /// the new one.
    async fn submit_with(&self, target: &Element) {
        self.script("window.__deskOldPage = true;", vec![]).await;
        target.click().await.expect("clicked");
        let deadline = Instant::now() + PAGE_WAIT;
        loop {
            let state = self
                .client
                .execute(
                    "return window.__deskOldPage ? 'old' : document.readyState;",
                    vec![],
                )
                .await;
            if matches!(state, Ok(Value::String(ref s)) if s == "complete") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no new page within {PAGE_WAIT:?} after a click on {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The visible text of the first element matching the CSS `selector`.
    pub async fn text_of(&self, selector: &str) -> String {
        match self.client.find(selector).await {
            Ok(found) => found.text().await.expect("text"),
            Err(e) => panic!("nothing matches {selector:?} on {}: {e}", self.path().await),
        }
    }

    /// Whether something matches the CSS `selector`.
    pub async fn has(&self, selector: &str) -> bool {
        !self
            .client
            .find_all(selector)
            .await
            .expect("a search")
            .is_empty()
    }

    /// The computed CSS `property` of the first element matching `selector`.
    pub async fn style_of(&self, selector: &str, property: &str) -> String {
        self.client
            .find(selector)
            .await
            .unwrap_or_else(|e| panic!("nothing matches {selector:?}: {e}"))
            .css_value(property)
            .await
            .expect("a computed style")
    }

    /// The generated text before the first element matching `selector` (CSS
    /// `::before`), as the browser computed it.
    pub async fn before_content(&self, selector: &str) -> String {
        let content = self
            .script(
                "const el = document.querySelector(arguments[0]);\n\
                 return el ? getComputedStyle(el, '::before').content : null;",
                vec![json!(selector)],
            )
            .await;
        content
            .as_str()
            .unwrap_or_else(|| panic!("nothing matches {selector:?}"))
            .to_owned()
    }

    /// Scrolls the first element matching `selector` to the top of the window.
    pub async fn scroll_to(&self, selector: &str) {
        self.script(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(selector)],
        )
        .await;
    }

    /// The page's `<html lang>`.
    pub async fn language(&self) -> String {
        self.script("return document.documentElement.lang;", vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts that the page does not scroll sideways.
    pub async fn assert_fits_width(&self) {
        let widths = self
            .script(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await;
        let (scroll, inner) = (widths[0].as_u64(), widths[1].as_u64());
        assert!(
            scroll <= inner,
            "{} scrolls sideways: {scroll:?} px of content in a {inner:?} px window",
            self.path().await
        );
    }

    /// Runs axe-core on the page and fails, listing each violation, unless the page
    /// meets WCAG 2.0 and 2.1 at levels A and AA as axe can tell. (WebDriver's
    /// scripts are not subject to the page's Content-Security-Policy.)
    pub async fn axe_check(&self) {
        let loaded = self.script("return typeof axe;", vec![]).await;
        if loaded != json!("object") {
            self.script(&self.axe, vec![]).await;
        }
        let report = self
            .client
            .execute_async(RUN_AXE, vec![json!(WCAG_TAGS)])
            .await
            .expect("axe-core ran");
        let report = report.as_str().expect("axe's report as JSON text");
        let violations: Vec<Violation> = serde_json::from_str(report)
            .unwrap_or_else(|e| panic!("axe-core failed: {report} ({e})"));
        if violations.is_empty() {
            return;
        }
        let mut message = format!(
            "{} accessibility violation(s) on {} ({}):\n",
            violations.len(),
            self.path().await,
            self.language().await
        );
        for v in &violations {
            message.push_str(&format!(
                "- {} [{}]: {} ({})\n",
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.help_url
            ));
            for node in &v.nodes {
                message.push_str(&format!(
                    "    at {}: {}\n      {}\n",
                    node.target,
                    node.html,
                    node.summary
                        .as_deref()
                        .unwrap_or_default()
                        .replace('\n', "\n      ")
                ));
            }
        }
        panic!("{message}");
    }

    /// Ends the session (Chromium quits), after saving the page if the test failed.
    async fn finish(&self, failed: bool) {
        if failed {
            let shot = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/browser-screenshots")
                .join(format!("{}.png", self.name));
            if let Ok(png) = self.client.screenshot().await {
                let saved = std::fs::create_dir_all(shot.parent().expect("a folder"))
                    .and_then(|()| std::fs::write(&shot, png));
                if saved.is_ok() {
                    let _ = writeln!(
                        std::io::stderr(),
                        "screenshot of the failing page: {}",
                        shot.display()
                    );
                }
            }
        }
        let _ = self.client.close().await;
    }

    /// Saves a PNG of what the window shows.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).expect("the screenshot folder");
        }
        std::fs::write(path, png).expect("the screenshot saved");
    }
}
