//! Clue center (F01–F17). This part: the handling rules an administrator configures in the UI.

pub mod config;
pub mod source;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    config::router().merge(source::router())
}
