//! A real SMTP server on 127.0.0.1 for the tests: it speaks enough of RFC 5321
//! for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives,
//! and can refuse recipients with a permanent 550.

use base64::Engine;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub data: String,
}

impl ReceivedMail {
    /// A header's value (first occurrence), unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_lowercase());
        let mut lines = self.data.lines().take_while(|l| !l.is_empty()).peekable();
        while let Some(line) = lines.next() {
            if line.to_lowercase().starts_with(&prefix) {
                let mut value = line[prefix.len()..].trim().to_owned();
                while lines.peek().is_some_and(|l| l.starts_with([' ', '\t'])) {
                    value.push(' ');
                    value.push_str(lines.next().unwrap().trim());
                }
                return Some(value);
            }
        }
        None
    }

    /// The decoded subject. Non-ASCII subjects arrive as RFC 2047 base64 words,
    /// possibly split inside a character, so the bytes are joined before decoding.
    pub fn subject(&self) -> String {
        let raw = self.header("Subject").unwrap_or_default();
        let mut bytes = Vec::new();
        let mut previous_encoded = None;
        for word in raw.split_whitespace() {
            let lower = word.to_lowercase();
            let encoded = lower.starts_with("=?utf-8?b?") && lower.ends_with("?=");
            // White space between two encoded words is not part of the text.
            if previous_encoded.is_some() && !(encoded && previous_encoded == Some(true)) {
                bytes.push(b' ');
            }
            if encoded {
                let inner = &word["=?utf-8?b?".len()..word.len() - 2];
                bytes.extend(
                    base64::engine::general_purpose::STANDARD
                        .decode(inner)
                        .unwrap_or_default(),
                );
            } else {
                bytes.extend(word.as_bytes());
            }
            previous_encoded = Some(encoded);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The decoded text of the part with this content type (`text/plain`,
    /// `text/html`); parts are base64 as the app sends them.
    pub fn part(&self, content_type: &str) -> String {
        let marker = format!("Content-Type: {content_type}");
        let Some(start) = self.data.find(&marker) else {
            return String::new();
        };
        let after = &self.data[start..];
        let body_start = after.find("\r\n\r\n").map(|i| i + 4).unwrap_or(0);
        let body: String = after[body_start..]
            .lines()
            .take_while(|l| !l.starts_with("--"))
            .collect::<Vec<_>>()
            .join("");
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(body.trim())
                .unwrap_or_default(),
        )
        .unwrap_or_default()
    }
}

/// What the server answers to recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    RefuseRecipients,
}

struct Shared {
    received: Mutex<Vec<ReceivedMail>>,
    mode: Mutex<Mode>,
}

/// The running server; stops when dropped.
pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port that nothing listens on now (to start a server there later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub async fn start() -> SmtpServer {
        SmtpServer::start_on(0).await
    }

    /// Starts a server on `port` (0: any free one).
    pub async fn start_on(port: u16) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("SMTP port");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            mode: Mutex::new(Mode::Accept),
        });
        let for_task = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(converse(stream, for_task.clone()));
            }
        });
        SmtpServer { port, shared, task }
    }

    /// Changes how recipients are answered.
    pub fn set_mode(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits (up to `seconds`) until at least `count` messages arrived.
    pub async fn wait_for(&self, count: usize, seconds: u64) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn converse(stream: TcpStream, shared: Arc<Shared>) {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader);
    let mut to = Vec::new();
    if writer
        .write_all(b"220 127.0.0.1 test ESMTP\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-127.0.0.1\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO") || command.starts_with("MAIL FROM") {
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            if *shared.mode.lock().unwrap() == Mode::RefuseRecipients {
                b"550 5.1.1 No such mailbox here\r\n"
            } else {
                let address = line.trim_end()[8..]
                    .trim()
                    .trim_matches(['<', '>'])
                    .to_owned();
                to.push(address);
                b"250 OK\r\n"
            }
        } else if command == "DATA" {
            if writer
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            shared.received.lock().unwrap().push(ReceivedMail {
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK queued\r\n"
        } else if command == "RSET" {
            to.clear();
            b"250 OK\r\n"
        } else if command == "NOOP" {
            b"250 OK\r\n"
        } else if command == "QUIT" {
            let _ = writer.write_all(b"221 Bye\r\n").await;
            return;
        } else {
            b"502 Command not implemented\r\n"
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}
