package dev.archon.sync.bench;

import dev.archon.sync.demo.DatasetStats;
import dev.archon.sync.demo.Scale;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark of issue 4: {@code scripts/bench --scale small|medium|archon [--runs N]}.
 *
 * <p>Starts two embedded PostgreSQL 15 servers with the same settings, generates the Archon
 * dataset on the source and an older copy on the target, then runs every contender N times in
 * alternating order (forward on odd rounds, backward on even ones), recreating the target's older
 * copy before each run and checking after each run that the target equals the source. Prints the
 * figures; exits 0 only when every run of every available contender passed its check.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** Runs the whole benchmark, printing as it goes; the servers and the work directory are removed at the end. */
    public static BenchReport run(BenchOptions options, PrintWriter out) throws Exception {
        Scale scale = options.scale();
        Path work = options.workDir().toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        List<Contender> contenders = contenders(options);
        FloorContender floor = (FloorContender) contenders.get(contenders.size() - 1);
        try (BenchServers servers = new BenchServers()) {
            out.printf("archon-sync benchmark: scale %s (%d crawled pages), %d run(s), %d changed rows between the copies%n",
                    options.scaleName(), scale.crawledPages(), options.runs(), options.changes());
            printConditions(options, servers, work, out);
            long start = System.nanoTime();
            DatasetStats stats = servers.prepare(scale, options.changes());
            BenchServers.DataSize size = servers.sourceSize();
            out.printf(Locale.ROOT, "dataset: %d rows in the %d synced tables, %.1f MB with indexes (%.1f MB tables + TOAST);"
                            + " source generated in %.1f s, both servers prepared in %.1f s%n", size.rows(), BenchTables.LOAD_ORDER.size(),
                    size.totalMb(), size.tableBytes() / 1e6, stats.elapsedMillis() / 1000.0,
                    (System.nanoTime() - start) / 1e9);
            floor.dumpFiles(servers.source(), work.resolve("floor-files"));
            BenchReport report = new BenchReport(size);
            for (Contender c : contenders) {
                String why = c.unavailable();
                if (why != null) {
                    report.unavailable(c.name(), why);
                } else {
                    report.register(c.name());
                }
            }
            for (int round = 1; round <= options.runs(); round++) {
                List<Contender> order = new ArrayList<>(contenders);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Contender c : order) {
                    if (report.unavailableTools().containsKey(c.name())) {
                        continue;
                    }
                    Path scratch = work.resolve("run" + round + "-" + c.name().replaceAll("[^a-z0-9]+", "_"));
                    servers.resetTarget();
                    measure(c, c.name(), round, servers, scratch, report, out);
                    if (c instanceof ArchonSyncContender a && a.backup()) {
                        measure(c, BenchReport.RESYNC, round, servers, scratch.resolve("resync"), report, out);
                    }
                    deleteTree(scratch);
                }
            }
            report.print(out);
            out.println("load average at the end (other processes share the machine): " + loadAverage());
            out.flush();
            return report;
        } finally {
            deleteTree(work);
        }
    }

    static List<Contender> contenders(BenchOptions options) {
        return List.of(new ArchonSyncContender(options.archonSync(), true), new ArchonSyncContender(options.archonSync(), false),
                new PgDumpContender(), new PgcopydbContender(), new FloorContender());
    }

    private static void measure(Contender c, String name, int round, BenchServers servers, Path scratch,
                                BenchReport report, PrintWriter out) {
        BenchReport.Run run;
        try {
            Contender.Measurement m = c.run(servers, scratch);
            List<String> diffs = ContentCheck.differences(servers.source(), servers.target());
            run = new BenchReport.Run(round, m, diffs.isEmpty() ? null : "target differs from source: " + String.join("; ", diffs));
            out.printf(Locale.ROOT, "  run %d  %-34s %8.2f s%s  %s%n", round, name, m.millis() / 1000.0,
                    m.peakRssKb() < 0 ? "" : String.format(Locale.ROOT, "  RSS %d MiB", m.peakRssKb() / 1024),
                    run.ok() ? "check ok" : "CHECK FAILED: " + run.failure());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            run = new BenchReport.Run(round, null, e.getMessage() == null ? e.toString() : e.getMessage().strip());
            out.printf("  run %d  %-34s FAILED: %s%n", round, name, run.failure());
        }
        report.add(name, run);
    }

    private static void printConditions(BenchOptions options, BenchServers servers, Path work, PrintWriter out) throws Exception {
        Path scratch = work.resolve("versions");
        List<String> archon = new ArrayList<>(options.archonSync());
        archon.add("--version");
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + memTotal() + " RAM; java " + System.getProperty("java.version") + "; load average at start " + loadAverage());
        out.println("tools: " + Tools.version(archon, scratch) + " (commit "
                + Tools.version(List.of("git", "-C", Path.of("").toAbsolutePath().toString(), "describe", "--always", "--dirty"), scratch) + ")" + "; " + Tools.version(List.of("pg_dump", "--version"), scratch)
                + "; " + Tools.version(List.of("pg_restore", "--version"), scratch) + "; "
                + (Tools.onPath("pgcopydb") == null ? "pgcopydb not installed" : Tools.version(List.of("pgcopydb", "--version"), scratch)));
        StringBuilder sb = new StringBuilder("servers (both): ");
        for (Map.Entry<String, String> e : servers.settings().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append(' ');
        }
        out.println(sb.toString().strip());
        out.println("floor: maintenance_work_mem=" + FloorContender.MAINTENANCE_WORK_MEM + " for its index rebuild;"
                + " pgcopydb: --table-jobs " + PgcopydbContender.TABLE_JOBS);
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).findFirst()
                    .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0))
                    .orElse("unknown");
        } catch (IOException | NumberFormatException e) {
            return "unknown";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
