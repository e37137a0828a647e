//! A spreadsheet as Excel saves it (`.xlsx`): its first sheet's rows of cells, as text, for the
//! merchant registry's import. Bounded before anything is unpacked: the workbook's declared
//! unpacked size, the rows (the registry's most, and its header) and the columns read.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

/// How an `.xlsx` file (a zip archive) begins.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The most the workbook's parts may unpack to, together.
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Columns past this are not read: a registry has six.
const MAX_COLUMNS: u32 = 64;

/// Whether `bytes` look like an `.xlsx` workbook (rather than CSV text).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// The first sheet's rows, each cell as text (numbers as Excel shows them, whole numbers without a
/// decimal point), at most `max_rows` of them.
pub fn first_sheet(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, String> {
    let not_xlsx = |e: &dyn std::fmt::Display| format!("not an Excel workbook (.xlsx) that can be read: {e}");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        unpacked = unpacked.saturating_add(archive.by_index_raw(i).map_err(|e| not_xlsx(&e))?.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(format!(
            "the workbook unpacks to more than {} MB: save the list alone, or as CSV",
            MAX_UNPACKED / 1024 / 1024
        ));
    }
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("the workbook has no sheet")?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| not_xlsx(&e))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| not_xlsx(&e))? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column);
        if column >= MAX_COLUMNS {
            continue;
        }
        if row >= max_rows {
            return Err(format!("a list has at most {} lines", max_rows));
        }
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let line = &mut rows[row];
        let column = column as usize;
        if line.len() <= column {
            line.resize(column + 1, String::new());
        }
        line[column] = text(cell.get_value());
    }
    Ok(rows)
}

/// A cell as text: a credit code or a phone number typed as a number keeps all its digits.
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}
