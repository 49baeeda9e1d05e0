//! Serves the built web UI with history-mode fallback: unknown paths get `index.html`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::ApiError;

pub async fn serve(State(s): State<AppState>, req: Request<Body>) -> Response {
    let Some(dir) = s.web_dir.as_ref() else {
        return (StatusCode::NOT_FOUND, "web UI not built: run `npm run build` in web/").into_response();
    };
    let path = req.uri().path().trim_start_matches('/');
    // Never serve anything outside the directory.
    if path.split('/').any(|seg| seg == ".." || seg.starts_with('.')) {
        return ApiError::NotFound.into_response();
    }
    let candidate = dir.join(path);
    let (file, is_asset) = if !path.is_empty() && candidate.is_file() {
        (candidate, path.starts_with("assets/"))
    } else {
        (dir.join("index.html"), false)
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mime = mime_guess::from_path(&file).first_or_octet_stream();
            let mut res = Response::new(Body::from(bytes));
            if let Ok(v) = HeaderValue::from_str(mime.as_ref()) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            let cache = if is_asset { "public, max-age=31536000, immutable" } else { "no-cache" };
            res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            res
        }
        Err(_) => (StatusCode::NOT_FOUND, "web UI not built: run `npm run build` in web/").into_response(),
    }
}
