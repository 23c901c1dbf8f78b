package dev.archon.sync.bench;

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
 * The benchmark of issues 4 and 11: {@code scripts/bench --scale small|medium|archon
 * [--scenario full,changes,nochange,bidirectional] [--link RATE] [--runs N]}.
 *
 * <p>Starts two PostgreSQL 15 servers with the same settings (the target behind a shaped link in
 * a network namespace with {@code --link}), generates the Archon dataset and the scenarios' states
 * as templates (see {@link BenchServers}), then per scenario runs every contender N times in
 * alternating order (forward on odd rounds, backward on even ones), recreating the scenario's
 * starting state before each run and checking after each run that the target equals the source.
 * Prints the figures; exits 0 only when every run of every available contender passed its check.
 */
public final class Benchmark {
    static final String ARCHON_DEFAULT = "archon-sync (default)";
    static final String ARCHON_MODE_FULL = "archon-sync --mode full";
    static final String ARCHON_FULL = "archon-sync (full copy)";
    static final String ARCHON_FULL_NO_BACKUP = "archon-sync (full copy) --no-backup";
    static final String ARCHON_BIDI = "archon-sync --direction bidirectional";
    static final String ARCHON_TWO_ONE_WAY = "archon-sync 2 one-way runs --mode changes";
    static final String PG_DUMP = "pg_dump|pg_restore";
    static final String PGCOPYDB = "pgcopydb";
    static final String FLOOR_FULL = "floor (server COPY FROM file)";
    static final String FLOOR_HASH = "floor (both servers hash once)";
    private static final List<String> L2R = List.of("--direction", "local-to-remote");

    private Benchmark() {
    }

    /** Runs the whole benchmark, printing as it goes; the servers, the namespace and the work directory are removed at the end. */
    public static BenchReport run(BenchOptions options, PrintWriter out) throws Exception {
        Scale scale = options.scale();
        Path work = options.workDir().toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        List<Scenario> scenarios = options.scenarioList();
        boolean comparator = PgComparatorContender.available();
        try (BenchServers servers = new BenchServers(options.link())) {
            out.printf(Locale.ROOT, "archon-sync benchmark: scale %s (%d crawled pages), scenarios %s, %d run(s) each, %.2f%% of the rows changed%n",
                    options.scaleName(), scale.crawledPages(), String.join(",", options.scenarios()), options.runs(), options.changePercent());
            printConditions(options, servers, work, out);
            long start = System.nanoTime();
            if (comparator) {
                PgComparatorContender.install(servers.sourceAdmin());
            }
            BenchServers.Prepared prepared = servers.prepare(scale, scenarios, options.changePercent() / 100,
                    comparator ? PgComparatorContender.EXTENSION : null);
            boolean onlyBidi = scenarios.equals(List.of(Scenario.BIDIRECTIONAL));
            BenchServers.DataSize size = servers.sourceSize(onlyBidi ? BenchServers.BIDI : BenchServers.NEWER);
            out.printf(Locale.ROOT, "dataset: %d rows in the %d synced tables, %.1f MB with indexes (%.1f MB tables + TOAST), %d indexes;"
                            + " rows changed: %d on the source (full, changes, nochange), %d + %d on the two sides (bidirectional);"
                            + " generated in %.1f s, everything prepared in %.1f s%n", size.rows(), BenchTables.LOAD_ORDER.size(),
                    size.totalMb(), size.tableBytes() / 1e6, size.indexes(), prepared.changed(), prepared.bidiLocal(), prepared.bidiRemote(),
                    prepared.stats().elapsedMillis() / 1000.0, (System.nanoTime() - start) / 1e9);
            BenchReport report = new BenchReport(size, servers.link() != null);
            for (Scenario scenario : scenarios) {
                runScenario(scenario, options, servers, work, report, out);
            }
            report.print(out);
            out.println("load average at the end (other processes share the machine): " + loadAverage());
            out.flush();
            return report;
        } finally {
            deleteTree(work);
        }
    }

    private static void runScenario(Scenario scenario, BenchOptions options, BenchServers servers, Path work,
                                    BenchReport report, PrintWriter out) throws Exception {
        out.printf("scenario %s:%n", scenario.label());
        servers.reset(scenario, true);
        List<Contender> contenders = contenders(options, scenario);
        for (Contender c : contenders) {
            String why = options.quick() && (scenario != Scenario.FULL && reloads(c) || c.name().equals(ARCHON_FULL_NO_BACKUP))
                    ? "--quick: " + (reloads(c) ? "a full reload, measured in the full scenario" : "left out") : c.unavailable();
            if (why != null) {
                report.unavailable(scenario.label(), c.name(), why);
            } else {
                report.register(scenario.label(), c.name());
            }
            if (why == null && c instanceof FloorContender f) {
                f.dumpFiles(servers.source(), servers.files().resolve("floor-files"));
            } else if (why == null && c instanceof DeltaFloorContender d) {
                d.prepare(servers.source(), servers.target(), servers.files().resolve("delta-files"));
                out.printf("  the changes floor deletes or writes %d rows%n", d.changedRows());
            }
        }
        for (int round = 1; round <= options.runs(); round++) {
            List<Contender> order = new ArrayList<>(contenders);
            if (round % 2 == 0) {
                Collections.reverse(order);
            }
            for (Contender c : order) {
                if (report.unavailableTools().containsKey(BenchReport.key(scenario.label(), c.name()))) {
                    continue;
                }
                Path scratch = work.resolve("run" + round + "-" + c.name().replaceAll("[^a-z0-9]+", "_"));
                servers.reset(scenario, scenario.writesSource());
                measure(c, scenario, round, servers, scratch, report, out);
                deleteTree(scratch);
            }
        }
    }

