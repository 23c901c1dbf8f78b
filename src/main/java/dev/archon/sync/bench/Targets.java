package dev.archon.sync.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The targets of issue 11, checked against a scenario's medians: each line says the ratio
 * measured, the bound, and "met" or by how much it was missed. A target whose contenders did not
 * both run says so instead.
 */
final class Targets {
    static final long RSS_LIMIT_KB = 512 * 1024;

    private Targets() {
    }

    static void print(BenchReport r, String scenario, boolean link, PrintWriter out) {
        out.printf("%ntargets (issue 11; ratios of medians):%n");
        String auto = Benchmark.ARCHON_DEFAULT;
        switch (scenario) {
            case "full" -> {
                for (String mine : new String[] {Benchmark.ARCHON_FULL, Benchmark.ARCHON_FULL_NO_BACKUP}) {
                    ratio(r, scenario, mine, Benchmark.PG_DUMP, false, 1.0, true, out);
                    ratio(r, scenario, mine, Benchmark.PGCOPYDB, false, 1.0, true, out);
                    ratio(r, scenario, mine, Benchmark.FLOOR_FULL, false, 1.25, false, out);
                }
            }
            case "changes" -> {
                ratio(r, scenario, auto, Benchmark.PG_DUMP, false, link ? 0.05 : 0.10, false, out);
                ratio(r, scenario, auto, Benchmark.ARCHON_MODE_FULL, false, 0.15, false, out);
                if (link) {
                    ratio(r, scenario, auto, Benchmark.PG_DUMP, true, 0.03, false, out);
                }
            }
            case "nochange" -> {
                ratio(r, scenario, auto, Benchmark.PG_DUMP, false, 0.10, false, out);
                ratio(r, scenario, auto, Benchmark.FLOOR_HASH, false, 2.0, false, out);
            }
            case "bidirectional" -> {
                Double one = r.medianMetric(scenario, Benchmark.ARCHON_TWO_ONE_WAY, "pass1_seconds");
                long bidi = r.median(scenario, Benchmark.ARCHON_BIDI);
                if (one == null || bidi <= 0) {
                    out.printf("  %s / one one-way changes-only run <= 2.00: not measured (a contender did not run)%n", Benchmark.ARCHON_BIDI);
                } else {
                    line(Benchmark.ARCHON_BIDI + " / one one-way changes-only run (pass 1 of the two)", bidi / 1000.0 / one, 2.0, false, out);
                }
            }
            default -> {
            }
        }
        for (String name : r.contenders(scenario)) {
            long rss = r.maxRss(scenario, name);
            if (name.startsWith("archon-sync") && rss > 0) {
                out.printf(Locale.ROOT, "  %-72s %4d MiB < 512 MiB: %s%n", name + " peak RSS", rss / 1024,
                        rss < RSS_LIMIT_KB ? "met" : "MISSED");
            }
        }
    }

    /** {@code mine / other} of the median wall times (or, with {@code bytes}, of the link bytes) against {@code bound}. */
    private static void ratio(BenchReport r, String scenario, String mine, String other, boolean bytes, double bound,
                              boolean strict, PrintWriter out) {
        String what = mine + " / " + other + (bytes ? " (bytes through the link)" : "");
        Double a = bytes ? r.medianMetric(scenario, mine, BenchReport.LINK_BYTES) : positive(r.median(scenario, mine));
        Double b = bytes ? r.medianMetric(scenario, other, BenchReport.LINK_BYTES) : positive(r.median(scenario, other));
        if (a == null || b == null || b == 0) {
            out.printf(Locale.ROOT, "  %-72s %s %.2f: not measured (a contender did not run)%n", what, strict ? "<" : "<=", bound);
            return;
        }
        line(what, a / b, bound, strict, out);
    }

    private static Double positive(long ms) {
        return ms > 0 ? (double) ms : null;
    }

    private static void line(String what, double ratio, double bound, boolean strict, PrintWriter out) {
        boolean met = strict ? ratio < bound : ratio <= bound;
        out.printf(Locale.ROOT, "  %-72s %6.3f %s %.2f: %s%n", what, ratio, strict ? "<" : "<=", bound,
                met ? "met" : String.format(Locale.ROOT, ratio / bound < 1.1 ? "MISSED (%.2fx the bound)" : "MISSED (%.1fx the bound)",
                        ratio / bound));
    }
}
