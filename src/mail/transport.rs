//! Where mails go: an SMTP server (STARTTLS or TLS, with authentication, pooled
//! connections), or `.eml` files in a folder when no SMTP server is configured.

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

use crate::config::Config;

/// A mail transport.
pub enum Transport {
    /// A real mail server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Development: one `.eml` file per message in this folder.
    Files(PathBuf),
}

/// Why a message was not sent.
#[derive(Debug, Clone)]
pub struct SendFailure {
    /// The server refused it for good (5xx): trying again will not help.
    pub permanent: bool,
    /// What went wrong, for the outbox page.
    pub message: String,
}

impl Transport {
    /// The transport the config asks for.
    pub fn from_config(config: &Config) -> Result<Transport, String> {
        match &config.smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                .map(|builder| Transport::Smtp(builder.build()))
                .map_err(|e| format!("SMTP_URL is not valid: {e}")),
            None => {
                std::fs::create_dir_all(&config.mail_dir)
                    .map_err(|e| format!("cannot create {}: {e}", config.mail_dir))?;
                tracing::info!(folder = %config.mail_dir, "no SMTP_URL: mails are written as .eml files");
                Ok(Transport::Files(PathBuf::from(&config.mail_dir)))
            }
        }
    }

    /// Sends one message; `file_name` names its file in development.
    pub async fn send(&self, message: Message, file_name: &str) -> Result<(), SendFailure> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| SendFailure {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(folder) => {
                let path = folder.join(format!("{file_name}.eml"));
                std::fs::write(&path, message.formatted()).map_err(|e| SendFailure {
                    permanent: false,
                    message: format!("cannot write {}: {e}", path.display()),
                })
            }
        }
    }
}
