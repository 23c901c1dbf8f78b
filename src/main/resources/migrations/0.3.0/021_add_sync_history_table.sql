-- Archon migration 0.3.0 / 021_add_sync_history_table: the archon_sync_history table.
-- Same shape as Archon's own 021, written so that it can run again safely, also on a database
-- where Archon's 021 already ran (every statement is IF NOT EXISTS or CREATE OR REPLACE, and
-- policies and the trigger are dropped and re-created under the same names).

CREATE TABLE IF NOT EXISTS archon_sync_history (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    sync_id TEXT NOT NULL UNIQUE,
    direction TEXT NOT NULL CHECK (direction IN ('local-to-remote', 'remote-to-local', 'bidirectional')),
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    duration_seconds INTEGER,
    total_rows INTEGER,
    synced_rows INTEGER,
    current_table TEXT,
    current_phase TEXT,
    percent_complete INTEGER DEFAULT 0 CHECK (percent_complete >= 0 AND percent_complete <= 100),
    tables_synced JSONB DEFAULT '[]'::jsonb,
    verification_results JSONB DEFAULT '{}'::jsonb,
    error_message TEXT,
    error_details JSONB DEFAULT '{}'::jsonb,
    export_size_mb NUMERIC(10, 2),
    import_duration_seconds INTEGER,
    export_duration_seconds INTEGER,
    indexing_duration_seconds INTEGER,
    triggered_by TEXT DEFAULT 'User',
    backup_file_path TEXT,
    source_db TEXT,
    target_db TEXT,
    metadata JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_sync_history_started ON archon_sync_history (started_at DESC);
CREATE INDEX IF NOT EXISTS idx_sync_history_status ON archon_sync_history (status)
    WHERE status IN ('running', 'failed');
CREATE INDEX IF NOT EXISTS idx_sync_history_direction ON archon_sync_history (direction, started_at DESC);
CREATE INDEX IF NOT EXISTS idx_sync_history_triggered_by ON archon_sync_history (triggered_by, started_at DESC);
CREATE INDEX IF NOT EXISTS idx_sync_history_metadata ON archon_sync_history USING GIN (metadata);

CREATE OR REPLACE FUNCTION update_sync_history_updated_at()
RETURNS TRIGGER AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS trigger_sync_history_updated_at ON archon_sync_history;
CREATE TRIGGER trigger_sync_history_updated_at
    BEFORE UPDATE ON archon_sync_history
    FOR EACH ROW
    EXECUTE FUNCTION update_sync_history_updated_at();

ALTER TABLE archon_sync_history ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS "Service role has full access to sync history" ON archon_sync_history;
CREATE POLICY "Service role has full access to sync history"
    ON archon_sync_history
    FOR ALL
    TO service_role
    USING (true)
    WITH CHECK (true);

DROP POLICY IF EXISTS "Authenticated users can view sync history" ON archon_sync_history;
CREATE POLICY "Authenticated users can view sync history"
    ON archon_sync_history
    FOR SELECT
    TO authenticated
    USING (true);

CREATE OR REPLACE FUNCTION get_latest_sync(p_direction TEXT DEFAULT NULL)
RETURNS TABLE (
    id UUID,
    sync_id TEXT,
    direction TEXT,
    status TEXT,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    duration_seconds INTEGER,
    synced_rows INTEGER,
    percent_complete INTEGER
) AS $$
BEGIN
    RETURN QUERY
    SELECT h.id, h.sync_id, h.direction, h.status, h.started_at, h.completed_at,
           h.duration_seconds, h.synced_rows, h.percent_complete
    FROM archon_sync_history h
    WHERE p_direction IS NULL OR h.direction = p_direction
    ORDER BY h.started_at DESC
    LIMIT 1;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER;

CREATE OR REPLACE FUNCTION get_sync_stats(p_days INTEGER DEFAULT 7)
RETURNS TABLE (
    total_syncs BIGINT,
    successful_syncs BIGINT,
    failed_syncs BIGINT,
    avg_duration_seconds NUMERIC,
    total_rows_synced BIGINT,
    local_to_remote_count BIGINT,
    remote_to_local_count BIGINT
) AS $$
BEGIN
    RETURN QUERY
    SELECT
        COUNT(*)::BIGINT,
        COUNT(*) FILTER (WHERE h.status = 'completed')::BIGINT,
        COUNT(*) FILTER (WHERE h.status = 'failed')::BIGINT,
        ROUND(AVG(h.duration_seconds)::NUMERIC, 2),
        COALESCE(SUM(h.synced_rows), 0)::BIGINT,
        COUNT(*) FILTER (WHERE h.direction = 'local-to-remote')::BIGINT,
        COUNT(*) FILTER (WHERE h.direction = 'remote-to-local')::BIGINT
    FROM archon_sync_history h
    WHERE h.started_at > NOW() - (p_days || ' days')::INTERVAL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER;

COMMENT ON TABLE archon_sync_history IS 'History of database syncs between the local and remote Archon databases: progress, results, metrics and errors of every run';
COMMENT ON COLUMN archon_sync_history.sync_id IS 'Unique identifier of the sync run, e.g. sync_20260112_143022_ab12';
COMMENT ON COLUMN archon_sync_history.direction IS 'local-to-remote, remote-to-local or bidirectional';
COMMENT ON COLUMN archon_sync_history.status IS 'running, completed, failed or cancelled';
COMMENT ON COLUMN archon_sync_history.current_phase IS 'validation, export, import, indexing or verification';
COMMENT ON COLUMN archon_sync_history.percent_complete IS 'Progress of the run, 0 to 100';
COMMENT ON COLUMN archon_sync_history.tables_synced IS 'Array of {table_name, row_count, duration_seconds}';
COMMENT ON COLUMN archon_sync_history.verification_results IS 'Per-table comparison of source and target';
COMMENT ON COLUMN archon_sync_history.metadata IS 'Further facts about the run (JSONB)';
COMMENT ON FUNCTION get_latest_sync(TEXT) IS 'The most recent sync, optionally for one direction';
COMMENT ON FUNCTION get_sync_stats(INTEGER) IS 'Sync statistics over the last p_days days';
