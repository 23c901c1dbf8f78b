package dev.archon.sync.bench;

import java.nio.file.Path;
import java.util.Map;

/** One way of bringing the target's tables to the source's content, timed by the harness. */
sealed interface Contender permits ArchonSyncContender, PgDumpContender, PgcopydbContender, PgComparatorContender,
        FloorContender, DeltaFloorContender, HashFloorContender {
    /** As printed, e.g. {@code pg_dump|pg_restore}. */
    String name();

    /** Why it cannot run here (tool missing), or null when it can. */
    String unavailable();

    /** Runs once against a freshly reset target; throws when the tool fails. */
    Measurement run(BenchServers servers, Path scratch) throws Exception;

    /**
     * One timed run.
     *
     * @param millis    wall time, including emptying the tables where the tool does not
     * @param peakRssKb the peak RSS of the tool's process in KiB, or -1 when not measured
     * @param metrics   what the tool reports of itself (archon-sync's --json metrics), flattened
     */
    record Measurement(long millis, long peakRssKb, Map<String, Object> metrics) {
        public Measurement {
            metrics = Map.copyOf(metrics);
        }

        /** The same with {@code more} metrics added. */
        Measurement with(Map<String, Object> more) {
            Map<String, Object> all = new java.util.LinkedHashMap<>(metrics);
            all.putAll(more);
            return new Measurement(millis, peakRssKb, all);
        }
    }
}
