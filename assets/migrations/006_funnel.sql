-- kaden schema v6: where the funnel leaks (issue 15).
-- A meeting closed out: held (1) or not held, a no-show (0), and when that was reported. A won or
-- lost outcome implies the meeting was held.
ALTER TABLE appointments ADD COLUMN held INTEGER CHECK (held IN (0, 1));
ALTER TABLE appointments ADD COLUMN held_at TEXT;
-- "Meetings to report": appointments by meeting time.
CREATE INDEX appointments_meeting ON appointments (meeting_at);
-- The funnel and the reasons: per result, a period is one range of this index, and the lead,
-- rep and reason are read from it without a table lookup.
CREATE INDEX activities_outcomes ON activities (result, at, kind, rep, reason, lead_id);
-- Recycling: pending leads by when they were parked (their last write).
CREATE INDEX leads_status_updated ON leads (status, updated_at);
