package dev.archon.sync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the benchmark harness still works (CI runs the small scale once): every scenario, and the
 * target behind a shaped link when this machine can make network namespaces (root, iproute2), as
 * CI's can; {@code --quick}, so the full-reload tools run once, in the full scenario. Asserts that every contender that can run here completed with the target's content
 * equal to the source's and that the link counted bytes; never asserts timings. archon-sync runs
 * from this JVM's classpath, since {@code mvn verify} runs the tests before the jar is packaged.
 */
class BenchmarkSmokeIT {
    @TempDir
    Path work;

    @Test
    void smallScaleRunOfEveryScenarioCompletesWithEveryContentCheckPassing() throws Exception {
        List<String> archonSync = List.of(BenchOptions.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "dev.archon.sync.cli.Main");
        String link = LinkNamespace.unavailable() == null ? "1gbit" : null;
        BenchOptions options = new BenchOptions("small", 1, archonSync, work.resolve("bench"),
                BenchOptions.DEFAULT_CHANGE_PERCENT, null, link, true);
        StringWriter printed = new StringWriter();

        BenchReport report = Benchmark.run(options, new PrintWriter(printed));

        String output = printed.toString();
        System.out.print(output);
        assertTrue(report.passed(), () -> "benchmark failed:\n" + output);
        Map<String, Integer> passed = report.passedRuns();
        for (Scenario scenario : Scenario.values()) {
            for (Contender c : Benchmark.contenders(options, scenario)) {
                String key = BenchReport.key(scenario.label(), c.name());
                boolean ran = passed.getOrDefault(key, 0) == 1;
                assertTrue(ran || report.unavailableTools().containsKey(key), () -> key + " neither ran nor was reported unavailable:\n" + output);
            }
        }
        for (String always : List.of("full: " + Benchmark.PG_DUMP, "changes: " + Benchmark.ARCHON_DEFAULT, "nochange: " + Benchmark.ARCHON_DEFAULT, "full: " + Benchmark.FLOOR_FULL, "changes: floor (apply known changes)",
                "nochange: " + Benchmark.FLOOR_HASH)) {
            assertEquals(1, passed.get(always), always + "\n" + output);
        }
        assertTrue(output.contains("content checks: every run's target equals the source"), output);
        assertTrue(output.contains("== scenario bidirectional =="), output);
        if (link != null) {
            assertTrue(output.matches("(?s).*run 1  pg_dump\\|pg_restore\\s+[0-9.]+ s  link [1-9][0-9.]* MB.*"), output);
        }
    }
}
