//! Paging and sorting requests, validated once.

use crate::FieldError;

pub const MAX_PAGE_SIZE: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub page_size: i64,
}

impl PageRequest {
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Result<Self, FieldError> {
        let page = page.unwrap_or(1);
        let page_size = page_size.unwrap_or(20);
        if page < 1 {
            return Err(FieldError::new("page", "页码必须从 1 开始"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(FieldError::new("page_size", format!("每页条数须在 1–{MAX_PAGE_SIZE} 之间")));
        }
        Ok(Self { page, page_size })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.page_size
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    pub fn parse(s: Option<&str>) -> Result<Self, FieldError> {
        match s {
            None | Some("asc") | Some("ascending") => Ok(Self::Asc),
            Some("desc") | Some("descending") => Ok(Self::Desc),
            Some(_) => Err(FieldError::new("order", "排序方向只能是 asc 或 desc")),
        }
    }

    pub fn sql(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

/// A sort column chosen from an allow-list, so user input never reaches SQL text.
pub fn sort_column<'a>(
    requested: Option<&str>,
    allowed: &[(&str, &'a str)],
    default: &'a str,
) -> Result<&'a str, FieldError> {
    match requested {
        None | Some("") => Ok(default),
        Some(r) => allowed
            .iter()
            .find(|(name, _)| *name == r)
            .map(|(_, col)| *col)
            .ok_or_else(|| FieldError::new("sort", format!("不支持按 {r} 排序"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_bounds() {
        assert_eq!(PageRequest::new(None, None).map(|p| p.offset()), Ok(0));
        assert_eq!(PageRequest::new(Some(3), Some(10)).map(|p| p.offset()), Ok(20));
        assert!(PageRequest::new(Some(0), None).is_err());
        assert!(PageRequest::new(None, Some(0)).is_err());
        assert!(PageRequest::new(None, Some(201)).is_err());
    }

    #[test]
    fn sort_column_uses_allow_list() {
        let allowed = [("username", "u.username")];
        assert_eq!(sort_column(Some("username"), &allowed, "u.id"), Ok("u.username"));
        assert_eq!(sort_column(None, &allowed, "u.id"), Ok("u.id"));
        assert!(sort_column(Some("1;drop table"), &allowed, "u.id").is_err());
        assert!(SortOrder::parse(Some("sideways")).is_err());
    }
}
