-- kaden schema v1. Statuses, results, channels and reasons are the SPEC's text keys; every
-- time is UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sorts chronologically).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE companies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    industry   TEXT NOT NULL DEFAULT '',
    employees  INTEGER,
    website    TEXT NOT NULL DEFAULT '',
    tier       INTEGER NOT NULL DEFAULT 3 CHECK (tier BETWEEN 1 AND 3),
    created_at TEXT NOT NULL
);
CREATE INDEX companies_name ON companies (name);

CREATE TABLE leads (
    id             INTEGER PRIMARY KEY,
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    name           TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL DEFAULT '',
    department     TEXT NOT NULL DEFAULT '',
    role           TEXT CHECK (role IN ('initiator', 'user', 'influencer', 'decision_maker',
                                        'economic_buyer', 'gatekeeper')),
    phone          TEXT,          -- E.164
    mobile         TEXT,          -- E.164
    email          TEXT,          -- lower case
    source         TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    time_zone      TEXT NOT NULL, -- IANA name, resolved at insert
    tier           INTEGER NOT NULL DEFAULT 3 CHECK (tier BETWEEN 1 AND 3), -- the company's, copied for the queue index
    status         TEXT NOT NULL DEFAULT 'new'
                   CHECK (status IN ('new', 'approaching', 'scheduling', 'meeting', 'pending',
                                     'nurturing', 'out_of_scope')),
    nurture_reason TEXT,
    touches        INTEGER NOT NULL DEFAULT 0,
    unanswered     INTEGER NOT NULL DEFAULT 0, -- calls in a row without a conversation
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0, -- bumped by every write; guards undo
    -- the one open next action
    next_at        TEXT,
    next_owner     TEXT,
    next_channel   TEXT CHECK (next_channel IN ('call', 'email', 'linkedin', 'sms', 'meeting', 'other')),
    next_note      TEXT,
    next_callback  INTEGER NOT NULL DEFAULT 0,
    -- stored sort keys of the queue (see src/domain/ranking.rs); q_band NULL = not queued
    q_band         INTEGER CHECK (q_band IN (0, 2)),
    rank_key       REAL,
    CHECK ((next_at IS NULL) = (next_channel IS NULL))
);
CREATE INDEX leads_queue ON leads (q_band, tier, rank_key DESC) WHERE q_band IS NOT NULL;
CREATE INDEX leads_due ON leads (q_band, time_zone, next_at) WHERE q_band IS NOT NULL;
CREATE INDEX leads_new ON leads (status, created_at);
CREATE INDEX leads_company ON leads (company_id);
CREATE INDEX leads_phone ON leads (phone);
CREATE INDEX leads_mobile ON leads (mobile);
CREATE INDEX leads_email ON leads (email);
CREATE INDEX leads_owner ON leads (owner, status);

-- Every zone any lead is in, so calling hours are checked per zone, not per lead.
CREATE TABLE zones (
    name TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    lead_id     INTEGER NOT NULL REFERENCES leads (id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'touch' CHECK (kind IN ('touch', 'note')),
    channel     TEXT NOT NULL CHECK (channel IN ('call', 'email', 'linkedin', 'sms', 'meeting', 'other')),
    result      TEXT CHECK (result IN ('unconnected', 'recall', 'appointment', 'lost', 'out_of_scope')),
    reason      TEXT,
    note        TEXT,
    rep         TEXT NOT NULL,
    duration_s  INTEGER,
    status_from TEXT,
    status_to   TEXT,
    prev_state  TEXT,          -- JSON of the lead before this result (undo)
    version     INTEGER        -- the lead's version after this result (undo guard)
);
CREATE INDEX activities_lead ON activities (lead_id, at);
CREATE INDEX activities_at ON activities (at, result);

CREATE TABLE appointments (
    id             INTEGER PRIMARY KEY,
    activity_id    INTEGER NOT NULL UNIQUE REFERENCES activities (id) ON DELETE CASCADE,
    lead_id        INTEGER NOT NULL REFERENCES leads (id),
    booked_at      TEXT NOT NULL,
    meeting_at     TEXT,
    budget         INTEGER CHECK (budget IN (0, 1)),
    consideration  INTEGER CHECK (consideration IN (0, 1)),
    timing         INTEGER CHECK (timing IN (0, 1)),
    sal_rank       TEXT CHECK (sal_rank IN ('A', 'B', 'C')),
    probability    REAL,
    amount         REAL,
    outcome        TEXT CHECK (outcome IN ('won', 'lost')),
    outcome_at     TEXT,
    outcome_amount REAL,
    outcome_note   TEXT
);
CREATE INDEX appointments_lead ON appointments (lead_id);
CREATE INDEX appointments_booked ON appointments (booked_at);
