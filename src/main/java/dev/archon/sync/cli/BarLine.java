package dev.archon.sync.cli;

import dev.archon.sync.engine.SyncListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of the terminal progress bar, fitted to a width: {@code [####------]  45% copying
 * archon_crawled_pages  12,345/100,000 rows  12.3 MB/s  10 s left}. The bar shrinks first (never
 * below {@link #MIN_BAR}), then whole parts are dropped from the end, and only a table name is ever
 * shortened: numbers are never cut, the percentage appears once.
 */
final class BarLine {
    static final int MIN_BAR = 10;
    static final int MAX_BAR = 30;

    private BarLine() {
    }

    /** The line for {@code p}, at most {@code width - 1} characters (the last column would wrap). */
    static String render(SyncListener.Progress p, int width) {
        int room = Math.max(MIN_BAR + 8, width - 1);
        String percent = String.format(Locale.ROOT, "%3d%%", p.percent());
        List<String> parts = parts(p);
        String table = p.table();
        int full = 2 + String.join("  ", parts).length() + (table == null ? 0 : table.length() + 1);
        int barWidth = Math.max(MIN_BAR, Math.min(MAX_BAR, room - (percent.length() + 3) - full));
        String head = bar(p.percent(), barWidth) + " " + percent;
        return head + join(parts, table, room - head.length());
    }

    private static List<String> parts(SyncListener.Progress p) {
        List<String> parts = new ArrayList<>();
        parts.add(p.step() == null ? p.phase() : p.step());
        parts.add(String.format(Locale.ROOT, "%,d/%,d rows", p.syncedRows(), p.totalRows()));
        if (p.waitingOn() == null && "import".equals(p.phase())) {
            parts.add(String.format(Locale.ROOT, "%.1f MB/s", p.bytesPerSecond() / 1048576.0));
        }
        if (p.etaSeconds() != null) {
            parts.add(duration(p.etaSeconds()) + " left");
        }
        return parts;
    }

    /** "  step table  rows  speed  eta" in at most room characters: the table shortened, then parts dropped from the end. */
    private static String join(List<String> parts, String table, int room) {
        for (int keep = parts.size(); keep >= 1; keep--) {
            StringBuilder fixed = new StringBuilder("  ").append(parts.get(0));
            StringBuilder rest = new StringBuilder();
            for (int i = 1; i < keep; i++) {
                rest.append("  ").append(parts.get(i));
            }
            int left = room - fixed.length() - rest.length();
            if (table != null && left >= 8) {
                String t = table.length() + 1 <= left ? table : "…" + table.substring(table.length() - (left - 2));
                return fixed + " " + t + rest;
            }
            if (left >= 0) {
                return fixed.toString() + rest;
            }
        }
        String step = parts.get(0);
        return room >= 2 + step.length() ? "  " + step : "";
    }

    private static String bar(int percent, int width) {
        int filled = Math.max(0, Math.min(width, percent * width / 100));
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
