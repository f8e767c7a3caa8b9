-- kaden schema v3: indexes that let the reports count instead of scan.
-- A range of `activities_report` (002) must still decode every row of the period to sort it
-- into channel × result × key: ~1 s for a month of 800k activities. With the equality columns
-- first, each (rep, channel, result) cell of a period is one index range whose rows are
-- counted without being decoded, and lead_id covers the join for `--by source|tier`.
CREATE INDEX activities_counts ON activities (kind, rep, channel, result, at, lead_id);
-- The load balance and leads created per owner: per (owner, status) the age buckets are
-- created_at ranges and the stale leads a next_at range (was a scan of every lead).
CREATE INDEX leads_owner_created ON leads (owner, status, created_at);
CREATE INDEX leads_owner_next ON leads (owner, status, next_at);
