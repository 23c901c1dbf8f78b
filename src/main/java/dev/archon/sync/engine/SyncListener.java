package dev.archon.sync.engine;

/**
 * Receives a run's progress (for a terminal progress bar). Called from the engine's threads at
 * most a few times per second; implementations must be quick and thread-safe.
 */
public interface SyncListener {
    SyncListener NONE = p -> { };

    void progress(Progress progress);

    /**
     * A snapshot of a run's progress.
     *
     * @param phase      validation, export, import, indexing or verification
     * @param table      the table being worked on, or null
     * @param totalRows  rows to load in all
     * @param syncedRows rows loaded so far
     * @param percent    0..100, never decreasing
     * @param bytes      COPY bytes streamed so far
     */
    record Progress(String phase, String table, long totalRows, long syncedRows, int percent, long bytes) {
    }
}
