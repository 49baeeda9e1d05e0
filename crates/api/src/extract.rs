//! Extractors whose rejections are `ApiError`s, request ids and client metadata.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, REQUEST_ID};

/// JSON body; unknown fields, wrong types and syntax errors become 4xx `ApiError`s.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Who is calling from where, for the audit log.
#[derive(Debug, Clone)]
pub struct ClientMeta {
    pub ip: String,
    pub user_agent: String,
}

impl ClientMeta {
    pub fn from_parts(parts: &Parts) -> Self {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".to_owned());
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(256)
            .collect();
        ClientMeta { ip, user_agent }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientMeta::from_parts(parts))
    }
}

/// Give every request an id (taken from `x-request-id` when the proxy set one), make it available
/// to error bodies and logs, and echo it in the response.
pub async fn request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_owned)
        .unwrap_or_else(|| hex::encode(rand::random::<[u8; 8]>()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let mut res = REQUEST_ID
        .scope(id.clone(), async move {
            let _enter = span.clone();
            tracing::Instrument::instrument(next.run(req), span).await
        })
        .await;
    if let Ok(v) = id.parse() {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Multipart form; a missing or wrong content type becomes a 4xx `ApiError`.
#[derive(Debug)]
pub struct Multipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Multipart(axum::extract::Multipart::from_request(req, state).await?))
    }
}

impl Multipart {
    /// The bytes of the form's `file` field (the one upload field of the import endpoints).
    pub async fn file(mut self) -> Result<Vec<u8>, ApiError> {
        let mut bytes = None;
        while let Some(field) = self.0.next_field().await? {
            if field.name() == Some("file") {
                bytes = Some(field.bytes().await?.to_vec());
            }
        }
        bytes.ok_or_else(|| ApiError::field("file", "缺少上传文件（字段名 file）"))
    }
}
