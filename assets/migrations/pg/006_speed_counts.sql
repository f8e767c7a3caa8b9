-- kaden on PostgreSQL, schema v6: the twin of SQLite's 011_speed_counts.sql (speed-to-lead from
-- a histogram of first-touch delays per UTC day and hour of creation, lead source and rep, kept
-- by triggers on first_touches; the exact median is read from its bucket only).

-- Seconds since the epoch of a stored time; NULL when it is no time (as SQLite's unixepoch).
CREATE FUNCTION kaden_epoch(p TEXT) RETURNS BIGINT LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN floor(extract(epoch FROM p::timestamptz))::bigint;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- The histogram bucket of a delay in seconds: one per second below 16, then eight per doubling.
CREATE FUNCTION kaden_delay_bucket(d BIGINT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT
    CASE WHEN d < 16 THEN d
         WHEN d < 32 THEN 16 + ((d >> 1) & 7)
         WHEN d < 64 THEN 24 + ((d >> 2) & 7)
         WHEN d < 128 THEN 32 + ((d >> 3) & 7)
         WHEN d < 256 THEN 40 + ((d >> 4) & 7)
         WHEN d < 512 THEN 48 + ((d >> 5) & 7)
         WHEN d < 1024 THEN 56 + ((d >> 6) & 7)
         WHEN d < 2048 THEN 64 + ((d >> 7) & 7)
         WHEN d < 4096 THEN 72 + ((d >> 8) & 7)
         WHEN d < 8192 THEN 80 + ((d >> 9) & 7)
         WHEN d < 16384 THEN 88 + ((d >> 10) & 7)
         WHEN d < 32768 THEN 96 + ((d >> 11) & 7)
         WHEN d < 65536 THEN 104 + ((d >> 12) & 7)
         WHEN d < 131072 THEN 112 + ((d >> 13) & 7)
         WHEN d < 262144 THEN 120 + ((d >> 14) & 7)
         WHEN d < 524288 THEN 128 + ((d >> 15) & 7)
         WHEN d < 1048576 THEN 136 + ((d >> 16) & 7)
         WHEN d < 2097152 THEN 144 + ((d >> 17) & 7)
         WHEN d < 4194304 THEN 152 + ((d >> 18) & 7)
         WHEN d < 8388608 THEN 160 + ((d >> 19) & 7)
         WHEN d < 16777216 THEN 168 + ((d >> 20) & 7)
         WHEN d < 33554432 THEN 176 + ((d >> 21) & 7)
         WHEN d < 67108864 THEN 184 + ((d >> 22) & 7)
         WHEN d < 134217728 THEN 192 + ((d >> 23) & 7)
         WHEN d < 268435456 THEN 200 + ((d >> 24) & 7)
         WHEN d < 536870912 THEN 208 + ((d >> 25) & 7)
         WHEN d < 1073741824 THEN 216 + ((d >> 26) & 7)
         WHEN d < 2147483648 THEN 224 + ((d >> 27) & 7)
         WHEN d < 4294967296 THEN 232 + ((d >> 28) & 7)
         WHEN d < 8589934592 THEN 240 + ((d >> 29) & 7)
         WHEN d < 17179869184 THEN 248 + ((d >> 30) & 7)
         WHEN d < 34359738368 THEN 256 + ((d >> 31) & 7)
         WHEN d < 68719476736 THEN 264 + ((d >> 32) & 7)
         WHEN d < 137438953472 THEN 272 + ((d >> 33) & 7)
         WHEN d < 274877906944 THEN 280 + ((d >> 34) & 7)
         WHEN d < 549755813888 THEN 288 + ((d >> 35) & 7)
         WHEN d < 1099511627776 THEN 296 + ((d >> 36) & 7)
         WHEN d < 2199023255552 THEN 304 + ((d >> 37) & 7)
         WHEN d < 4398046511104 THEN 312 + ((d >> 38) & 7)
         WHEN d < 8796093022208 THEN 320 + ((d >> 39) & 7)
         WHEN d < 17592186044416 THEN 328 + ((d >> 40) & 7)
         WHEN d < 35184372088832 THEN 336 + ((d >> 41) & 7)
         WHEN d < 70368744177664 THEN 344 + ((d >> 42) & 7)
         WHEN d < 140737488355328 THEN 352 + ((d >> 43) & 7)
         ELSE 360 END
$$;

ALTER TABLE first_touches
    ADD COLUMN delay BIGINT GENERATED ALWAYS AS (
        CASE WHEN kaden_epoch(first_at) - kaden_epoch(created_at) < 0 THEN 0
             ELSE kaden_epoch(first_at) - kaden_epoch(created_at) END) STORED,
    ADD COLUMN dbucket BIGINT GENERATED ALWAYS AS (
        CASE WHEN kaden_epoch(created_at) IS NULL THEN -2
             WHEN kaden_epoch(first_at) IS NULL THEN -1
             ELSE kaden_delay_bucket(greatest(0, kaden_epoch(first_at) - kaden_epoch(created_at)))
        END) STORED;
CREATE INDEX first_touches_speed
    ON first_touches (dbucket, created_at, delay, source, first_rep, owner);

CREATE TABLE speed_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    dim     TEXT NOT NULL,
    key     TEXT NOT NULL,
    dbucket BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (grain, bucket, dim, key, dbucket)
);

INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
SELECT g.grain, substr(f.created_at, 1, g.len), k.dim,
       CASE k.dim WHEN 's' THEN f.source ELSE coalesce(f.first_rep, f.owner) END, f.dbucket,
       count(*)
FROM first_touches f, (VALUES ('d', 10), ('h', 13)) AS g (grain, len), (VALUES ('s'), ('r')) AS k (dim)
GROUP BY 1, 2, 3, 4, 5;

-- Add n leads (negative: remove) of one first_touches row.
CREATE FUNCTION kaden_speed_bump(p_created TEXT, p_source TEXT, p_rep TEXT, p_bucket BIGINT,
                                 p_n BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO speed_counts (grain, bucket, dim, key, dbucket, n)
    SELECT g.grain, substr(p_created, 1, g.len), k.dim, k.key, p_bucket, p_n
    FROM (VALUES ('d', 10), ('h', 13)) AS g (grain, len), (VALUES ('r', p_rep), ('s', p_source)) AS k (dim, key)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (grain, bucket, dim, key, dbucket) DO UPDATE SET n = speed_counts.n + excluded.n;
$$;

CREATE FUNCTION kaden_speed_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.created_at IS NOT DISTINCT FROM NEW.created_at
       AND OLD.source IS NOT DISTINCT FROM NEW.source AND OLD.owner IS NOT DISTINCT FROM NEW.owner
       AND OLD.first_at IS NOT DISTINCT FROM NEW.first_at
       AND OLD.first_rep IS NOT DISTINCT FROM NEW.first_rep THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM kaden_speed_bump(OLD.created_at, OLD.source, coalesce(OLD.first_rep, OLD.owner), OLD.dbucket, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM kaden_speed_bump(NEW.created_at, NEW.source, coalesce(NEW.first_rep, NEW.owner), NEW.dbucket, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER speed_counts_first_touches AFTER INSERT OR DELETE OR UPDATE ON first_touches
FOR EACH ROW EXECUTE FUNCTION kaden_speed_counts();
