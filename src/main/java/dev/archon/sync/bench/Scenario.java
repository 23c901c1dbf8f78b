package dev.archon.sync.bench;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the target holds before each run, relative to the source, and which database templates
 * give those states (see {@link BenchServers}).
 */
enum Scenario {
    /** A first copy into an older copy of the data: the source has the changes, the target has not. */
    FULL("full", BenchServers.NEWER, BenchServers.BASE, false),
    /** The same two states; what a changes-only sync is for. */
    CHANGES("changes", BenchServers.NEWER, BenchServers.BASE, false),
    /** A re-sync when nothing changed: the target already equals the source. */
    NOCHANGE("nochange", BenchServers.SYNCED, BenchServers.SAME, false),
    /** Each side changed half of the rows the other did not touch; both are reset before every run. */
    BIDIRECTIONAL("bidirectional", BenchServers.BIDI, BenchServers.BIDI, true);

    private final String label;
    private final String sourceTemplate;
    private final String targetTemplate;
    private final boolean writesSource;

    Scenario(String label, String sourceTemplate, String targetTemplate, boolean writesSource) {
        this.label = label;
        this.sourceTemplate = sourceTemplate;
        this.targetTemplate = targetTemplate;
        this.writesSource = writesSource;
    }

    String label() {
        return label;
    }

    String sourceTemplate() {
        return sourceTemplate;
    }

    String targetTemplate() {
        return targetTemplate;
    }

    /** Whether a run writes the source too, so that it must be reset before every run. */
    boolean writesSource() {
        return writesSource;
    }

    /** Parses {@code full,changes}; "all" or null gives every scenario. */
    static List<Scenario> parse(String list) {
        if (list == null || list.isBlank() || list.equals("all")) {
            return List.of(values());
        }
        List<Scenario> out = new ArrayList<>();
        for (String name : list.split(",")) {
            Scenario s = null;
            for (Scenario v : values()) {
                if (v.label.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    s = v;
                }
            }
            if (s == null) {
                throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                        "unknown scenario '" + name + "': use full, changes, nochange or bidirectional (comma-separated)");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
