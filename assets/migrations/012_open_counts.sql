-- kaden schema v12: the load balance from counts (issues 13 §3 and 15 "Performance"). The load
-- balance of `report --by rep` (and the manager's view) counts the open leads of each (owner,
-- status) by age (created within 2, 8, 31 days or earlier) and the stale ones (next action
-- before now minus `stale_days`). As index ranges of leads_owner_created / leads_owner_next that
-- walked ~1.6M index entries at 1M leads (114 of the 127 ms of the report).
--
-- open_counts holds how many leads there are per (owner, status, UTC day): of creation (kind
-- 'c', every lead) and of the next action (kind 'n', leads that have one). A count "created at
-- or before T" is the sum of the days before T's day plus the leads of T's own day up to T, read
-- from the index (one day of one owner and status: a short range); the same for next actions.
-- Triggers keep it exact in the writing transaction, whoever writes (a result recorded, an edit,
-- an import, a lead reassigned or deleted, another program's UPDATE). Rows that reach 0 stay.
CREATE TABLE open_counts (
    kind   TEXT NOT NULL,
    owner  TEXT NOT NULL,
    status TEXT NOT NULL,
    day    TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (kind, owner, status, day)
) WITHOUT ROWID;

INSERT INTO open_counts (kind, owner, status, day, n)
SELECT 'c', owner, status, substr(created_at, 1, 10), count(*)
FROM leads WHERE true GROUP BY 2, 3, 4;

INSERT INTO open_counts (kind, owner, status, day, n)
SELECT 'n', owner, status, substr(next_at, 1, 10), count(*)
FROM leads WHERE next_at IS NOT NULL GROUP BY 2, 3, 4;

CREATE TRIGGER open_counts_insert AFTER INSERT ON leads
BEGIN
    INSERT INTO open_counts (kind, owner, status, day, n)
    SELECT k.kind, new.owner, new.status, k.day, 1
    FROM (SELECT 'c' AS kind, substr(new.created_at, 1, 10) AS day
          UNION ALL SELECT 'n', substr(new.next_at, 1, 10)) k
    WHERE k.day IS NOT NULL
    ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n;
END;

CREATE TRIGGER open_counts_delete AFTER DELETE ON leads
BEGIN
    INSERT INTO open_counts (kind, owner, status, day, n)
    SELECT k.kind, old.owner, old.status, k.day, -1
    FROM (SELECT 'c' AS kind, substr(old.created_at, 1, 10) AS day
          UNION ALL SELECT 'n', substr(old.next_at, 1, 10)) k
    WHERE k.day IS NOT NULL
    ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n;
END;

CREATE TRIGGER open_counts_update AFTER UPDATE OF owner, status, created_at, next_at ON leads
WHEN old.owner IS NOT new.owner OR old.status IS NOT new.status
  OR substr(old.created_at, 1, 10) IS NOT substr(new.created_at, 1, 10)
  OR substr(old.next_at, 1, 10) IS NOT substr(new.next_at, 1, 10)
BEGIN
    INSERT INTO open_counts (kind, owner, status, day, n)
    SELECT k.kind, old.owner, old.status, k.day, -1
    FROM (SELECT 'c' AS kind, substr(old.created_at, 1, 10) AS day
          UNION ALL SELECT 'n', substr(old.next_at, 1, 10)) k
    WHERE k.day IS NOT NULL
    ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n;
    INSERT INTO open_counts (kind, owner, status, day, n)
    SELECT k.kind, new.owner, new.status, k.day, 1
    FROM (SELECT 'c' AS kind, substr(new.created_at, 1, 10) AS day
          UNION ALL SELECT 'n', substr(new.next_at, 1, 10)) k
    WHERE k.day IS NOT NULL
    ON CONFLICT (kind, owner, status, day) DO UPDATE SET n = open_counts.n + excluded.n;
END;

-- leads_owner (owner, status) is a prefix of leads_owner_created (owner, status, created_at), which
-- serves every lookup it served: one index fewer to write on every status change and to build
-- after a bulk load.
DROP INDEX leads_owner;
