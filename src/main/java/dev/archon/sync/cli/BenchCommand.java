package dev.archon.sync.cli;

import dev.archon.sync.bench.BenchOptions;
import dev.archon.sync.bench.BenchReport;
import dev.archon.sync.bench.Benchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code archon-sync bench --scale small|medium|archon [--scenario full,changes,nochange,bidirectional]
 * [--link RATE] [--runs N] [--jar FILE] [--work-dir DIR] [--changes PERCENT]}:
 * the benchmark harness (run it through {@code scripts/bench}, which installs the peers first).
 * Exit 0 only when every run of every available tool ended with the target equal to the source.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, hidden = true,
        description = "The benchmark harness against pg_dump|pg_restore, pgcopydb, pg_comparator and floors (see BENCHMARKS.md).")
final class BenchCommand implements Callable<Integer> {
    /** The harness's own options, parsed (and validated with clear errors) by {@link BenchOptions}. */
    @CommandLine.Unmatched
    List<String> options = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BenchReport report = Benchmark.run(BenchOptions.parse(options.toArray(String[]::new)), spec.commandLine().getOut());
        return report.passed() ? 0 : 1;
    }
}
