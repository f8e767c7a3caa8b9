-- kaden schema v9: reports from aggregates (issues 13 and 15). A month of touches at 1M leads is
-- ~840k activities; counting them (and looking up the lead of each for --by source|tier) took
-- seconds. These two tables hold the counts per UTC day (grain 'd', bucket 'YYYY-MM-DD') and per
-- UTC hour (grain 'h', bucket 'YYYY-MM-DDTHH') of every key a report breaks down by. A report
-- period (local days in the rep's zone) is whole UTC days, plus whole hours at its two ends,
-- plus (in a zone whose offset is not whole hours) a few minutes read from the activities.
--
-- Triggers keep them exact in the same transaction as every write, whoever writes: a touch
-- recorded or undone, a lead created or deleted, a lead's source, tier, owner or created_at
-- changed (an edit, an import merge), an activity rewritten by another program. There is no
-- second code path to forget. NULL result/reason are stored as ''.
CREATE TABLE touch_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    rep     TEXT NOT NULL,
    channel TEXT NOT NULL,
    result  TEXT NOT NULL,
    reason  TEXT NOT NULL,
    source  TEXT NOT NULL,
    tier    INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, rep, channel, result, reason, source, tier)
) WITHOUT ROWID;

CREATE TABLE lead_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    source  TEXT NOT NULL,
    tier    INTEGER NOT NULL,
    owner   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, source, tier, owner)
) WITHOUT ROWID;

-- The backfill: one statement per table.
INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
       coalesce(a.reason, ''), l.source, l.tier, count(*)
