-- kaden on PostgreSQL, schema v5: the twin of SQLite's 009_report_aggregates.sql (report counts
-- per UTC day and hour, kept exact by triggers in the writing transaction).
CREATE TABLE touch_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    rep     TEXT NOT NULL,
    channel TEXT NOT NULL,
    result  TEXT NOT NULL,
    reason  TEXT NOT NULL,
    source  TEXT NOT NULL,
    tier    BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (grain, bucket, rep, channel, result, reason, source, tier)
);

CREATE TABLE lead_counts (
    grain   TEXT NOT NULL,
    bucket  TEXT NOT NULL,
    source  TEXT NOT NULL,
    tier    BIGINT NOT NULL,
    owner   TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (grain, bucket, source, tier, owner)
);

INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
       coalesce(a.reason, ''), l.source, l.tier, count(*)
FROM activities a JOIN leads l ON l.id = a.lead_id, (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
WHERE a.kind = 'touch'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
SELECT g.grain, substr(l.created_at, 1, g.len), l.source, l.tier, l.owner, count(*)
FROM leads l, (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
GROUP BY 1, 2, 3, 4, 5;

-- The funnel's distinct counts per reporting zone, folded in Rust from the log (see 009).
CREATE TABLE report_zones (
    zone TEXT PRIMARY KEY
);

CREATE TABLE funnel_counts (
    zone   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    day    TEXT NOT NULL,
    scope  TEXT NOT NULL,
    level  BIGINT NOT NULL,
    rep    TEXT NOT NULL,
    source TEXT NOT NULL,
    tier   BIGINT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (zone, kind, day, scope, level, rep, source, tier)
);

CREATE TABLE report_log (
    lead_id BIGINT NOT NULL,
    sign    BIGINT NOT NULL,
    at      TEXT NOT NULL,
    rep     TEXT NOT NULL,
    result  TEXT,
    source  TEXT NOT NULL,
    tier    BIGINT NOT NULL
);

-- Speed-to-lead: every lead by creation time with its first touch (see 009).
CREATE TABLE first_touches (
    created_at TEXT NOT NULL,
    lead_id    BIGINT NOT NULL,
    source     TEXT NOT NULL,
    owner      TEXT NOT NULL,
    first_at   TEXT,
    first_rep  TEXT,
    first_id   BIGINT,
    PRIMARY KEY (created_at, lead_id)
);
CREATE UNIQUE INDEX first_touches_lead ON first_touches (lead_id);

INSERT INTO first_touches (created_at, lead_id, source, owner, first_at, first_rep, first_id)
SELECT l.created_at, l.id, l.source, l.owner, f.at, f.rep, f.id
FROM leads l LEFT JOIN activities f ON f.id = (
    SELECT a.id FROM activities a WHERE a.lead_id = l.id AND a.kind = 'touch'
    ORDER BY a.at, a.id LIMIT 1);

-- The first touch of `p_lead` again, from its activities.
CREATE FUNCTION kaden_first_touch_again(p_lead BIGINT) RETURNS void
LANGUAGE sql AS $$
    UPDATE first_touches SET (first_at, first_rep, first_id) = (
        SELECT a.at, a.rep, a.id FROM activities a
        WHERE a.lead_id = p_lead AND a.kind = 'touch' ORDER BY a.at, a.id LIMIT 1)
    WHERE lead_id = p_lead;
$$;

-- Add n touches (negative: remove) of one activity row's keys with its lead's source and tier.
CREATE FUNCTION kaden_touch_bump(p_lead BIGINT, p_at TEXT, p_rep TEXT, p_channel TEXT,
                                 p_result TEXT, p_reason TEXT, p_n BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
    SELECT g.grain, substr(p_at, 1, g.len), p_rep, p_channel, coalesce(p_result, ''),
           coalesce(p_reason, ''), l.source, l.tier, p_n
    FROM leads l, (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
    WHERE l.id = p_lead
    ORDER BY 1
    ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
    DO UPDATE SET n = touch_counts.n + excluded.n;
$$;

CREATE FUNCTION kaden_touch_counts_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.kind = 'touch' THEN
        PERFORM kaden_touch_bump(OLD.lead_id, OLD.at, OLD.rep, OLD.channel, OLD.result, OLD.reason, -1);
        INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
        SELECT OLD.lead_id, -1, OLD.at, OLD.rep, OLD.result, l.source, l.tier FROM leads l
        WHERE l.id = OLD.lead_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.kind = 'touch' THEN
        PERFORM kaden_touch_bump(NEW.lead_id, NEW.at, NEW.rep, NEW.channel, NEW.result, NEW.reason, 1);
        INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
        SELECT NEW.lead_id, 1, NEW.at, NEW.rep, NEW.result, l.source, l.tier FROM leads l
        WHERE l.id = NEW.lead_id;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.kind = 'touch' THEN
        UPDATE first_touches SET first_at = NEW.at, first_rep = NEW.rep, first_id = NEW.id
        WHERE lead_id = NEW.lead_id
          AND (first_at IS NULL OR NEW.at < first_at OR (NEW.at = first_at AND NEW.id < first_id));
    ELSIF TG_OP = 'DELETE' AND OLD.kind = 'touch' THEN
        IF EXISTS (SELECT 1 FROM first_touches WHERE lead_id = OLD.lead_id AND first_id = OLD.id) THEN
            PERFORM kaden_first_touch_again(OLD.lead_id);
        END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM kaden_first_touch_again(OLD.lead_id);
        PERFORM kaden_first_touch_again(NEW.lead_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER touch_counts_activity
AFTER INSERT OR DELETE OR UPDATE OF lead_id, at, kind, channel, result, reason, rep ON activities
FOR EACH ROW EXECUTE FUNCTION kaden_touch_counts_activity();

-- Add n leads (negative: remove) of one lead row's keys.
CREATE FUNCTION kaden_lead_bump(p_created TEXT, p_source TEXT, p_tier BIGINT, p_owner TEXT,
                                p_n BIGINT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO lead_counts (grain, bucket, source, tier, owner, n)
    SELECT g.grain, substr(p_created, 1, g.len), p_source, p_tier, p_owner, p_n
    FROM (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
    ORDER BY 1
    ON CONFLICT (grain, bucket, source, tier, owner) DO UPDATE SET n = lead_counts.n + excluded.n;
$$;

CREATE FUNCTION kaden_report_counts_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.source IS NOT DISTINCT FROM NEW.source
       AND OLD.tier IS NOT DISTINCT FROM NEW.tier AND OLD.owner IS NOT DISTINCT FROM NEW.owner
       AND OLD.created_at IS NOT DISTINCT FROM NEW.created_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM kaden_lead_bump(OLD.created_at, OLD.source, OLD.tier, OLD.owner, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM kaden_lead_bump(NEW.created_at, NEW.source, NEW.tier, NEW.owner, 1);
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO first_touches (created_at, lead_id, source, owner)
        VALUES (NEW.created_at, NEW.id, NEW.source, NEW.owner);
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM first_touches WHERE lead_id = OLD.id;
    ELSE
        UPDATE first_touches SET created_at = NEW.created_at, source = NEW.source, owner = NEW.owner
        WHERE lead_id = NEW.id;
    END IF;
    -- A lead's source or tier moves its touches to the new key.
    IF TG_OP = 'UPDATE' AND (OLD.source IS DISTINCT FROM NEW.source OR OLD.tier IS DISTINCT FROM NEW.tier) THEN
        INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
        SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
               coalesce(a.reason, ''), OLD.source, OLD.tier, -count(*)
        FROM activities a, (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
        WHERE a.lead_id = OLD.id AND a.kind = 'touch'
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
        DO UPDATE SET n = touch_counts.n + excluded.n;
        INSERT INTO touch_counts (grain, bucket, rep, channel, result, reason, source, tier, n)
        SELECT g.grain, substr(a.at, 1, g.len), a.rep, a.channel, coalesce(a.result, ''),
               coalesce(a.reason, ''), NEW.source, NEW.tier, count(*)
        FROM activities a, (VALUES ('d', 10), ('h', 13)) AS g (grain, len)
        WHERE a.lead_id = NEW.id AND a.kind = 'touch'
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (grain, bucket, rep, channel, result, reason, source, tier)
        DO UPDATE SET n = touch_counts.n + excluded.n;
        INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
        SELECT OLD.id, -1, a.at, a.rep, a.result, OLD.source, OLD.tier FROM activities a
        WHERE a.lead_id = OLD.id AND a.kind = 'touch';
        INSERT INTO report_log (lead_id, sign, at, rep, result, source, tier)
        SELECT NEW.id, 1, a.at, a.rep, a.result, NEW.source, NEW.tier FROM activities a
        WHERE a.lead_id = NEW.id AND a.kind = 'touch';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER report_counts_lead
AFTER INSERT OR DELETE OR UPDATE OF created_at, source, tier, owner ON leads
FOR EACH ROW EXECUTE FUNCTION kaden_report_counts_lead();
