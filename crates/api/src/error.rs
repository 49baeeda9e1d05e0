//! The API's one error type. Every failure becomes `{code, message, details?, request_id}` with a
//! real HTTP status; 5xx bodies are opaque and the cause is logged in the request span.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use xiezhi_domain::FieldError;
use xiezhi_storage::StorageError;

tokio::task_local! {
    /// Id of the request being served, set by the request-id middleware.
    pub static REQUEST_ID: String;
}

/// Error body of every 4xx/5xx answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// Stable snake_case code the UI translates, e.g. `validation_failed`.
    pub code: String,
    /// Human-readable Chinese message.
    pub message: String,
    /// Extra data: `fields` for validation errors, `locked_until` for locked accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    pub request_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not authenticated")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("account locked")]
    AccountLocked { locked_until: i64 },
    #[error("account disabled")]
    AccountDisabled,
    #[error("missing permission {0}")]
    Forbidden(String),
    #[error("CSRF token missing or wrong")]
    CsrfFailed,
    #[error("not found")]
    NotFound,
    #[error("conflict: {message}")]
    Conflict { code: &'static str, message: String, field: Option<&'static str> },
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("{code}: {message}")]
    Coded { status: StatusCode, code: &'static str, message: String },
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    fn parts(&self) -> (StatusCode, &'static str, String, Option<serde_json::Value>) {
        use ApiError::*;
        match self {
            Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "unauthenticated", "未登录或登录已超时，请重新登录".into(), None)
            }
            InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials", "用户名或密码错误".into(), None),
            AccountLocked { locked_until } => (
                StatusCode::LOCKED,
                "account_locked",
                "登录失败次数过多，账号已锁定，请稍后再试或联系安全管理员解锁".into(),
                Some(serde_json::json!({ "locked_until": locked_until })),
            ),
            AccountDisabled => (StatusCode::FORBIDDEN, "account_disabled", "账号已停用，请联系系统管理员".into(), None),
            Forbidden(p) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "没有执行此操作的权限".into(),
                Some(serde_json::json!({ "permission": p })),
            ),
            CsrfFailed => (StatusCode::FORBIDDEN, "csrf_failed", "请求校验失败，请刷新页面后重试".into(), None),
            NotFound => (StatusCode::NOT_FOUND, "not_found", "记录不存在或无权访问".into(), None),
            Conflict { code, message, field } => (
                StatusCode::CONFLICT,
                code,
                message.clone(),
                field.map(|f| serde_json::json!({ "field": f, "fields": { f: message } })),
            ),
            Validation(errs) => {
                let mut fields = serde_json::Map::new();
                for e in errs {
                    fields.entry(e.field.to_string()).or_insert_with(|| serde_json::Value::String(e.message.clone()));
                }
                let list: Vec<serde_json::Value> =
                    errs.iter().map(|e| serde_json::json!({ "field": e.field, "message": e.message })).collect();
                let first = errs.first().map(|e| e.message.clone()).unwrap_or_default();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    format!("输入有误：{first}"),
                    Some(serde_json::json!({ "fields": fields, "errors": list })),
                )
            }
            BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", format!("请求格式错误：{m}"), None),
            PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "请求内容过大".into(), None),
            UnsupportedMediaType(m) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", format!("不支持的内容类型：{m}"), None)
            }
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "不支持的请求方法".into(), None),
            Coded { status, code, message } => (*status, *code, message.clone(), None),
            Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后重试".into(), None),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let (status, code, message, details) = self.parts();
        let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_default();
        (status, Json(ApiErrorBody { code: code.to_owned(), message, details, request_id })).into_response()
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Validation(vec![e])
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound => ApiError::NotFound,
            StorageError::Duplicate { field } => ApiError::Conflict {
                code: "duplicate",
                message: format!("{} 已存在", field_label(field)),
                field: Some(field),
            },
            StorageError::Reference { field } => ApiError::Conflict {
                code: "reference_violation",
                message: format!("{} 引用的记录不存在或仍被使用", field_label(field)),
                field: Some(field),
            },
            StorageError::Check { field } => ApiError::field(field, "取值不在允许范围内"),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "username" => "用户名",
        "code" => "编码",
        "name" => "名称",
        "value" => "字典值",
        "region_code" => "行政区划",
        "parent_id" => "上级部门",
        "department_id" => "所属部门",
        "permissions" => "权限",
        "role_ids" => "角色",
        "required_permission" => "所需权限",
        "category_id" => "事件分类",
        _ => "记录",
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => ApiError::Validation(vec![FieldError::new(
                "body",
                format!("字段缺失、多余或类型错误：{}", e.body_text()),
            )]),
            JsonRejection::JsonSyntaxError(e) => ApiError::BadRequest(format!("JSON 语法错误：{}", e.body_text())),
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType("需要 application/json".into()),
            JsonRejection::BytesRejection(e) => {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest(e.body_text())
                }
            }
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::field("path", format!("路径参数错误：{}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::field("query", format!("查询参数错误：{}", r.body_text()))
    }
}

impl From<axum::extract::multipart::MultipartError> for ApiError {
    fn from(e: axum::extract::multipart::MultipartError) -> Self {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.body_text())
        }
    }
}

impl From<axum::extract::multipart::MultipartRejection> for ApiError {
    fn from(e: axum::extract::multipart::MultipartRejection) -> Self {
        ApiError::UnsupportedMediaType(e.body_text())
    }
}

/// Collects field errors so that a form shows all of them at once.
#[derive(Debug, Default)]
pub struct Validator(Vec<FieldError>);

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep the value if valid, record the error otherwise.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn finish(self) -> ApiResult<()> {
        if self.0.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.0)) }
    }
}
