//! Repositories of the clue center.

pub mod case;
pub mod config;
pub mod workflow;
