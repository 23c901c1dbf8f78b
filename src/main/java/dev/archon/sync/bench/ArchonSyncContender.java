package dev.archon.sync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code archon-sync sync --yes --json ...} as a child process, once or as a sequence of passes
 * (two one-way runs), with its defaults (backup into the scratch directory, verification) or
 * {@code --no-backup}. Its peak RSS is measured (the largest of the passes); the metrics of the
 * first pass's --json record are kept (see {@link SyncRecord}), and each pass's wall time. A
 * contender made {@link #withoutBase() without base} first forgets the base on both databases (not
 * timed): a user's first changes-only run, when no earlier sync recorded row hashes to reuse.
 * Before the first timed run of a command, one untimed {@code preflight} lets the launcher record
 * its class archive, as any first run after an installation does.
 */
final class ArchonSyncContender implements Contender {
    private static final Map<String, String> HELP = new ConcurrentHashMap<>();
    private static final java.util.Set<String> WARMED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final List<String> command;
    private final List<List<String>> passes;
    private final boolean backup;
    private boolean forgetBase;

    /**
     * @param passes the arguments of each pass after {@code sync} (direction, mode), run in order
     */
    ArchonSyncContender(String name, List<String> command, List<List<String>> passes, boolean backup) {
        this.name = name;
        this.command = List.copyOf(command);
        this.passes = passes.stream().map(List::copyOf).toList();
        this.backup = backup;
    }

    /** The same, run after forgetting the base on both databases, named "NAME, no base". */
    ArchonSyncContender withoutBase() {
        ArchonSyncContender c = new ArchonSyncContender(name.endsWith(")") ? name.substring(0, name.length() - 1) + ", no base)"
                : name + " (no base)", command, passes, backup);
        c.forgetBase = true;
        return c;
    }

    @Override
    public String name() {
        return name;
    }

    /** Probes {@code sync --help} once per command: every option the passes use must be listed, as must their values. */
    @Override
    public String unavailable() {
        String help = HELP.computeIfAbsent(String.join(" ", command), k -> help(command));
        if (help.startsWith("!")) {
            return help.substring(1);
        }
        for (List<String> pass : passes) {
            for (String arg : pass) {
                if (arg.startsWith("--") && !help.contains(arg)) {
                    return "this build's 'sync' has no " + arg + " option";
                }
                if (arg.equals("bidirectional") && !help.contains("bidirectional")) {
                    return "this build's 'sync' has no bidirectional direction";
                }
            }
        }
        return null;
    }

    /** Whether {@code command}'s {@code sync --help} lists {@code option}. */
    static boolean supports(List<String> command, String option) {
        String help = HELP.computeIfAbsent(String.join(" ", command), k -> help(command));
        return !help.startsWith("!") && help.contains(option);
    }

    private static String help(List<String> command) {
        List<String> probe = new ArrayList<>(command);
        probe.addAll(List.of("sync", "--help"));
        try {
            ChildProcess.Result r = ChildProcess.pipeline(List.of(probe), Map.of(),
                    Path.of(System.getProperty("java.io.tmpdir"), "archon-sync-bench-probe"));
            return r.ok() ? r.stdout() + r.stderr() : "!this build has no 'sync' command (" + String.join(" ", command) + ")";
        } catch (IOException e) {
            return "!cannot start " + String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "!interrupted";
        }
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws Exception {
        long millis = 0;
        long rss = -1;
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (WARMED.add(String.join(" ", command))) {
            List<String> preflight = new ArrayList<>(command);
            preflight.addAll(List.of("preflight", "--direction", "local-to-remote", "--local", servers.source().toUriWithPassword(),
                    "--remote", servers.target().toUriWithPassword()));
            ChildProcess.run(preflight, Map.of(), scratch.resolve("warm-up"));
        }
        if (forgetBase) {
            for (var db : List.of(servers.source(), servers.target())) {
                try (var c = new dev.archon.sync.db.Database(db).open("archon-sync bench")) {
                    dev.archon.sync.db.Sql.execute(c, "DELETE FROM public.archon_sync_base; DELETE FROM public.archon_sync_base_tables");
                }
            }
        }
        try (PhaseProfiler profiler = new PhaseProfiler(servers.source(), servers.target())) {
            for (int i = 0; i < passes.size(); i++) {
                ChildProcess.Result r = ChildProcess.run(arguments(servers, scratch, passes.get(i), i), Map.of(), scratch.resolve("pass" + i));
                Tools.check(name, r);
                millis += r.millis();
                rss = Math.max(rss, r.peakRssKb());
                if (passes.size() > 1) {
                    metrics.put("pass" + (i + 1) + "_seconds", r.millis() / 1000.0);
                }
                if (i == 0) {
                    metrics.putAll(SyncRecord.metrics(r.stdout()));
                }
            }
            profiler.close();
            metrics.putAll(profiler.results());
        }
        return new Measurement(millis, rss, metrics);
    }

    private List<String> arguments(BenchServers servers, Path scratch, List<String> pass, int i) {
        List<String> full = new ArrayList<>(command);
        full.add("sync");
        full.addAll(pass);
        full.addAll(List.of("--yes", "--json", "--local", servers.source().toUriWithPassword(),
                "--remote", servers.target().toUriWithPassword()));
        if (backup) {
            full.addAll(List.of("--backup-dir", scratch.resolve("backups" + i).toString()));
        } else {
            full.add("--no-backup");
        }
        return full;
    }
}
