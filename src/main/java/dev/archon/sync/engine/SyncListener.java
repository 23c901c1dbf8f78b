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
     * @param step       what the phase is doing now, in words: "waiting for locks", "writing the backup",
     *                   "copying", "rebuilding indexes", "verifying", "committing" (the phase's name when unknown)
     * @param waitingOn  while waiting for locks, the table waited on; else null
     * @param bytesPerSecond COPY bytes per second over the last few seconds (current, not an average since the start)
     * @param etaSeconds estimated seconds left while rows are copied; null when there is no estimate (then
     *                   {@code step} says what is going on)
     */
    record Progress(String phase, String table, long totalRows, long syncedRows, int percent, long bytes, String step,
                    String waitingOn, double bytesPerSecond, Long etaSeconds) {
        public Progress(String phase, String table, long totalRows, long syncedRows, int percent, long bytes) {
            this(phase, table, totalRows, syncedRows, percent, bytes, phase, null, 0, null);
        }
    }
}
