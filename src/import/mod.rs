//! Import of CRM and Excel CSV exports (see commands/import.rs).
