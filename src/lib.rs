//! kaden (架電): a terminal call-queue client for inside sales.
//!
//! Layout: `domain` holds the vocabulary and pure rules, `store` the SQLite file (the only
//! source of truth), `tui` the terminal app (The Elm Architecture), `commands` the CLI's commands
//! (dispatched in `main`), `ctx` the context both start from, `files` every file kaden opens
//! itself.
#![deny(clippy::disallowed_methods, clippy::disallowed_macros)]

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod crm;
pub mod ctx;
pub mod demo;
pub mod dispatch;
pub mod domain;
pub mod export;
pub mod files;
pub mod i18n;
pub mod import;
pub mod plan;
pub mod report;
pub mod store;
pub mod tui;
