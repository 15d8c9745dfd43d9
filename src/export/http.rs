//! Downloads: the response headers every export carries, and a body that streams
//! chunks as a producer thread writes them.
//!
//! `Content-Disposition` names the file twice (RFC 6266): an ASCII `filename`
//! with the diacritics taken off for old clients, and `filename*` in UTF-8
//! (RFC 5987) so a browser saves "Tất cả kiến nghị". `nosniff` keeps a browser
//! from reading a CSV someone typed HTML into as a page.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, X_CONTENT_TYPE_OPTIONS};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, HttpResponseBuilder};
use tokio::sync::mpsc;

use super::Format;
use crate::domain::text::fold_for_search;

/// The media type of a workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of a CSV file (RFC 7111), with its encoding.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// A 200 response that the browser saves as `{stem}.{extension}`; add the body.
pub fn download(format: Format, stem: &str) -> HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type(match format {
            Format::Xlsx => XLSX_TYPE,
            Format::Csv => CSV_TYPE,
        })
        .insert_header((
            CONTENT_DISPOSITION,
            disposition(&format!("{stem}.{}", format.extension())),
        ))
        .insert_header((X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // A list of people's proposals is not for shared caches.
        .insert_header((CACHE_CONTROL, "private, no-store"));
    response
}

/// `attachment; filename="tat-ca-kien-nghi.csv"; filename*=UTF-8''T%E1%BA%A5t…`.
pub fn disposition(filename: &str) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(filename),
        percent_encode(filename)
    )
}

/// The name without diacritics, lower case, anything but letters, digits and
/// `.`/`_` as `-` (never a quote or a backslash, which would end the header's
/// quoted string).
fn ascii_fallback(filename: &str) -> String {
    let mut out = String::new();
    for c in fold_for_search(filename).chars() {
        let c = if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "export".to_string()
    } else {
        out
    }
}

/// RFC 5987 `value-chars`: attribute characters as they are, every other byte
/// of the UTF-8 as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The producer's failure, ending the download: the connection is closed
/// without the final chunk, so the browser reports a failed download rather than
/// saving a file cut short.
#[derive(Debug, thiserror::Error)]
#[error("the export stopped before its end")]
pub struct ExportStopped;

/// The sending half: a thread writing a file sends its chunks here.
pub struct ChunkSender(mpsc::Sender<Result<Bytes, ExportStopped>>);

impl ChunkSender {
    /// Sends one chunk, waiting while the reader is behind (this is what keeps
    /// memory flat: at most a few chunks are in flight). Call only from a
    /// blocking thread. False when the reader has gone: stop producing.
    pub fn send(&self, chunk: impl Into<Bytes>) -> bool {
        self.0.blocking_send(Ok(chunk.into())).is_ok()
    }

    /// Ends the download as failed.
    pub fn fail(self) {
        let _ = self.0.blocking_send(Err(ExportStopped));
    }
}

/// The receiving half: a response body of the chunks, in order.
pub struct ChunkBody(mpsc::Receiver<Result<Bytes, ExportStopped>>);

/// A channel holding at most `in_flight` chunks.
pub fn chunk_channel(in_flight: usize) -> (ChunkSender, ChunkBody) {
    let (sender, receiver) = mpsc::channel(in_flight);
    (ChunkSender(sender), ChunkBody(receiver))
}

impl MessageBody for ChunkBody {
    type Error = ExportStopped;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_has_an_ascii_fallback_and_a_utf8_form() {
        assert_eq!(
            disposition("Tất cả kiến nghị.csv"),
            "attachment; filename=\"tat-ca-kien-nghi.csv\"; \
             filename*=UTF-8''T%E1%BA%A5t%20c%E1%BA%A3%20ki%E1%BA%BFn%20ngh%E1%BB%8B.csv"
        );
        assert_eq!(ascii_fallback("\"Đề\\xuất\".xlsx"), "de-xuat-.xlsx");
    }
}
