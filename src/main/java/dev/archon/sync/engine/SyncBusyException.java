package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;

/** Another sync is running on one of the databases: refused (exit 6, HTTP 409), nothing changed. */
public final class SyncBusyException extends ArchonSyncException {
    private final String runningSyncId;

    public SyncBusyException(String database, String runningSyncId) {
        super(ErrorCode.REFUSED, "another sync is running on the " + database + " database"
                + (runningSyncId == null ? "" : " (" + runningSyncId + ")") + ": wait for it to finish or cancel it");
        this.runningSyncId = runningSyncId;
    }

    /** The running sync's id, or null when it could not be read. */
    public String runningSyncId() {
        return runningSyncId;
    }
}
