-- kaden on PostgreSQL: the claim of the next lead reads the due band one open zone at a time, in
-- queue order (tier, then score). In leads_queue, the leads of zones that are closed now and rank
-- above the open zones' are read and skipped by every claim (they pile up at the top while the
-- reps work the open zones); here each zone is a range of its own. PostgreSQL only: SQLite's
-- claim reads leads_queue as its queue does.
CREATE INDEX IF NOT EXISTS leads_due_rank ON leads (time_zone, tier, rank_key DESC)
    WHERE q_band = 2 AND do_not_call = 0;
