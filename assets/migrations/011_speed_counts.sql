-- kaden schema v11: speed-to-lead from a histogram (issues 13 §3-4 and 15 "Performance"). The
-- exact median time to first touch of a month's new leads (~195k at 1M leads) used to read every
-- one of them from first_touches and sort the delays in Rust.
--
-- first_touches gets the delay (seconds from creation to first touch, NULL while untouched) and
-- its histogram bucket, both computed from the row (virtual columns, so every trigger that
-- writes first_touches keeps them right without knowing of them). The buckets: one per second
-- below 16 s, then eight per doubling (each 1/8 of its power of two wide: 16-17, 18-19, ...,
-- 256-287, 288-319, ...); -1 an untouched lead, -2 a creation time that is no time.
-- speed_counts holds how many leads of each (UTC day 'd' or UTC hour 'h' of creation, lead
-- source 's' or rep 'r' (who made the first touch; the owner while untouched), bucket) there
-- are, kept by triggers on first_touches in the writing transaction. A report counts the leads,
-- the touched ones and those inside the SLA from the buckets, finds which bucket holds the
-- median, and reads the exact delays of that bucket only, through first_touches_speed
-- (`src/store/speed.rs`, `src/report/speed.rs`).
ALTER TABLE first_touches ADD COLUMN delay INTEGER
    AS (max(0, unixepoch(first_at) - unixepoch(created_at)));
ALTER TABLE first_touches ADD COLUMN dbucket INTEGER AS (
    CASE WHEN unixepoch(created_at) IS NULL THEN -2
         WHEN delay IS NULL THEN -1
         WHEN delay < 16 THEN delay
         WHEN delay < 32 THEN 16 + ((delay >> 1) & 7)
         WHEN delay < 64 THEN 24 + ((delay >> 2) & 7)
         WHEN delay < 128 THEN 32 + ((delay >> 3) & 7)
         WHEN delay < 256 THEN 40 + ((delay >> 4) & 7)
         WHEN delay < 512 THEN 48 + ((delay >> 5) & 7)
         WHEN delay < 1024 THEN 56 + ((delay >> 6) & 7)
         WHEN delay < 2048 THEN 64 + ((delay >> 7) & 7)
         WHEN delay < 4096 THEN 72 + ((delay >> 8) & 7)
         WHEN delay < 8192 THEN 80 + ((delay >> 9) & 7)
         WHEN delay < 16384 THEN 88 + ((delay >> 10) & 7)
         WHEN delay < 32768 THEN 96 + ((delay >> 11) & 7)
         WHEN delay < 65536 THEN 104 + ((delay >> 12) & 7)
         WHEN delay < 131072 THEN 112 + ((delay >> 13) & 7)
         WHEN delay < 262144 THEN 120 + ((delay >> 14) & 7)
         WHEN delay < 524288 THEN 128 + ((delay >> 15) & 7)
         WHEN delay < 1048576 THEN 136 + ((delay >> 16) & 7)
         WHEN delay < 2097152 THEN 144 + ((delay >> 17) & 7)
         WHEN delay < 4194304 THEN 152 + ((delay >> 18) & 7)
         WHEN delay < 8388608 THEN 160 + ((delay >> 19) & 7)
         WHEN delay < 16777216 THEN 168 + ((delay >> 20) & 7)
         WHEN delay < 33554432 THEN 176 + ((delay >> 21) & 7)
         WHEN delay < 67108864 THEN 184 + ((delay >> 22) & 7)
         WHEN delay < 134217728 THEN 192 + ((delay >> 23) & 7)
         WHEN delay < 268435456 THEN 200 + ((delay >> 24) & 7)
         WHEN delay < 536870912 THEN 208 + ((delay >> 25) & 7)
         WHEN delay < 1073741824 THEN 216 + ((delay >> 26) & 7)
         WHEN delay < 2147483648 THEN 224 + ((delay >> 27) & 7)
         WHEN delay < 4294967296 THEN 232 + ((delay >> 28) & 7)
         WHEN delay < 8589934592 THEN 240 + ((delay >> 29) & 7)
         WHEN delay < 17179869184 THEN 248 + ((delay >> 30) & 7)
         WHEN delay < 34359738368 THEN 256 + ((delay >> 31) & 7)
         WHEN delay < 68719476736 THEN 264 + ((delay >> 32) & 7)
         WHEN delay < 137438953472 THEN 272 + ((delay >> 33) & 7)
         WHEN delay < 274877906944 THEN 280 + ((delay >> 34) & 7)
         WHEN delay < 549755813888 THEN 288 + ((delay >> 35) & 7)
         WHEN delay < 1099511627776 THEN 296 + ((delay >> 36) & 7)
         WHEN delay < 2199023255552 THEN 304 + ((delay >> 37) & 7)
         WHEN delay < 4398046511104 THEN 312 + ((delay >> 38) & 7)
         WHEN delay < 8796093022208 THEN 320 + ((delay >> 39) & 7)
         WHEN delay < 17592186044416 THEN 328 + ((delay >> 40) & 7)
         WHEN delay < 35184372088832 THEN 336 + ((delay >> 41) & 7)
         WHEN delay < 70368744177664 THEN 344 + ((delay >> 42) & 7)
         WHEN delay < 140737488355328 THEN 352 + ((delay >> 43) & 7)
         ELSE 360 END);
