package dev.archon.sync.history;

import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Settles the history rows of runs whose process ended without recording an outcome. A row whose
 * COMMIT was sent (metadata.target_xid) gets the server's own answer ({@code txid_status}), so a
 * run that committed is recorded as completed even when its process never learned it.
 */
final class StaleRuns {
    private StaleRuns() {
    }

    /** Only while holding the advisory lock (no live run owns a {@code running} row then); returns the rows settled. */
    static int settle(Connection connection) throws SQLException {
        int n = 0;
        for (String id : Sql.queryStrings(connection, "SELECT sync_id FROM public.archon_sync_history WHERE (status = 'running'"
                + " OR error_details->>'outcome' = 'unknown') AND metadata->>'target_xid' IS NOT NULL")) {
            String status;
            try {
                status = Sql.queryString(connection, "SELECT txid_status((metadata->>'target_xid')::bigint)::text"
                        + " FROM public.archon_sync_history WHERE sync_id = ?", id);
            } catch (SQLException e) {
                status = null; // an id from before a wraparound, or from another cluster
            }
            if ("committed".equals(status)) {
                n += Sql.update(connection, "UPDATE public.archon_sync_history SET status = 'completed', completed_at ="
                        + " coalesce(completed_at, now()), percent_complete = 100, synced_rows = total_rows, error_message = NULL,"
                        + " duration_seconds = coalesce(duration_seconds, greatest(0, extract(epoch FROM now() - started_at))::int),"
                        + " error_details = coalesce(error_details, '{}'::jsonb) || '{\"outcome\": \"committed\","
                        + " \"settled_by_later_run\": true}'::jsonb WHERE sync_id = ?", id);
            } else if ("aborted".equals(status)) {
                n += Sql.update(connection, "UPDATE public.archon_sync_history SET status = 'failed', completed_at ="
                        + " coalesce(completed_at, now()), error_message = 'rolled back: the process running this sync lost its"
                        + " connection during COMMIT, and the server says the transaction did not commit (target unchanged)',"
                        + " tables_synced = '[]'::jsonb, verification_results = '{\"performed\": false}'::jsonb,"
                        + " error_details = coalesce(error_details, '{}'::jsonb) || '{\"outcome\": \"aborted\","
                        + " \"settled_by_later_run\": true}'::jsonb WHERE sync_id = ?", id);
            }
        }
        // Its outcome was never recorded: the row claims no table and no verification. Its backup path stays:
        // should the process have died between COMMIT and recording, that archive is the way back.
        return n + Sql.update(connection, "UPDATE public.archon_sync_history SET status = 'failed', completed_at = now(),"
                + " tables_synced = '[]'::jsonb, verification_results = '{\"performed\": false}'::jsonb,"
                + " duration_seconds = greatest(0, extract(epoch FROM now() - started_at))::int,"
                + " error_message = 'recovered by a later run: the process running this sync ended without recording an outcome',"
                + " error_details = coalesce(error_details, '{}'::jsonb) || jsonb_build_object('recovered', true)"
                + " WHERE status = 'running'");
    }
}
