-- archon-sync's own migration: the base of bidirectional syncs.
-- archon_sync_identity: one row, a random id given to this database when this migration first runs.
--   A base is keyed by the pair of ids (local/remote), so a base made with one cloud project is
--   never used with another. (A database restored from another's dump carries that one's id:
--   archon-sync refuses a pair whose two ids are equal.)
-- archon_sync_base_tables: per pair and table, the run that wrote the base and its row count; a
--   table without a row here has no base (nothing is ever deleted on the strength of a missing base).
-- archon_sync_base: per pair, table and key, the md5 of the row both databases held at the end of
--   the last completed bidirectional sync. Key fields are kept as text in key order.
-- RLS on, service_role only (like the hardened history): anon and authenticated read nothing.
-- Re-runnable: every statement states the end result.

CREATE TABLE IF NOT EXISTS archon_sync_identity (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    database_id UUID NOT NULL DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
INSERT INTO archon_sync_identity DEFAULT VALUES ON CONFLICT (singleton) DO NOTHING;

CREATE TABLE IF NOT EXISTS archon_sync_base_tables (
    pair_id TEXT NOT NULL,
    table_name TEXT NOT NULL,
    sync_id TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    made_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (pair_id, table_name)
);

CREATE TABLE IF NOT EXISTS archon_sync_base (
    pair_id TEXT NOT NULL,
    table_name TEXT NOT NULL,
    key_fields TEXT[] NOT NULL,
    row_hash TEXT NOT NULL,
    PRIMARY KEY (pair_id, table_name, key_fields)
);

ALTER TABLE archon_sync_identity ENABLE ROW LEVEL SECURITY;
ALTER TABLE archon_sync_base_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE archon_sync_base ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS "Allow service role full access to archon_sync_identity" ON archon_sync_identity;
CREATE POLICY "Allow service role full access to archon_sync_identity" ON archon_sync_identity
    FOR ALL TO service_role USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS "Allow service role full access to archon_sync_base_tables" ON archon_sync_base_tables;
CREATE POLICY "Allow service role full access to archon_sync_base_tables" ON archon_sync_base_tables
    FOR ALL TO service_role USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS "Allow service role full access to archon_sync_base" ON archon_sync_base;
CREATE POLICY "Allow service role full access to archon_sync_base" ON archon_sync_base
    FOR ALL TO service_role USING (true) WITH CHECK (true);

REVOKE ALL ON TABLE archon_sync_identity, archon_sync_base_tables, archon_sync_base FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE archon_sync_identity, archon_sync_base_tables, archon_sync_base TO service_role;
