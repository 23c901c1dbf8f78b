package dev.archon.sync.engine;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The work of one recorded run (a full sync, a restore), executed by {@link SyncRunner}. */
interface RunWork {
    /** Does the work; returns normally only after COMMIT, otherwise the target is unchanged. */
    void apply(RunContext run) throws SQLException, IOException;

    /**
     * What the history row says about the run before it starts.
     *
     * @param direction  the direction recorded
     * @param operation  "sync", "restore" or "undo" (older rows: "full-sync")
     * @param tables     the tables written
     * @param totalRows  rows to load
     * @param metadata   further facts for metadata (never a password)
     */
    record Description(Direction direction, String operation, List<String> tables, long totalRows, Map<String, Object> metadata) {
        public Description {
            tables = List.copyOf(tables);
            metadata = Map.copyOf(metadata);
        }
    }
}
