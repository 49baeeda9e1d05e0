//! Excel export: one sheet with a bold header row, returned as a download.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{ApiError, ApiResult};

/// Most rows one export may hold; narrower filters are needed beyond that.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

pub fn export(file_stem: &str, sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> ApiResult<Response> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(ApiError::internal)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(ApiError::internal)?;
        ws.write_string_with_format(0, c, *h, &bold).map_err(ApiError::internal)?;
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
    let disposition = format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}", percent_encode(&name));
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
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

/// Read the first sheet of an .xlsx upload whose first row must equal `headers`. Returns the data
/// rows as (Excel line number, one trimmed string per header), skipping blank rows.
pub fn read_rows(
    bytes: Vec<u8>,
    headers: &[&str],
    max_rows: usize,
) -> Result<Vec<(usize, Vec<String>)>, Vec<xiezhi_domain::FieldError>> {
    use calamine::{Data, Reader, Xlsx};
    use xiezhi_domain::FieldError;
    let err = |m: String| vec![FieldError::new("file", m)];
    let cell = |row: &[Data], i: usize| -> String {
        row.get(i)
            .map(|d| match d {
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                other => other.to_string(),
            })
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
        tracing::info!(error = %e, "unreadable upload");
        err("无法读取 Excel 文件，请确认文件是 .xlsx 格式且未损坏（可先下载模板）".into())
    })?;
    let range = wb.worksheet_range_at(0).ok_or_else(|| err("文件中没有工作表".into()))?.map_err(|e| {
        tracing::info!(error = %e, "unreadable worksheet");
        err("无法读取第一个工作表，请确认文件未损坏".into())
    })?;
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().map(|r| (0..headers.len()).map(|i| cell(r, i)).collect()).unwrap_or_default();
    if header != headers {
        return Err(err(format!("表头须为：{}", headers.join("、"))));
    }
    let mut out = Vec::new();
    for (i, r) in rows.enumerate() {
        let values: Vec<String> = (0..headers.len()).map(|c| cell(r, c)).collect();
        if values.iter().all(String::is_empty) {
            continue;
        }
        if out.len() >= max_rows {
            return Err(err(format!("一次最多导入 {max_rows} 行")));
        }
        out.push((i + 2, values));
    }
    if out.is_empty() {
        return Err(err("文件中没有数据行".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_china_time() {
        assert_eq!(super::format_ms(0), "1970-01-01 08:00:00");
        assert_eq!(super::percent_encode("用户 a"), "%E7%94%A8%E6%88%B7%20a");
    }
}
