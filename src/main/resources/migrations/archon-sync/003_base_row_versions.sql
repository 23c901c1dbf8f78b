-- archon-sync's own migration: the base also records which row version each hash was taken from,
-- so a later sync reuses the hash of a row nothing has written since instead of reading it again.
-- archon_sync_base.row_xmin: the xmin (the transaction that wrote it) of THIS database's row version
--   the hash was computed from; a row with the same xmin now is that same version. NULL: unknown.
-- archon_sync_base_tables.hash_form: an md5 of the columns, types and hash form the hashes were
--   computed with (another form: no reuse); base_txid: this database's txid_current() when the base
--   was written (a counter that went back, a restored database, or moved 2^30 on: no reuse);
--   base_cluster: the cluster's system identifier and timeline then (a database restored into another
--   cluster, a point-in-time recovery or a promoted standby: no reuse, since transaction ids repeat).
-- RLS and grants are those of migration 002 (columns added to its tables). Re-runnable.

ALTER TABLE archon_sync_base ADD COLUMN IF NOT EXISTS row_xmin BIGINT;
ALTER TABLE archon_sync_base_tables ADD COLUMN IF NOT EXISTS hash_form TEXT;
ALTER TABLE archon_sync_base_tables ADD COLUMN IF NOT EXISTS base_txid BIGINT;
ALTER TABLE archon_sync_base_tables ADD COLUMN IF NOT EXISTS base_cluster TEXT;
