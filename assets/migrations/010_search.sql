-- kaden schema: search every lead as you type (issue 13 point 1, issue 12 "Finding any lead").
-- (Schema v10; v9 is the report aggregates.)
--
-- lead_search_docs holds one lower-cased line of text per lead: company, contact name, email, and the
-- phone and mobile digits without the '+' (so 0345678801, 03-4567-8801 and +81345678801 all
-- find +81345678801 once the query's leading zeros and separators are dropped). Fields end with
-- U+001F, so every one- or two-character string of a field is the start of some trigram (see
-- src/store/search.rs). lead_search is an FTS5 trigram index over it (external content: the
-- text is stored once, in lead_search_docs; detail=none and columnsize=0 keep the index to
-- about 70 bytes a lead). Triggers keep both in step with leads and companies, whoever writes
-- them (kaden, the sqlite3 shell, a script): plain SQL, no function of kaden's.
CREATE TABLE lead_search_docs (
    id  INTEGER PRIMARY KEY,
    doc TEXT NOT NULL
);
CREATE VIRTUAL TABLE lead_search USING fts5(
    doc,
    content = 'lead_search_docs',
    content_rowid = 'id',
    tokenize = 'trigram',
    detail = 'none',
    columnsize = 0
);
CREATE VIRTUAL TABLE lead_search_terms USING fts5vocab(lead_search, 'row');

-- Every lead already in the file, indexed in one pass before the triggers exist (a file of
-- 1M leads: seconds, once).
INSERT INTO lead_search_docs (id, doc)
SELECT l.id, lower(c.name || char(31) || l.name || char(31) || coalesce(l.email, '') || char(31)
    || coalesce(ltrim(l.phone, '+'), '') || char(31) || coalesce(ltrim(l.mobile, '+'), '') || char(31))
FROM leads l JOIN companies c ON c.id = l.company_id;
INSERT INTO lead_search (lead_search) VALUES ('rebuild');

-- The index follows the documents (the external-content pattern of the FTS5 manual: the old
-- text is removed with the values it was indexed with, read from the document row itself).
CREATE TRIGGER lead_search_docs_ai AFTER INSERT ON lead_search_docs BEGIN
    INSERT INTO lead_search (rowid, doc) VALUES (new.id, new.doc);
END;
CREATE TRIGGER lead_search_docs_ad AFTER DELETE ON lead_search_docs BEGIN
    INSERT INTO lead_search (lead_search, rowid, doc) VALUES ('delete', old.id, old.doc);
END;
CREATE TRIGGER lead_search_docs_au AFTER UPDATE OF doc ON lead_search_docs
WHEN old.doc IS NOT new.doc BEGIN
    INSERT INTO lead_search (lead_search, rowid, doc) VALUES ('delete', old.id, old.doc);
    INSERT INTO lead_search (rowid, doc) VALUES (new.id, new.doc);
END;

-- The documents follow the leads and their companies' names.
CREATE TRIGGER leads_search_ai AFTER INSERT ON leads BEGIN
    INSERT INTO lead_search_docs (id, doc)
    SELECT new.id, lower(c.name || char(31) || new.name || char(31) || coalesce(new.email, '') || char(31)
        || coalesce(ltrim(new.phone, '+'), '') || char(31) || coalesce(ltrim(new.mobile, '+'), '') || char(31))
    FROM companies c WHERE c.id = new.company_id;
END;
CREATE TRIGGER leads_search_au AFTER UPDATE OF company_id, name, email, phone, mobile ON leads BEGIN
    UPDATE lead_search_docs SET doc = (
        SELECT lower(c.name || char(31) || new.name || char(31) || coalesce(new.email, '') || char(31)
            || coalesce(ltrim(new.phone, '+'), '') || char(31) || coalesce(ltrim(new.mobile, '+'), '') || char(31))
        FROM companies c WHERE c.id = new.company_id)
    WHERE id = new.id;
END;
CREATE TRIGGER leads_search_ad AFTER DELETE ON leads BEGIN
    DELETE FROM lead_search_docs WHERE id = old.id;
END;
CREATE TRIGGER companies_search_au AFTER UPDATE OF name ON companies
WHEN old.name IS NOT new.name BEGIN
    UPDATE lead_search_docs SET doc = (
        SELECT lower(new.name || char(31) || l.name || char(31) || coalesce(l.email, '') || char(31)
            || coalesce(ltrim(l.phone, '+'), '') || char(31) || coalesce(ltrim(l.mobile, '+'), '') || char(31))
        FROM leads l WHERE l.id = lead_search_docs.id)
    WHERE id IN (SELECT id FROM leads WHERE company_id = new.id);
END;

