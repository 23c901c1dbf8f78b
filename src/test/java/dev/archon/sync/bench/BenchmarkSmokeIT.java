package dev.archon.sync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.demo.Scale;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the benchmark harness still works (issue 4: CI runs the small scale once). Asserts that
 * every contender that can run here completed with the target's content equal to the source's;
 * never asserts timings. archon-sync runs from this JVM's classpath, since {@code mvn verify}
 * runs the tests before the jar is packaged.
 */
class BenchmarkSmokeIT {
    @TempDir
    Path work;

    @Test
    void smallScaleRunCompletesWithEveryContentCheckPassing() throws Exception {
        List<String> archonSync = List.of(BenchOptions.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "dev.archon.sync.cli.Main");
        BenchOptions options = new BenchOptions("small", 1, archonSync, work.resolve("bench"), BenchOptions.defaultChanges(Scale.small()));
        StringWriter printed = new StringWriter();

        BenchReport report = Benchmark.run(options, new PrintWriter(printed));

        String output = printed.toString();
        System.out.print(output);
        assertTrue(report.passed(), () -> "benchmark failed:\n" + output);
        Map<String, Integer> passed = report.passedRuns();
        assertEquals(1, passed.get("pg_dump|pg_restore"), output);
        assertEquals(1, passed.get("floor (server COPY FROM file)"), output);
        for (Contender c : Benchmark.contenders(options)) {
            boolean ran = passed.getOrDefault(c.name(), 0) == 1;
            assertTrue(ran || report.unavailableTools().containsKey(c.name()),
                    () -> c.name() + " neither ran nor was reported unavailable:\n" + output);
        }
        if (passed.containsKey("archon-sync (default)")) {
            assertEquals(1, passed.get(BenchReport.RESYNC), output);
        }
        assertTrue(output.contains("content checks: every run's target equals the source"), output);
    }
}
