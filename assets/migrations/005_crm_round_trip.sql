-- kaden schema v5: the CRM round trip.
-- The CRM record a lead came from, so its results go back to that record: the Salesforce Lead or
-- Contact id (always the 18-character form) and the HubSpot contact's record id. One lead per id;
-- leads from elsewhere have none.
ALTER TABLE leads ADD COLUMN salesforce_id TEXT;
ALTER TABLE leads ADD COLUMN hubspot_id TEXT;
CREATE UNIQUE INDEX leads_salesforce_id ON leads (salesforce_id) WHERE salesforce_id IS NOT NULL;
CREATE UNIQUE INDEX leads_hubspot_id ON leads (hubspot_id) WHERE hubspot_id IS NOT NULL;

-- What each CRM already received from `kaden export results --for TARGET`: every activity with an
-- id up to `through_id` (the watermark `--since-last` starts after). Moved only once the export's
-- files are written and renamed into place.
CREATE TABLE crm_exports (
    target      TEXT PRIMARY KEY CHECK (target IN ('salesforce', 'hubspot')),
    through_id  INTEGER NOT NULL,
    exported_at TEXT NOT NULL
);

-- The open next action each target was last sent for a lead (Salesforce keeps one open Task per
-- lead), so an unchanged one is not sent again and one that went away is closed.
CREATE TABLE crm_next_sent (
    target       TEXT NOT NULL,
    lead_id      INTEGER NOT NULL REFERENCES leads (id),
    next_at      TEXT NOT NULL,
    next_channel TEXT NOT NULL,
    PRIMARY KEY (target, lead_id)
);

-- A random id of this database, so ids kaden writes into other systems (calendar event UIDs, the
-- CRM rows' external ids) differ between two databases and stay the same for one. PostgreSQL:
-- substr(md5(random()::text), 1, 16).
INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(8))))
    ON CONFLICT (key) DO NOTHING;