FROM activities a JOIN leads l ON l.id = a.lead_id,
     (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
WHERE a.kind = 'touch'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
SELECT g.grain, substr(l.created_at, 1, g.len), l.source, l.tier, l.owner, count(*)
FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
WHERE true
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER touch_counts_insert AFTER INSERT ON activities WHEN new.kind = 'touch'
BEGIN
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(new.at, 1, g.len), new.rep, new.channel, coalesce(new.result, ''),
           coalesce(new.reason, ''), l.source, l.tier, 1
    FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE l.id = new.lead_id
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
END;

CREATE TRIGGER touch_counts_delete AFTER DELETE ON activities WHEN old.kind = 'touch'
BEGIN
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(old.at, 1, g.len), old.rep, old.channel, coalesce(old.result, ''),
           coalesce(old.reason, ''), l.source, l.tier, -1
    FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE l.id = old.lead_id
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
END;

CREATE TRIGGER touch_counts_update
AFTER UPDATE OF lead_id, at, kind, channel, result, reason, rep ON activities
BEGIN
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(old.at, 1, g.len), old.rep, old.channel, coalesce(old.result, ''),
           coalesce(old.reason, ''), l.source, l.tier, -1
    FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE l.id = old.lead_id AND old.kind = 'touch'
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(new.at, 1, g.len), new.rep, new.channel, coalesce(new.result, ''),
           coalesce(new.reason, ''), l.source, l.tier, 1
    FROM leads l, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE l.id = new.lead_id AND new.kind = 'touch'
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
END;

-- A lead's source or tier moves its touches to the new key.
CREATE TRIGGER touch_counts_lead AFTER UPDATE OF source, tier ON leads
WHEN old.source IS NOT new.source OR old.tier IS NOT new.tier
BEGIN
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
           coalesce(a.reason, ''), old.source, old.tier, -count(*)
    FROM activities a, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE a.lead_id = old.id AND a.kind = 'touch'
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
           coalesce(a.reason, ''), new.source, new.tier, count(*)
    FROM activities a, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE a.lead_id = new.id AND a.kind = 'touch'
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
END;

CREATE TRIGGER lead_counts_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
    SELECT g.grain, substr(new.created_at, 1, g.len), new.source, new.tier, new.owner, 1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE true
    ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
END;

CREATE TRIGGER lead_counts_delete AFTER DELETE ON leads
BEGIN
    INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
    SELECT g.grain, substr(old.created_at, 1, g.len), old.source, old.tier, old.owner, -1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE true
    ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
END;

CREATE TRIGGER lead_counts_update AFTER UPDATE OF created_at, source, tier, owner ON leads
WHEN old.created_at IS NOT new.created_at OR old.source IS NOT new.source
  OR old.tier IS NOT new.tier OR old.owner IS NOT new.owner
BEGIN
    INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
    SELECT g.grain, substr(old.created_at, 1, g.len), old.source, old.tier, old.owner, -1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE true
    ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
    INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
    SELECT g.grain, substr(new.created_at, 1, g.len), new.source, new.tier, new.owner, 1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g
    WHERE true
    ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
END;

-- The funnel counts distinct leads (worked, reached, appointment) in a period, which no sum of
-- day counts gives. They are kept per reporting zone (the `time_zone` of whoever reports, listed
-- in `report_zones`): for each local day, week and month, the touch that is its lead's first of
-- that period (at each funnel level, and per rep) is counted on its local day. Local days need
-- the zone's rules, so kaden folds them in Rust: the triggers log every change to a lead's
-- touches or keys in `report_log`, and every kaden write transaction folds the log into
-- `funnel_counts` before it commits (`src/store/funnel_counts.rs`). A report that finds the log
-- not empty (another program wrote) folds it first, or counts from the activities.
CREATE TABLE report_zones (
    zone TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE funnel_counts (
    zone   TEXT NOT NULL,
    kind   TEXT NOT NULL,      -- 'day', 'week' or 'month'
    day    TEXT NOT NULL,      -- the local date of the touch
    scope  TEXT NOT NULL,      -- 'lead': first of its lead; 'rep': first of its lead and rep
    level  INTEGER NOT NULL,   -- 0 any touch, 1 a conversation, 2 an appointment
    rep    TEXT NOT NULL,
    source TEXT NOT NULL,
    tier   INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (zone, kind, day, scope, level, rep, source, tier)
) WITHOUT ROWID;

-- +1: a touch that came, -1: a touch that went, with its lead's source and tier then.
CREATE TABLE report_log (
    lead_id INTEGER NOT NULL,
    sign    INTEGER NOT NULL,
    at      TEXT NOT NULL,
    rep     TEXT NOT NULL,
    result  TEXT,
    source  TEXT NOT NULL,
    tier    INTEGER NOT NULL
);

CREATE TRIGGER report_log_insert AFTER INSERT ON activities WHEN new.kind = 'touch'
BEGIN
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT new.lead_id, 1, new.at, new.rep, new.result, l.source, l.tier FROM leads l
    WHERE l.id = new.lead_id;
END;

CREATE TRIGGER report_log_delete AFTER DELETE ON activities WHEN old.kind = 'touch'
BEGIN
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT old.lead_id, -1, old.at, old.rep, old.result, l.source, l.tier FROM leads l
    WHERE l.id = old.lead_id;
END;

CREATE TRIGGER report_log_update AFTER UPDATE OF lead_id, at, kind, result, rep ON activities
BEGIN
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT old.lead_id, -1, old.at, old.rep, old.result, l.source, l.tier FROM leads l
    WHERE l.id = old.lead_id AND old.kind = 'touch';
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT new.lead_id, 1, new.at, new.rep, new.result, l.source, l.tier FROM leads l
    WHERE l.id = new.lead_id AND new.kind = 'touch';
END;

CREATE TRIGGER report_log_lead AFTER UPDATE OF source, tier ON leads
WHEN old.source IS NOT new.source OR old.tier IS NOT new.tier
BEGIN
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT old.id, -1, a.at, a.rep, a.result, old.source, old.tier FROM activities a
    WHERE a.lead_id = old.id AND a.kind = 'touch';
    INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
    SELECT new.id, 1, a.at, a.rep, a.result, new.source, new.tier FROM activities a
    WHERE a.lead_id = new.id AND a.kind = 'touch';
END;

-- Speed-to-lead: every lead by creation time with its first touch (the earliest, by time then
-- id), so the leads created in a period are one range of one small table instead of a lead
-- lookup and two activity seeks each.
CREATE TABLE first_touches (
    created_at TEXT NOT NULL,
    lead_id    INTEGER NOT NULL,
    source     TEXT NOT NULL,
    owner      TEXT NOT NULL,
    first_at   TEXT,
    first_rep  TEXT,
    first_id   INTEGER,
    PRIMARY KEY (created_at, lead_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX first_touches_lead ON first_touches (lead_id);

INSERT INTO first_touches (created_at, lead_id, source, owner, first_at, first_rep, first_id)
SELECT l.created_at, l.id, l.source, l.owner, f.at, f.rep, f.id
FROM leads l LEFT JOIN activities f ON f.id = (
    SELECT a.id FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch'
    ORDER BY a.at, a.id LIMIT 1);

CREATE TRIGGER first_touches_lead_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO first_touches (created_at, lead_id, source, owner)
    VALUES (new.created_at, new.id, new.source, new.owner);
END;

CREATE TRIGGER first_touches_lead_delete AFTER DELETE ON leads
BEGIN
    DELETE FROM first_touches WHERE lead_id = old.id;
END;

CREATE TRIGGER first_touches_lead_update AFTER UPDATE OF created_at, source, owner ON leads
BEGIN
    UPDATE first_touches SET created_at = new.created_at, source = new.source, owner = new.owner
    WHERE lead_id = new.id;
END;

CREATE TRIGGER first_touches_insert AFTER INSERT ON activities WHEN new.kind = 'touch'
BEGIN
    UPDATE first_touches SET first_at = new.at, first_rep = new.rep, first_id = new.id
    WHERE lead_id = new.lead_id
      AND (first_at IS NULL OR new.at < first_at OR (new.at = first_at AND new.id < first_id));
END;

CREATE TRIGGER first_touches_delete AFTER DELETE ON activities WHEN old.kind = 'touch'
BEGIN
    UPDATE first_touches SET (first_at, first_rep, first_id) = (
        SELECT a.at, a.rep, a.id FROM activities a
        WHERE a.lead_id = old.lead_id AND a.kind = 'touch' ORDER BY a.at, a.id LIMIT 1)
    WHERE lead_id = old.lead_id AND first_id = old.id;
END;

CREATE TRIGGER first_touches_update AFTER UPDATE OF lead_id, at, kind, rep ON activities
BEGIN
    UPDATE first_touches SET (first_at, first_rep, first_id) = (
        SELECT a.at, a.rep, a.id FROM activities a
        WHERE a.lead_id = first_touches.lead_id AND a.kind = 'touch' ORDER BY a.at, a.id LIMIT 1)
    WHERE lead_id IN (old.lead_id, new.lead_id);
END;
