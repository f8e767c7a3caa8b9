-- kaden schema v8: claims (team mode, SPEC §5; PostgreSQL twin: pg/002_claims.sql).
-- A lead a rep is working is claimed: claimed_by, until claimed_until (a lease, renewed while
-- the form or call is open); claim_token grows with every claim and fences a save whose lease
-- lapsed. Each activity has a uid chosen by the writer, so a save cut off by a dropped
-- connection can be looked up afterwards.
ALTER TABLE leads ADD COLUMN claimed_by TEXT;
ALTER TABLE leads ADD COLUMN claimed_until TEXT;
ALTER TABLE leads ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN uid TEXT;
CREATE UNIQUE INDEX activities_uid ON activities (uid) WHERE uid IS NOT NULL;
CREATE INDEX leads_claimed ON leads (claimed_until) WHERE claimed_by IS NOT NULL;
