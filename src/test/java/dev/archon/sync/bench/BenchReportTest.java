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
    private static final BenchServers.DataSize SIZE = new BenchServers.DataSize(10_000, 100_000_000, 80_000_000);

    @Test
    void metricsOfTheJsonRecordAreFlattenedAndLogLinesAroundItIgnored() {
        String stdout = "note: starting\n{\"status\":\"completed\",\"metrics\":{\"lock_window_seconds\":1.5,"
                + "\"phases\":{\"copy_seconds\":4,\"verify_seconds\":0.5},\"bytes\":1234,\"tables\":[1,2]}}\n";

        Map<String, Object> m = ArchonSyncContender.metrics(stdout);

        assertEquals(Map.of("lock_window_seconds", 1.5, "phases.copy_seconds", 4.0, "phases.verify_seconds", 0.5,
                "bytes", 1234.0), m);
        assertTrue(ArchonSyncContender.metrics("no json here").isEmpty());
    }

    @Test
    void medianAndRatiosUseOnlySuccessfulRuns() {
        BenchReport r = new BenchReport(SIZE);
        for (long ms : List.of(3000L, 1000L, 2000L)) {
            r.add("archon-sync --no-backup", new BenchReport.Run(1, new Contender.Measurement(ms, 100 * 1024, Map.of()), null));
        }
        r.add("pg_dump|pg_restore", new BenchReport.Run(1, new Contender.Measurement(8000, -1, Map.of()), null));
        r.add("pg_dump|pg_restore", new BenchReport.Run(2, null, "pg_dump exited with 1"));
        StringWriter out = new StringWriter();

        r.print(new PrintWriter(out));

        assertEquals(2000, r.median("archon-sync --no-backup"));
        assertEquals(8000, r.median("pg_dump|pg_restore"));
        assertTrue(out.toString().contains("archon-sync --no-backup  / pg_dump|pg_restore               0.25"), out.toString());
        assertFalse(r.passed());
        assertEquals(List.of("pg_dump|pg_restore run 2: pg_dump exited with 1"), r.failures());
    }
}
