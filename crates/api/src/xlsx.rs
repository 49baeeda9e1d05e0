//! Excel export: one sheet with a bold header row, returned as a download.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{ApiError, ApiResult};

/// Most rows one export may hold; narrower filters are needed beyond that.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

pub fn export(
    file_stem: &str,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> ApiResult<Response> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(ApiError::internal)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(ApiError::internal)?;
        ws.write_string_with_format(0, c, *h, &bold)
            .map_err(ApiError::internal)?;
        ws.set_column_width(c, 18).map_err(ApiError::internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(ApiError::internal)?;
        for (c, v) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(ApiError::internal)?;
            ws.write_string(r, c, v).map_err(ApiError::internal)?;
        }
    }
    let bytes = wb.save_to_buffer().map_err(ApiError::internal)?;
    let name = format!("{file_stem}.xlsx");
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        percent_encode(&name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `YYYY-MM-DD HH:MM:SS` in China Standard Time (UTC+8, no daylight saving).
pub fn format_ms(ms: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000) else {
        return String::new();
    };
    let t = t.to_offset(time::macros::offset!(+8));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_china_time() {
        assert_eq!(super::format_ms(0), "1970-01-01 08:00:00");
        assert_eq!(super::percent_encode("用户 a"), "%E7%94%A8%E6%88%B7%20a");
    }
}
