//! The non-interactive commands, one module each; `main` dispatches to them.

pub mod backup;
pub mod demo;
pub mod dnc;
pub mod doctor;
pub mod export;
pub mod import;
pub mod log;
pub mod meeting;
pub mod output;
pub mod plan;
pub mod queue;
pub mod report;
pub mod results;
pub mod shell;
pub mod team;

/// Every command module names its context `super::Ctx`.
pub use crate::ctx::{Ctx, data_dir};
