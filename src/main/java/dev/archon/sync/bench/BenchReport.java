package dev.archon.sync.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a benchmark measured: per contender, every run's measurement or failure and whether the
 * content check passed. Prints the summary table, the ratios and archon-sync's own figures. Not
 * thread-safe (the harness fills it from one thread).
 */
public final class BenchReport {
    static final String RESYNC = "archon-sync re-sync (no changes)";

    /** One run of one contender: {@code measurement} null when it failed (see {@code failure}). */
    record Run(int round, Contender.Measurement measurement, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Map<String, List<Run>> runs = new LinkedHashMap<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private final BenchServers.DataSize size;

    BenchReport(BenchServers.DataSize size) {
        this.size = size;
    }

    void register(String contender) {
        runs.computeIfAbsent(contender, k -> new ArrayList<>());
    }

    void add(String contender, Run run) {
        runs.computeIfAbsent(contender, k -> new ArrayList<>()).add(run);
    }

    void unavailable(String contender, String why) {
        unavailable.put(contender, why);
        runs.remove(contender);
    }

    /** Contenders that could not run here, with the reason. */
    public Map<String, String> unavailableTools() {
        return Collections.unmodifiableMap(unavailable);
    }

    /** Contenders that ran, each with the count of its runs that completed with a passing content check. */
    public Map<String, Integer> passedRuns() {
        Map<String, Integer> m = new LinkedHashMap<>();
        runs.forEach((k, v) -> m.put(k, (int) v.stream().filter(Run::ok).count()));
        return m;
    }

    /** Failures, one line each ("pgcopydb run 2: ..."); empty when every run passed its check. */
    public List<String> failures() {
        List<String> f = new ArrayList<>();
        runs.forEach((k, v) -> v.stream().filter(r -> !r.ok()).forEach(r -> f.add(k + " run " + r.round() + ": " + r.failure())));
        return f;
    }

    public boolean passed() {
        return failures().isEmpty() && runs.values().stream().allMatch(v -> !v.isEmpty());
    }

    /** Median wall time in ms of the contender's successful runs, or -1. */
    long median(String contender) {
        List<Long> t = times(contender);
        return t.isEmpty() ? -1 : (t.get(t.size() / 2) + t.get((t.size() - 1) / 2)) / 2;
    }

    private List<Long> times(String contender) {
        List<Long> t = new ArrayList<>();
        runs.getOrDefault(contender, List.of()).stream().filter(Run::ok).forEach(r -> t.add(r.measurement().millis()));
        Collections.sort(t);
        return t;
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%n%-34s %9s %9s %9s %9s %11s %5s%n", "tool", "median s", "min s", "max s", "MB/s", "rows/s", "ok");
        runs.forEach((name, list) -> {
            List<Long> t = times(name);
            if (t.isEmpty()) {
                out.printf(Locale.ROOT, "%-34s %9s %9s %9s %9s %11s %2d/%d%n", name, "-", "-", "-", "-", "-", 0, list.size());
                return;
            }
            double med = median(name) / 1000.0;
            out.printf(Locale.ROOT, "%-34s %9.2f %9.2f %9.2f %9.1f %11.0f %2d/%d%n", name, med, t.get(0) / 1000.0,
                    t.get(t.size() - 1) / 1000.0, size.totalMb() / med, size.rows() / med, t.size(), list.size());
        });
        unavailable.forEach((name, why) -> out.printf(Locale.ROOT, "%-34s unavailable: %s%n", name, why));
        printRatios(out);
        printFloorRatios(out);
        printArchonSync(out);
        printOwnMetrics(out);
        List<String> failures = failures();
        out.println();
        out.println(failures.isEmpty() ? "content checks: every run's target equals the source (count + md5 digest per table)"
                : "FAILED: " + String.join("\n  ", failures));
        out.flush();
    }

    private void printRatios(PrintWriter out) {
        out.printf("%nratios of median times (archon-sync / other; below 1 = archon-sync faster):%n");
        for (String mine : List.of("archon-sync (default)", "archon-sync --no-backup")) {
            if (median(mine) <= 0) {
                out.printf("  %s: no successful run, no ratio%n", mine);
                continue;
            }
            for (String other : runs.keySet()) {
                if (!other.startsWith("archon-sync") && median(other) > 0) {
                    out.printf(Locale.ROOT, "  %-24s / %-30s %6.2f%n", mine, other, median(mine) / (double) median(other));
                }
            }
        }
    }

    /** How far the peers are from the floor: bounds what any tool can gain on them here. */
    private void printFloorRatios(PrintWriter out) {
        String floor = runs.keySet().stream().filter(k -> k.startsWith("floor")).findFirst().orElse(null);
        if (floor == null || median(floor) <= 0) {
            return;
        }
        for (String peer : runs.keySet()) {
            if (!peer.startsWith("archon-sync") && !peer.equals(floor) && median(peer) > 0) {
                out.printf(Locale.ROOT, "  %-24s / %-30s %6.2f%n", peer, floor, median(peer) / (double) median(floor));
            }
        }
    }

    private void printArchonSync(PrintWriter out) {
        for (String name : List.of("archon-sync (default)", "archon-sync --no-backup", RESYNC)) {
            List<Run> ok = runs.getOrDefault(name, List.of()).stream().filter(Run::ok).toList();
            if (ok.isEmpty()) {
                continue;
            }
            long maxRss = ok.stream().mapToLong(r -> r.measurement().peakRssKb()).max().orElse(-1);
            out.printf(Locale.ROOT, "%n%s: peak RSS max %s over %d runs; its --json metrics (median):%n", name,
                    maxRss < 0 ? "not measured" : (maxRss / 1024) + " MiB", ok.size());
            Map<String, Double> med = printMetrics(out, ok);
            Double verify = med.get("verification_seconds");
            double copy = med.getOrDefault("export_seconds", 0.0) + med.getOrDefault("import_seconds", 0.0)
                    + med.getOrDefault("indexing_seconds", 0.0);
            if (verify != null && copy > 0) {
                out.printf(Locale.ROOT, "  %-46s %.2f%n", "verification / (export + import + indexing)", verify / copy);
            }
        }
    }

    private void printOwnMetrics(PrintWriter out) {
        runs.forEach((name, list) -> {
            List<Run> ok = list.stream().filter(Run::ok).toList();
            if (!name.startsWith("archon-sync") && !ok.isEmpty() && !ok.get(0).measurement().metrics().isEmpty()) {
                out.printf("%n%s:%n", name);
                printMetrics(out, ok);
            }
        });
    }

    /** Prints the median of each numeric metric over the runs and the last value of the others; returns the medians. */
    private static Map<String, Double> printMetrics(PrintWriter out, List<Run> ok) {
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, List<Object>> byKey = new TreeMap<>();
        ok.forEach(r -> r.measurement().metrics().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
        byKey.forEach((k, values) -> {
            if (values.stream().allMatch(v -> v instanceof Number)) {
                List<Double> d = new ArrayList<>(values.stream().map(v -> ((Number) v).doubleValue()).toList());
                Collections.sort(d);
                double med = (d.get(d.size() / 2) + d.get((d.size() - 1) / 2)) / 2;
                medians.put(k, med);
                out.printf(Locale.ROOT, "  %-46s %s%n", k, med == Math.rint(med) && Math.abs(med) < 1e15
                        ? String.valueOf((long) med) : String.format(Locale.ROOT, "%.3f", med));
            } else {
                out.printf(Locale.ROOT, "  %-46s %s%n", k, values.get(values.size() - 1));
            }
        });
        return medians;
    }
}
