-- kaden on PostgreSQL, schema v3: the twin of SQLite's 006_funnel.sql (meetings held, the
-- funnel's indexes).
ALTER TABLE appointments ADD COLUMN held BIGINT CHECK (held IN (0, 1));
ALTER TABLE appointments ADD COLUMN held_at TEXT;
CREATE INDEX appointments_meeting ON appointments (meeting_at);
CREATE INDEX activities_outcomes ON activities (result, at, kind, rep, reason, lead_id);
CREATE INDEX leads_status_updated ON leads (status, updated_at);
