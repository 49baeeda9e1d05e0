//! Clue center (F01–F17): handling rules, sources, the intake API, the engine, cases, workflows.

pub mod attachments;
pub mod callback;
pub mod case;
pub mod config;
pub mod engine;
pub mod intake;
pub mod rules;
pub mod source;
pub mod workflow;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    config::router().merge(source::router()).merge(intake::router()).merge(workflow::router()).merge(case::router())
}
