-- kaden schema v4: kaden's mark in the file header. A file with this application_id is kaden's;
-- kaden refuses to migrate an SQLite file that has tables but neither this mark nor the first
-- release's tables (meta, companies, leads, activities). Runs in the migration's transaction, so
-- the mark and the version bump are one commit.
PRAGMA application_id = 1262568526; -- 0x4B41444E, "KADN"
