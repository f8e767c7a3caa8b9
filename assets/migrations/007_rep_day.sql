-- kaden schema (issue 12, a rep's whole day).
-- A promised callback the rep confirmed outside the lead's calling hours ("the prospect asked for
-- 20:00"): offered at its time although the zone is closed. 0 for every other next action.
ALTER TABLE leads ADD COLUMN next_off_hours INTEGER NOT NULL DEFAULT 0;
-- Do not call: the lead is never offered, and dialing it by hand asks first and says why.
ALTER TABLE leads ADD COLUMN do_not_call INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN do_not_call_reason TEXT;
-- Numbers nobody may call (E.164), whichever lead has them: a lead with such a phone or mobile is
-- marked do-not-call when the number is added and when the lead is imported.
CREATE TABLE do_not_call_numbers (
    number     TEXT PRIMARY KEY,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
