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
 * @param changes     rows the source's newer copy changes relative to the target's older copy
 */
public record BenchOptions(String scaleName, int runs, List<String> archonSync, Path workDir, int changes) {
    public static final int DEFAULT_RUNS = 3;
    public static final String DEFAULT_JAR = "target/archon-sync.jar";

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
    }

    public Scale scale() {
        return Scale.named(scaleName);
    }

    /** Parses {@code --scale S --runs N --jar FILE --work-dir DIR --changes N}. */
    public static BenchOptions parse(String[] args) {
        String scale = "small";
        int runs = DEFAULT_RUNS;
        String jar = DEFAULT_JAR;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "archon-sync-bench");
        int changes = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--scale" -> scale = required(a, v);
                case "--runs" -> runs = number(a, required(a, v));
                case "--jar" -> jar = required(a, v);
                case "--work-dir" -> work = Path.of(required(a, v));
                case "--changes" -> changes = number(a, required(a, v));
                default -> throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "unknown option '" + a
                        + "': use --scale small|medium|archon [--runs N] [--jar FILE] [--work-dir DIR] [--changes N]");
            }
            i++;
        }
        Scale s = Scale.named(scale);
        // The launcher users run (with its JVM options) when present; the jar otherwise.
        Path launcher = Path.of(jar).toAbsolutePath().getParent().getParent().resolve("archon-sync");
        List<String> command = java.nio.file.Files.isExecutable(launcher) ? new ArrayList<>(List.of(launcher.toString()))
                : new ArrayList<>(List.of(javaBinary(), "-jar", jar));
        return new BenchOptions(scale, runs, command, work, changes < 0 ? defaultChanges(s) : changes);
    }

    /** About 2% of the crawled pages (at least 20): a realistic gap between the two copies. */
    public static int defaultChanges(Scale s) {
        return Math.max(20, s.crawledPages() / 50);
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

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, option + " must be a number, got '" + value + "'");
        }
    }
}
