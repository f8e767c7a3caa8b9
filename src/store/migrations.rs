//! Schema migrations by `PRAGMA user_version`. Policy: append-only — never edit or remove a
//! shipped migration; add a new one. Each runs in its own transaction with the version bump.

use super::{Result, StoreError};
use rusqlite::{Connection, TransactionBehavior};

/// Every migration, in order; migration `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/001_init.sql"),
    include_str!("../../assets/migrations/002_report_index.sql"),
    include_str!("../../assets/migrations/003_report_counts.sql"),
    include_str!("../../assets/migrations/004_application_id.sql"),
    include_str!("../../assets/migrations/005_crm_round_trip.sql"),
    include_str!("../../assets/migrations/006_funnel.sql"),
    include_str!("../../assets/migrations/007_rep_day.sql"),
    include_str!("../../assets/migrations/008_claims.sql"),
    include_str!("../../assets/migrations/009_report_aggregates.sql"),
    include_str!("../../assets/migrations/010_search.sql"),
    include_str!("../../assets/migrations/011_speed_counts.sql"),
    include_str!("../../assets/migrations/012_open_counts.sql"),
];

/// The schema version this kaden writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Bring the schema up to date. Refuses a newer database without touching it.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > LATEST_VERSION {
            return Err(StoreError::NewerSchema {
                path: String::new(),
                found: version,
                supported: LATEST_VERSION,
            });
        }
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}
