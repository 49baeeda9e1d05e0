//! Repositories of the clue center.

pub mod config;
