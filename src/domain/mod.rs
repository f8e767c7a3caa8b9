//! The product vocabulary (SPEC §1) and the pure rules built on it: statuses, call results,
//! channels, tiers, next actions, the cadence, the ranking, calling hours and time input.
//! Nothing here does I/O; every rule takes "now" as a parameter.

pub mod amount;
pub mod assignment;
pub mod cadence;
pub mod crm;
pub mod hours;
pub mod phone;
pub mod phone_format;
pub mod ranking;
pub mod text;
pub mod timeparse;
pub mod touch;
mod vocab;
pub mod zone;

pub use vocab::*;
