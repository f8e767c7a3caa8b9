//! Transitional: the old name of the TUI test support, kept only so test files written against
//! it on other branches still build when merged. New tests say `mod support;` and use
//! `support::tui`. Delete this file once no test uses it.
#![allow(unused_imports)]

#[path = "../support/mod.rs"]
mod support;

pub use support::tui::*;
