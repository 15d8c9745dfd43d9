//! A list page as a file (issue 11): `?format=csv` or `?format=xlsx` on any list
//! of `queues.rs` exports the whole filtered list (not one page), with the same
//! scope and filters as the page, so an export shows exactly what its viewer may
//! see. The list is read in batches by id: the CSV streams each batch to the
//! browser as it is written (a bounded channel from a blocking thread), the
//! workbook writes each to a constant-memory sheet.

use std::sync::Arc;

use actix_web::HttpResponse;

use super::pages::with_db;
use super::AppState;
use crate::db::item_lists::ExportLine;
use crate::db::items::{Item, ItemFilter, Scope};
use crate::db::DbPool;
use crate::domain::calendar::{local_date, to_local};
use crate::domain::table::{Cell, Column};
use crate::domain::Lang;
use crate::error::AppError;
use crate::export::http::{chunk_channel, download};
use crate::export::xlsx::Workbook;
use crate::export::{csv, Format};
use crate::render::Renderer;

/// Items read per query; a CSV chunk is one batch (some 100 KB).
const BATCH: i64 = 500;
/// Chunks waiting for a slow reader before the producer waits too.
const IN_FLIGHT: usize = 4;

/// What an export needs besides the database: who reads it and in what words.
pub struct ListExport {
    /// The list's title in the reader's language (file and sheet name).
    pub title: String,
    /// The reader's language.
    pub lang: Lang,
    /// Whether the reader may see delegates' names (everyone but delegates).
    pub show_delegate: bool,
    /// The viewer's scope.
    pub scope: Scope,
    /// The list's filters (its sort is ignored: exports are in filing order).
    pub filter: ItemFilter,
}

/// The columns of an exported list, in the reader's language.
fn columns(renderer: &Renderer, lang: Lang, show_delegate: bool) -> Vec<Column> {
    let mut columns = vec![
        ("col_reference", 14.0),
        ("col_title", 50.0),
        ("col_field", 28.0),
        ("col_body", 30.0),
    ];
    if show_delegate {
        columns.push(("col_delegate", 24.0));
    }
    columns.extend([
        ("col_status", 18.0),
        ("exports_col_outcome", 26.0),
        ("exports_col_received", 17.0),
        ("col_deadline", 12.0),
        ("exports_col_answered", 12.0),
        ("exports_col_resolved", 12.0),
    ]);
    columns
        .into_iter()
        .map(|(key, width)| Column {
            header: renderer.text(lang, key),
            width,
        })
        .collect()
}

/// One item as cells of the columns above.
fn cells(renderer: &Renderer, lang: Lang, show_delegate: bool, line: ExportLine) -> Vec<Cell> {
    let text = |value: String| Cell::Text(value);
    let day =
        |at: Option<chrono::NaiveDateTime>| at.map_or(Cell::Empty, |at| Cell::Date(local_date(at)));
    let mut cells = vec![
        text(line.reference),
        text(line.title),
        text(lang.pick(&line.field_vi, &line.field_en).to_owned()),
        match (&line.body_vi, &line.body_en) {
            (Some(vi), Some(en)) => text(lang.pick(vi, en).to_owned()),
            _ => Cell::Empty,
        },
    ];
    if show_delegate {
        cells.push(text(line.delegate_name));
    }
    cells.extend([
        text(renderer.text(lang, &format!("status_{}", line.status))),
        line.outcome.map_or(Cell::Empty, |outcome| {
            text(renderer.text(lang, &format!("outcome_{outcome}")))
        }),
        Cell::DateTime(to_local(line.submitted_at)),
        day(Some(line.deadline)),
        day(line.published_at),
        day(line.resolved_at),
    ]);
    cells
}

/// The list as a download in `format`.
pub async fn respond(
    state: &AppState,
    export: ListExport,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let stamp = chrono::Utc::now().format("%Y-%m-%d");
    let stem = format!("{} {stamp}", export.title);
    match format {
        Format::Csv => {
            let body = stream_csv(state.pool.clone(), state.renderer.clone(), export);
            Ok(download(Format::Csv, &stem).body(body))
        }
        Format::Xlsx => {
            let renderer = state.renderer.clone();
            let bytes = with_db(&state.pool, move |conn| {
                let ListExport {
                    title,
                    lang,
                    show_delegate,
                    scope,
                    filter,
                } = export;
                let mut book = Workbook::new();
                let mut sheet = book
                    .add_sheet(&title, &columns(&renderer, lang, show_delegate))
                    .map_err(xlsx_failed)?;
                let mut after = 0;
                loop {
                    let batch = Item::export_batch(conn, scope, &filter, after, BATCH)?;
                    let Some(last) = batch.last() else { break };
                    after = last.id;
                    for line in batch {
                        sheet
                            .push(&cells(&renderer, lang, show_delegate, line))
                            .map_err(xlsx_failed)?;
                    }
                }
                book.finish().map_err(xlsx_failed)
            })
            .await?;
            Ok(download(Format::Xlsx, &stem).body(bytes))
        }
    }
}

fn xlsx_failed(error: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Unexpected(format!("writing the workbook: {error}"))
}

/// Starts a blocking thread that writes the list batch by batch into a
/// channel, and returns the response body reading from it. The thread stops
/// when the browser goes away (the send fails); a database failure midway
/// ends the download as failed, never as a file silently cut short.
fn stream_csv(
    pool: DbPool,
    renderer: Arc<Renderer>,
    export: ListExport,
) -> crate::export::http::ChunkBody {
    let (sender, body) = chunk_channel(IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let ListExport {
            lang,
            show_delegate,
            scope,
            filter,
            ..
        } = export;
        let written = (|| -> Result<(), AppError> {
            let mut chunk = String::from(csv::BOM);
            chunk.push_str(&csv::header(&columns(&renderer, lang, show_delegate)));
            let mut after = 0;
            loop {
                // A connection per batch, given back before waiting on a slow
                // reader, so a stalled download holds no connection of the pool.
                let batch = Item::export_batch(&mut *pool.get()?, scope, &filter, after, BATCH)?;
                let Some(last) = batch.last() else { break };
                after = last.id;
                for line in batch {
                    chunk.push_str(&csv::row(&cells(&renderer, lang, show_delegate, line)));
                }
                if !sender.send(std::mem::take(&mut chunk)) {
                    return Ok(());
                }
            }
            if !chunk.is_empty() {
                sender.send(chunk);
            }
            Ok(())
        })();
        if let Err(error) = written {
            tracing::error!(%error, "CSV export failed midway");
            sender.fail();
        }
    });
    body
}
