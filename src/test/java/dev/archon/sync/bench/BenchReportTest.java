package dev.archon.sync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final BenchServers.DataSize SIZE = new BenchServers.DataSize(10_000, 100_000_000, 80_000_000, 65);

    @Test
    void metricsAndPerTableStatementsOfTheJsonRecordAreReadAndLogLinesAroundItIgnored() {
        String stdout = "note: starting\n{\"status\":\"completed\",\"metrics\":{\"lock_window_seconds\":1.5,"
                + "\"phases\":{\"copy_seconds\":4,\"verify_seconds\":0.5},\"bytes\":1234,\"tables\":[1,2]},"
                + "\"tables_synced\":[{\"table_name\":\"archon_tasks\",\"mode\":\"changes\",\"statements\":3,\"bytes\":99}]}\n";

        Map<String, Object> m = SyncRecord.metrics(stdout);

        assertEquals(Map.of("lock_window_seconds", 1.5, "phases.copy_seconds", 4.0, "phases.verify_seconds", 0.5,
                "bytes", 1234.0, "table.archon_tasks.mode", "changes", "table.archon_tasks.statements", 3.0,
                "table.archon_tasks.bytes", 99.0), m);
        assertTrue(SyncRecord.metrics("no json here").isEmpty());
    }

    @Test
    void tablesSyncedHeldAsJsonTextAreReadToo() {
        String stdout = "{\"tables_synced\":\"[{\\\"table_name\\\":\\\"archon_sources\\\",\\\"statements\\\":2}]\"}";

        assertEquals(Map.of("table.archon_sources.statements", 2.0), SyncRecord.metrics(stdout));
    }

    @Test
    void aMergesTwoWritesOfOneTableAreKeptApart() {
        String stdout = "{\"tables_synced\":[{\"table_name\":\"t\",\"mode\":\"to-local\",\"statements\":4},"
                + "{\"table_name\":\"t\",\"mode\":\"to-remote\",\"statements\":9}]}";

        Map<String, Object> m = SyncRecord.metrics(stdout);

        assertEquals(4.0, m.get("table.t (to-local).statements"));
        assertEquals(9.0, m.get("table.t (to-remote).statements"));
    }

    @Test
    void medianRatiosAndTargetsUseOnlySuccessfulRuns() {
        BenchReport r = new BenchReport(SIZE, true);
        for (long ms : List.of(3000L, 1000L, 2000L)) {
            r.add("changes", Benchmark.ARCHON_DEFAULT, new BenchReport.Run(1,
                    new Contender.Measurement(ms, 100 * 1024, Map.of(BenchReport.LINK_BYTES, 1_000_000L)), null));
        }
        r.add("changes", Benchmark.PG_DUMP, new BenchReport.Run(1,
                new Contender.Measurement(8000, -1, Map.of(BenchReport.LINK_BYTES, 100_000_000L)), null));
        r.add("changes", Benchmark.PG_DUMP, new BenchReport.Run(2, null, "pg_dump exited with 1"));
        r.add("full", Benchmark.ARCHON_FULL, new BenchReport.Run(1, new Contender.Measurement(50460, -1, Map.of()), null));
        r.add("full", Benchmark.FLOOR_FULL, new BenchReport.Run(1, new Contender.Measurement(39050, -1, Map.of()), null));
        StringWriter out = new StringWriter();

        r.print(new PrintWriter(out));

        String printed = out.toString();
        assertEquals(2000, r.median("changes", Benchmark.ARCHON_DEFAULT));
        assertEquals(8000, r.median("changes", Benchmark.PG_DUMP));
        assertTrue(printed.contains("archon-sync (default)                    / pg_dump|pg_restore                   0.25"), printed);
        assertTrue(printed.contains("0.250 <= 0.05: MISSED (5.0x the bound)"), printed);
        // just above its bound: two decimals, not a "1.0x" that reads as met
        assertTrue(printed.contains("1.292 <= 1.25: MISSED (1.03x the bound)"), printed);
        assertTrue(printed.contains("(bytes through the link)       0.010 <= 0.03: met"), printed);
        assertTrue(printed.contains("not measured (a contender did not run)"), printed);
        assertFalse(r.passed());
        assertEquals(List.of("changes: pg_dump|pg_restore run 2: pg_dump exited with 1"), r.failures());
    }
}