    /** Whether {@code c} reloads everything whatever the target holds (its work is the same in every scenario). */
    private static boolean reloads(Contender c) {
        return c instanceof PgDumpContender || c instanceof PgcopydbContender || c.name().equals(ARCHON_MODE_FULL);
    }

    /** The contenders of a scenario, in their forward order. */
    static List<Contender> contenders(BenchOptions options, Scenario scenario) {
        List<String> cmd = options.archonSync();
        List<String> full = ArchonSyncContender.supports(cmd, "--mode") ? List.of("--mode", "full") : List.of();
        return switch (scenario) {
            case FULL -> List.of(new ArchonSyncContender(ARCHON_FULL, cmd, List.of(concat(L2R, full)), true),
                    new ArchonSyncContender(ARCHON_FULL_NO_BACKUP, cmd, List.of(concat(L2R, full)), false),
                    new PgDumpContender(), new PgcopydbContender(), new FloorContender());
            case CHANGES -> List.of(new ArchonSyncContender(ARCHON_DEFAULT, cmd, List.of(L2R), true),
                    new ArchonSyncContender(ARCHON_DEFAULT, cmd, List.of(L2R), true).withoutBase(),
                    new ArchonSyncContender(ARCHON_MODE_FULL, cmd, List.of(concat(L2R, List.of("--mode", "full"))), true),
                    new PgDumpContender(), new PgcopydbContender(), new PgComparatorContender(), new DeltaFloorContender());
            case NOCHANGE -> List.of(new ArchonSyncContender(ARCHON_DEFAULT, cmd, List.of(L2R), true),
                    new ArchonSyncContender(ARCHON_DEFAULT, cmd, List.of(L2R), true).withoutBase(),
                    new PgDumpContender(), new PgcopydbContender(), new PgComparatorContender(), new HashFloorContender());
            case BIDIRECTIONAL -> List.of(
                    new ArchonSyncContender(ARCHON_BIDI, cmd, List.of(List.of("--direction", "bidirectional")), true),
                    new ArchonSyncContender(ARCHON_TWO_ONE_WAY, cmd, List.of(concat(L2R, List.of("--mode", "changes")),
                            List.of("--direction", "remote-to-local", "--mode", "changes")), true));
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void measure(Contender c, Scenario scenario, int round, BenchServers servers, Path scratch,
                                BenchReport report, PrintWriter out) {
        BenchReport.Run run;
        try {
            LinkNamespace.Counters before = servers.link() == null ? null : servers.link().counters();
            Contender.Measurement m = c.run(servers, scratch);
            if (before != null) {
                LinkNamespace.Counters crossed = servers.link().counters().since(before);
                m = m.with(Map.of(BenchReport.LINK_BYTES, crossed.total(), "link_bytes_to_remote", crossed.toNamespace(),
                        "link_bytes_from_remote", crossed.fromNamespace()));
            }
            List<String> diffs = new ArrayList<>(ContentCheck.differences(servers.source(), servers.target()));
            if (c.name().equals(ARCHON_BIDI)) {
                diffs.addAll(servers.mergeProblems(scenario));
            }
            run = new BenchReport.Run(round, m, diffs.isEmpty() ? null : "target differs from source: " + String.join("; ", diffs));
            Object bytes = m.metrics().get(BenchReport.LINK_BYTES);
            out.printf(Locale.ROOT, "  run %d  %-40s %8.2f s%s%s  %s%n", round, c.name(), m.millis() / 1000.0,
                    m.peakRssKb() < 0 ? "" : String.format(Locale.ROOT, "  RSS %d MiB", m.peakRssKb() / 1024),
                    bytes == null ? "" : String.format(Locale.ROOT, "  link %.2f MB", ((Number) bytes).doubleValue() / 1e6),
                    run.ok() ? "check ok" : "CHECK FAILED: " + run.failure());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            run = new BenchReport.Run(round, null, e.getMessage() == null ? e.toString() : e.getMessage().strip());
            out.printf("  run %d  %-40s FAILED: %s%n", round, c.name(), run.failure());
        }
        out.flush();
        report.add(scenario.label(), c.name(), run);
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
        LinkNamespace link = servers.link();
        out.println(link == null ? "link: none (both servers on loopback)"
                : "link: the target runs in network namespace " + link.name() + " at " + link.namespaceAddress()
                        + ", reached over a veth pair shaped with tbf to " + link.rate() + " each way (burst "
                        + LinkNamespace.burstOf(link.rate()) + ", latency 100ms); bytes counted on the veth");
        out.println("pg_comparator: " + (PgComparatorContender.available()
                ? Tools.version(List.of("pg_comparator", "--version"), scratch) + " (pgcmp extension created by a superuser; runs as superuser)"
                : "not installed"));
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