CREATE INDEX first_touches_speed
    ON first_touches (dbucket, created_at, delay, source, first_rep, owner);

CREATE TABLE speed_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    dim     TEXT NOT NULL,      -- 's' lead source, 'r' rep
    key     TEXT NOT NULL,
    dbucket INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (grain, bucket, dim, key, dbucket)
) WITHOUT ROWID;

INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
SELECT g.grain, substr(f.created_at, 1, g.len), k.dim,
       CASE k.dim WHEN 's' THEN f.source ELSE coalesce(f.first_rep, f.owner) END, f.dbucket,
       count(*)
FROM first_touches f, (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
     (SELECT 's' AS dim UNION ALL SELECT 'r') k
WHERE true
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER speed_counts_insert AFTER INSERT ON first_touches
BEGIN
    INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
    SELECT g.grain, substr(new.created_at, 1, g.len), k.dim, k.key, new.dbucket, 1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
         (SELECT 's' AS dim, new.source AS key
          UNION ALL SELECT 'r', coalesce(new.first_rep, new.owner)) k
    WHERE true
    ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n;
END;

CREATE TRIGGER speed_counts_delete AFTER DELETE ON first_touches
BEGIN
    INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
    SELECT g.grain, substr(old.created_at, 1, g.len), k.dim, k.key, old.dbucket, -1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
         (SELECT 's' AS dim, old.source AS key
          UNION ALL SELECT 'r', coalesce(old.first_rep, old.owner)) k
    WHERE true
    ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n;
END;

CREATE TRIGGER speed_counts_update
AFTER UPDATE OF created_at, source, owner, first_at, first_rep ON first_touches
WHEN old.created_at IS NOT new.created_at OR old.source IS NOT new.source
  OR old.owner IS NOT new.owner OR old.first_at IS NOT new.first_at
  OR old.first_rep IS NOT new.first_rep
BEGIN
    INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
    SELECT g.grain, substr(old.created_at, 1, g.len), k.dim, k.key, old.dbucket, -1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
         (SELECT 's' AS dim, old.source AS key
          UNION ALL SELECT 'r', coalesce(old.first_rep, old.owner)) k
    WHERE true
    ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n;
    INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
    SELECT g.grain, substr(new.created_at, 1, g.len), k.dim, k.key, new.dbucket, 1
    FROM (SELECT 'd' AS grain, 10 AS len UNION ALL SELECT 'h', 13) g,
         (SELECT 's' AS dim, new.source AS key
          UNION ALL SELECT 'r', coalesce(new.first_rep, new.owner)) k
    WHERE true
    ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n;
END;
