-- kaden on PostgreSQL, schema v4: the twin of SQLite's 007_rep_day.sql (promises outside
-- calling hours, do not call).
ALTER TABLE leads ADD COLUMN next_off_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN do_not_call BIGINT NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN do_not_call_reason TEXT;
CREATE TABLE do_not_call_numbers (
    number     TEXT PRIMARY KEY,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
