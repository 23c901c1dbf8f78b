-- archon-sync's own migration: hardens what Archon's 021 left weak, without editing 021.
-- 1. The two SECURITY DEFINER helpers get a fixed search_path, so that nobody can make them
--    resolve archon_sync_history or now() to an object of their own (Supabase's linter flags
--    "function_search_path_mutable").
-- 2. EXECUTE on them is revoked from PUBLIC and anon: a SECURITY DEFINER function runs as its
--    owner and bypasses RLS, so a PUBLIC grant let anon read the history through it.
--    authenticated (read access, like its SELECT policy) and service_role keep EXECUTE.
-- 3. anon loses every table privilege on archon_sync_history (RLS already filtered its rows;
--    now it is refused outright).
-- Re-runnable: every statement states the end result.

ALTER FUNCTION get_latest_sync(TEXT) SET search_path = pg_catalog, public;
ALTER FUNCTION get_sync_stats(INTEGER) SET search_path = pg_catalog, public;
ALTER FUNCTION update_sync_history_updated_at() SET search_path = pg_catalog, public;

REVOKE ALL ON FUNCTION get_latest_sync(TEXT) FROM PUBLIC, anon;
REVOKE ALL ON FUNCTION get_sync_stats(INTEGER) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION get_latest_sync(TEXT) TO authenticated, service_role;
GRANT EXECUTE ON FUNCTION get_sync_stats(INTEGER) TO authenticated, service_role;

REVOKE ALL ON TABLE archon_sync_history FROM anon;
GRANT SELECT ON TABLE archon_sync_history TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE archon_sync_history TO service_role;
