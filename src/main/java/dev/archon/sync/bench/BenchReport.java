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
 * What a benchmark measured, per scenario: per contender, every run's measurement or failure and
 * whether the content check passed. Prints each scenario's table (with the bytes through the link
 * when there is one), the ratios, archon-sync's own figures (per table: mode and statements) and
 * the targets. Not thread-safe (the harness fills it from one thread).
 */
public final class BenchReport {
    static final String LINK_BYTES = "link_bytes";

    /** One run of one contender: {@code measurement} null when it failed (see {@code failure}). */
    record Run(int round, Contender.Measurement measurement, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Map<String, Map<String, List<Run>>> runs = new LinkedHashMap<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private final BenchServers.DataSize size;
    private final boolean link;

    BenchReport(BenchServers.DataSize size, boolean link) {
        this.size = size;
        this.link = link;
    }

    /** {@code "changes: pg_dump|pg_restore"}: how a contender of a scenario is keyed. */
    static String key(String scenario, String contender) {
        return scenario + ": " + contender;
    }

    void register(String scenario, String contender) {
        runs.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(contender, k -> new ArrayList<>());
    }

    void add(String scenario, String contender, Run run) {
        runs.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).computeIfAbsent(contender, k -> new ArrayList<>()).add(run);
    }

    void unavailable(String scenario, String contender, String why) {
        unavailable.put(key(scenario, contender), why);
        runs.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).remove(contender);
    }

    /** Contenders that could not run here ({@code "scenario: name"}), with the reason. */
    public Map<String, String> unavailableTools() {
        return Collections.unmodifiableMap(unavailable);
    }

    /** Contenders that ran ({@code "scenario: name"}), each with the count of its runs that passed the content check. */
    public Map<String, Integer> passedRuns() {
        Map<String, Integer> m = new LinkedHashMap<>();
        runs.forEach((s, byName) -> byName.forEach((k, v) -> m.put(key(s, k), (int) v.stream().filter(Run::ok).count())));
        return m;
    }

    /** Failures, one line each ("changes: pgcopydb run 2: ..."); empty when every run passed its check. */
    public List<String> failures() {
        List<String> f = new ArrayList<>();
        runs.forEach((s, byName) -> byName.forEach((k, v) -> v.stream().filter(r -> !r.ok())
                .forEach(r -> f.add(key(s, k) + " run " + r.round() + ": " + r.failure()))));
        return f;
    }

    public boolean passed() {
        return failures().isEmpty() && runs.values().stream().allMatch(m -> m.values().stream().allMatch(v -> !v.isEmpty()));
    }

    /** Median wall time in ms of the contender's successful runs in the scenario, or -1. */
    long median(String scenario, String contender) {
        List<Double> t = values(scenario, contender, null);
        return t.isEmpty() ? -1 : Math.round(median(t));
    }

    /** Median of a numeric metric (or, with {@code metric} null, of the wall time in ms), or null when absent. */
    Double medianMetric(String scenario, String contender, String metric) {
        List<Double> v = values(scenario, contender, metric);
        return v.isEmpty() ? null : median(v);
    }

    /** Largest peak RSS (KiB) of the contender's successful runs, or -1. */
    long maxRss(String scenario, String contender) {
        return ok(scenario, contender).stream().mapToLong(r -> r.measurement().peakRssKb()).max().orElse(-1);
    }

    List<String> contenders(String scenario) {
        return new ArrayList<>(runs.getOrDefault(scenario, Map.of()).keySet());
    }

    private List<Run> ok(String scenario, String contender) {
        return runs.getOrDefault(scenario, Map.of()).getOrDefault(contender, List.of()).stream().filter(Run::ok).toList();
    }

    private List<Double> values(String scenario, String contender, String metric) {
        List<Double> t = new ArrayList<>();
        for (Run r : ok(scenario, contender)) {
            Object v = metric == null ? (Object) r.measurement().millis() : r.measurement().metrics().get(metric);
            if (v instanceof Number n) {
                t.add(n.doubleValue());
            }
        }
        Collections.sort(t);
        return t;
    }

    private static double median(List<Double> sorted) {
        return (sorted.get(sorted.size() / 2) + sorted.get((sorted.size() - 1) / 2)) / 2;
    }

    void print(PrintWriter out) {
        for (String scenario : runs.keySet()) {
            printScenario(scenario, out);
        }
        List<String> failures = failures();
        out.println();
        out.println(failures.isEmpty() ? "content checks: every run's target equals the source (count + md5 digest per table)"
                : "FAILED: " + String.join("\n  ", failures));
        out.flush();
    }

    private void printScenario(String scenario, PrintWriter out) {
        out.printf(Locale.ROOT, "%n== scenario %s ==%n%-40s %9s %9s %9s %9s %11s%s %5s%n", scenario, "tool", "median s", "min s", "max s",
                "MB/s", "rows/s", link ? String.format(Locale.ROOT, " %12s", "link MB") : "", "ok");
        runs.get(scenario).forEach((name, list) -> {
            List<Double> t = values(scenario, name, null);
            if (t.isEmpty()) {
                out.printf(Locale.ROOT, "%-40s %9s %9s %9s %9s %11s%s %2d/%d%n", name, "-", "-", "-", "-", "-",
                        link ? String.format(Locale.ROOT, " %12s", "-") : "", 0, list.size());
                return;
            }
            double med = median(t) / 1000.0;
            Double bytes = medianMetric(scenario, name, LINK_BYTES);
            out.printf(Locale.ROOT, "%-40s %9.2f %9.2f %9.2f %9.1f %11.0f%s %2d/%d%n", name, med, t.get(0) / 1000.0,
                    t.get(t.size() - 1) / 1000.0, size.totalMb() / med, size.rows() / med,
                    link ? String.format(Locale.ROOT, " %12.2f", bytes == null ? Double.NaN : bytes / 1e6) : "", t.size(), list.size());
        });
        unavailable.forEach((k, why) -> {
            if (k.startsWith(scenario + ": ")) {
                out.printf(Locale.ROOT, "%-40s unavailable: %s%n", k.substring(scenario.length() + 2), why);
            }
        });
        printRatios(scenario, out);
        printArchonSync(scenario, out);
        printOwnMetrics(scenario, out);
        Targets.print(this, scenario, link, out);
    }

    private void printRatios(String scenario, PrintWriter out) {
        List<String> names = contenders(scenario);
        out.printf("%nratios of median times (row / column; below 1 = the row is faster):%n");
        for (String mine : names) {
            if (!mine.startsWith("archon-sync") || median(scenario, mine) <= 0) {
                continue;
            }
            for (String other : names) {
                if (!other.equals(mine) && median(scenario, other) > 0) {
                    out.printf(Locale.ROOT, "  %-40s / %-34s %6.2f%n", mine, other, median(scenario, mine) / (double) median(scenario, other));
                }
            }
        }
        String floor = names.stream().filter(k -> k.startsWith("floor")).findFirst().orElse(null);
        if (floor != null && median(scenario, floor) > 0) {
            for (String peer : names) {
                if (!peer.startsWith("archon-sync") && !peer.equals(floor) && median(scenario, peer) > 0) {
                    out.printf(Locale.ROOT, "  %-40s / %-34s %6.2f%n", peer, floor, median(scenario, peer) / (double) median(scenario, floor));
                }
            }
        }
    }

    private void printArchonSync(String scenario, PrintWriter out) {
        for (String name : contenders(scenario)) {
            List<Run> ok = ok(scenario, name);
            if (!name.startsWith("archon-sync") || ok.isEmpty()) {
                continue;
            }
            long maxRss = maxRss(scenario, name);
            out.printf(Locale.ROOT, "%n%s: peak RSS max %s over %d runs; its --json metrics (median):%n", name,
                    maxRss < 0 ? "not measured" : (maxRss / 1024) + " MiB", ok.size());
            printMetrics(out, ok);
            printTables(out, ok);
        }
    }

    /** archon-sync's per-table figures of its last run: mode, statements (round trips), rows and bytes. */
    private static void printTables(PrintWriter out, List<Run> ok) {
        Map<String, Object> last = ok.get(ok.size() - 1).measurement().metrics();
        Map<String, Map<String, Object>> byTable = new TreeMap<>();
        last.forEach((k, v) -> {
            if (k.startsWith(SyncRecord.TABLE_PREFIX)) {
                String rest = k.substring(SyncRecord.TABLE_PREFIX.length());
                int dot = rest.lastIndexOf('.');
                byTable.computeIfAbsent(rest.substring(0, dot), x -> new LinkedHashMap<>()).put(rest.substring(dot + 1), v);
            }
        });
        if (byTable.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "  per table (last run): %-34s %-8s %10s %9s %12s%n", "", "mode", "statements", "rows", "bytes");
        byTable.forEach((table, f) -> out.printf(Locale.ROOT, "    %-54s %-8s %10s %9s %12s%n", table, f.getOrDefault("mode", "-"),
                whole(f.get("statements")), whole(f.get("row_count")), whole(f.get("bytes"))));
    }

    private static String whole(Object v) {
        return v instanceof Number n ? String.valueOf(n.longValue()) : "-";
    }

    private void printOwnMetrics(String scenario, PrintWriter out) {
        runs.get(scenario).forEach((name, list) -> {
            List<Run> ok = list.stream().filter(Run::ok).toList();
            if (!name.startsWith("archon-sync") && !ok.isEmpty() && !ok.get(0).measurement().metrics().isEmpty()) {
                out.printf("%n%s:%n", name);
                printMetrics(out, ok);
            }
        });
    }

    /** Prints the median of each numeric metric over the runs and the last value of the others. */
    private static void printMetrics(PrintWriter out, List<Run> ok) {
        Map<String, List<Object>> byKey = new TreeMap<>();
        ok.forEach(r -> r.measurement().metrics().forEach((k, v) -> {
            if (!k.startsWith(SyncRecord.TABLE_PREFIX)) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }));
        byKey.forEach((k, values) -> {
            if (values.stream().allMatch(v -> v instanceof Number)) {
                List<Double> d = new ArrayList<>(values.stream().map(v -> ((Number) v).doubleValue()).toList());
                Collections.sort(d);
                double med = median(d);
                out.printf(Locale.ROOT, "  %-50s %s%n", k, med == Math.rint(med) && Math.abs(med) < 1e15
                        ? String.valueOf((long) med) : String.format(Locale.ROOT, "%.3f", med));
            } else {
                out.printf(Locale.ROOT, "  %-50s %s%n", k, values.get(values.size() - 1));
            }
        });
    }
}
