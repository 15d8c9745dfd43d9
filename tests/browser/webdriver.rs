//! A small W3C WebDriver client over HTTP: just the commands the browser tests
//! use (session, navigation, elements, scripts, window size, screenshots).
//! WebDriver is plain JSON over HTTP, so reqwest, which the tests already use,
//! is all it takes.

use base64::Engine;
use serde_json::{json, Value};

/// The key under which WebDriver names an element in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser session.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// `http://127.0.0.1:PORT/session/ID`.
    session: String,
}

/// An element of the page, as WebDriver refers to it.
#[derive(Clone)]
pub struct Element {
    client: Client,
    id: String,
}

impl Client {
    /// Starts a session on the driver at `driver_url` with these capabilities.
    pub async fn connect(driver_url: &str, capabilities: Value) -> Result<Client, String> {
        let http = reqwest::Client::new();
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let reply = send(http.post(format!("{driver_url}/session")), Some(body)).await?;
        let id = reply["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id in {reply}"))?;
        Ok(Client {
            http,
            session: format!("{driver_url}/session/{id}"),
        })
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        send(self.http.get(format!("{}{path}", self.session)), None).await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        send(
            self.http.post(format!("{}{path}", self.session)),
            Some(body),
        )
        .await
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.post("/url", json!({ "url": url })).await.map(drop)
    }

    /// The address of the page shown.
    pub async fn current_url(&self) -> Result<String, String> {
        let url = self.get("/url").await?;
        url.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no URL in {url}"))
    }

    /// Sets the window's outer size.
    pub async fn set_window_size(&self, width: u32, height: u32) -> Result<(), String> {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .await
            .map(drop)
    }

    /// Runs `script` in the page; `arguments[i]` are `args`.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Runs `script` in the page, which ends by calling its last argument.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.post("/execute/async", json!({ "script": script, "args": args }))
            .await
    }

    /// The first element matching the CSS `selector`.
    pub async fn find(&self, selector: &str) -> Result<Element, String> {
        let found = self
            .post(
                "/element",
                json!({ "using": "css selector", "value": selector }),
            )
            .await?;
        self.element(&found)
            .ok_or_else(|| format!("no element in {found}"))
    }

    /// Every element matching the CSS `selector`.
    pub async fn find_all(&self, selector: &str) -> Result<Vec<Element>, String> {
        let found = self
            .post(
                "/elements",
                json!({ "using": "css selector", "value": selector }),
            )
            .await?;
        Ok(found
            .as_array()
            .map(|all| all.iter().filter_map(|v| self.element(v)).collect())
            .unwrap_or_default())
    }

    /// The element a script returned, if it returned one.
    pub fn element(&self, value: &Value) -> Option<Element> {
        let id = value.get(ELEMENT_KEY)?.as_str()?;
        Some(Element {
            client: self.clone(),
            id: id.to_owned(),
        })
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        let encoded = self.get("/screenshot").await?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    /// Ends the session; Chromium quits.
    pub async fn close(&self) -> Result<(), String> {
        send(self.http.delete(&self.session), None).await.map(drop)
    }
}

impl Element {
    fn path(&self, command: &str) -> String {
        format!("/element/{}/{command}", self.id)
    }

    /// Empties a field.
    pub async fn clear(&self) -> Result<(), String> {
        self.client
            .post(&self.path("clear"), json!({}))
            .await
            .map(drop)
    }

    /// Types `text` into the element.
    pub async fn send_keys(&self, text: &str) -> Result<(), String> {
        self.client
            .post(&self.path("value"), json!({ "text": text }))
            .await
            .map(drop)
    }

    /// Clicks the element.
    pub async fn click(&self) -> Result<(), String> {
        self.client
            .post(&self.path("click"), json!({}))
            .await
            .map(drop)
    }

    /// Whether a checkbox, radio button or option is selected.
    pub async fn is_selected(&self) -> Result<bool, String> {
        Ok(self.client.get(&self.path("selected")).await? == json!(true))
    }

    /// A DOM property, such as a field's current `value`.
    pub async fn prop(&self, name: &str) -> Result<Option<String>, String> {
        let value = self
            .client
            .get(&self.path(&format!("property/{name}")))
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// An HTML attribute.
    pub async fn attr(&self, name: &str) -> Result<Option<String>, String> {
        let value = self
            .client
            .get(&self.path(&format!("attribute/{name}")))
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// The visible text.
    pub async fn text(&self) -> Result<String, String> {
        let value = self.client.get(&self.path("text")).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// A computed CSS property.
    pub async fn css_value(&self, name: &str) -> Result<String, String> {
        let value = self.client.get(&self.path(&format!("css/{name}"))).await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Chooses the option of this select whose visible text is `label`.
    pub async fn select_by_label(&self, label: &str) -> Result<(), String> {
        let options = self
            .client
            .post(
                &self.path("elements"),
                json!({ "using": "css selector", "value": "option" }),
            )
            .await?;
        for option in options.as_array().into_iter().flatten() {
            if let Some(option) = self.client.element(option) {
                if option.text().await?.trim() == label {
                    return option.click().await;
                }
            }
        }
        Err(format!("no option {label:?}"))
    }
}

/// Sends one command and returns its `value`, or the driver's error message.
async fn send(request: reqwest::RequestBuilder, body: Option<Value>) -> Result<Value, String> {
    let request = match body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body.to_string()),
        None => request,
    };
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let mut reply: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
    let value = reply["value"].take();
    if status.is_success() {
        Ok(value)
    } else {
        Err(format!(
            "{}: {}",
            value["error"].as_str().unwrap_or("error"),
            value["message"].as_str().unwrap_or_default()
        ))
    }
}
