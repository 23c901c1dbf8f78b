package dev.archon.sync.bench;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.demo.Scale;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the benchmark. Immutable.
 *
 * @param scaleName   small, medium or archon
 * @param runs        rounds of every contender (at least 1)
 * @param archonSync  the command that runs archon-sync, e.g. {@code java -jar target/archon-sync.jar}
 * @param workDir     where COPY files, pgcopydb's work directory and backups go (emptied at the end)
 * @param changePercent the share of rows (percent) the source's newer copy changes relative to the
 *                      target's older copy; the bidirectional scenario changes half of it on each side
 * @param scenarios     what to run, in order (see {@code --scenario})
 * @param link          null for two servers on loopback, or the rate of the link ({@code 100mbit}) the
 *                      target sits behind (see {@link LinkNamespace})
 * @param quick         run the full-reload tools (pg_dump|pg_restore, pgcopydb, archon-sync --mode full)
 *                      only in the {@code full} scenario, where they do the same work as in the others,
 *                      and archon-sync --no-backup not at all: for quick checks such as CI's
 */
public record BenchOptions(String scaleName, int runs, List<String> archonSync, Path workDir, double changePercent,
                           List<String> scenarios, String link, boolean quick) {
    public static final int DEFAULT_RUNS = 3;
    public static final String DEFAULT_JAR = "target/archon-sync.jar";
    public static final double DEFAULT_CHANGE_PERCENT = 1.0;
    private static final String USAGE = "use --scale small|medium|archon [--scenario full,changes,nochange,bidirectional]"
            + " [--link RATE] [--runs N] [--changes PERCENT] [--quick] [--jar FILE] [--work-dir DIR]";

    public BenchOptions {
        Scale.named(scaleName);
        if (runs < 1) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--runs must be at least 1, got " + runs);
        }
        archonSync = List.copyOf(archonSync);
        if (archonSync.isEmpty()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "the archon-sync command is empty");
        }
        if (workDir == null) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--work-dir is required");
        }
        if (!(changePercent > 0 && changePercent <= 50)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--changes must be a percentage above 0 and at most 50, got " + changePercent);
        }
        scenarios = Scenario.parse(scenarios == null ? null : String.join(",", scenarios)).stream().map(Scenario::label).toList();
        if (link != null) {
            LinkNamespace.burstOf(link);
            String why = LinkNamespace.unavailable();
            if (why != null) {
                throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--link cannot be used here: " + why);
            }
        }
    }

    /** The scenarios to run, in order. */
    List<Scenario> scenarioList() {
        return Scenario.parse(String.join(",", scenarios));
    }

    public Scale scale() {
        return Scale.named(scaleName);
    }

    /** Parses the options of {@value #USAGE}. */
    public static BenchOptions parse(String[] args) {
        String scale = "small";
        int runs = DEFAULT_RUNS;
        String jar = DEFAULT_JAR;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "archon-sync-bench");
        double changes = DEFAULT_CHANGE_PERCENT;
        String scenarios = null;
        String link = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (a.equals("--quick")) {
                quick = true;
                continue;
            }
            switch (a) {
                case "--scale" -> scale = required(a, v);
                case "--runs" -> runs = number(a, required(a, v));
                case "--jar" -> jar = required(a, v);
                case "--work-dir" -> work = Path.of(required(a, v));
                case "--changes" -> changes = decimal(a, required(a, v));
                case "--scenario" -> scenarios = required(a, v);
                case "--link" -> link = required(a, v);
                default -> throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "unknown option '" + a + "': " + USAGE);
            }
            i++;
        }
        Scale.named(scale);
        // The launcher users run (with its JVM options) when present; the jar otherwise.
        Path launcher = Path.of(jar).toAbsolutePath().getParent().getParent().resolve("archon-sync");
        List<String> command = java.nio.file.Files.isExecutable(launcher) ? new ArrayList<>(List.of(launcher.toString()))
                : new ArrayList<>(List.of(javaBinary(), "-jar", jar));
        return new BenchOptions(scale, runs, command, work, changes, scenarios == null ? null : List.of(scenarios.split(",")), link, quick);
    }

    /** The java of this JVM, so children run on the same runtime. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, option + " needs a value");
        }
        return value;
    }

    private static double decimal(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, option + " must be a number, got '" + value + "'");
        }
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, option + " must be a number, got '" + value + "'");
        }
    }
}
