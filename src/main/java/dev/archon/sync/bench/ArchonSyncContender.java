package dev.archon.sync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code archon-sync sync --direction local-to-remote --yes --json} as a child process, with its
 * defaults (backup into the scratch directory, verification) or with {@code --no-backup}. Its
 * peak RSS is measured; the {@code metrics} of its --json record are kept, flattened
 * ({@code phases.copy_seconds}).
 */
final class ArchonSyncContender implements Contender {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final boolean backup;
    private String unavailable;
    private boolean probed;

    ArchonSyncContender(List<String> command, boolean backup) {
        this.command = List.copyOf(command);
        this.backup = backup;
    }

    @Override
    public String name() {
        return backup ? "archon-sync (default)" : "archon-sync --no-backup";
    }

    boolean backup() {
        return backup;
    }

    /** Probes {@code --help} once for a {@code sync} command: the engine may not have landed in this build. */
    @Override
    public synchronized String unavailable() {
        if (!probed) {
            probed = true;
            List<String> probe = new ArrayList<>(command);
            probe.add("--help");
            try {
                ChildProcess.Result r = ChildProcess.pipeline(List.of(probe), Map.of(),
                        Path.of(System.getProperty("java.io.tmpdir"), "archon-sync-bench-probe"));
                boolean listed = r.stdout().lines().anyMatch(l -> l.startsWith("  sync "));
                unavailable = r.ok() && listed ? null : "this build has no 'sync' command (" + String.join(" ", command) + ")";
            } catch (IOException e) {
                unavailable = "cannot start " + String.join(" ", command) + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unavailable = "interrupted";
            }
        }
        return unavailable;
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("sync", "--direction", "local-to-remote", "--yes", "--json",
                "--local", servers.source().toUriWithPassword(), "--remote", servers.target().toUriWithPassword()));
        if (backup) {
            full.addAll(List.of("--backup-dir", scratch.resolve("backups").toString()));
        } else {
            full.add("--no-backup");
        }
        ChildProcess.Result r;
        Map<String, Object> profile;
        try (PhaseProfiler profiler = new PhaseProfiler(servers.source(), servers.target())) {
            r = ChildProcess.run(full, Map.of(), scratch);
            profiler.close();
            profile = profiler.results();
        }
        Tools.check(name(), r);
        Map<String, Object> metrics = metrics(r.stdout());
        metrics.putAll(profile);
        return new Measurement(r.millis(), r.peakRssKb(), metrics);
    }

    /** The flattened {@code metrics} object of the --json record (empty when absent or unreadable). */
    static Map<String, Object> metrics(String stdout) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode root = parse(stdout);
        if (root == null) {
            return out;
        }
        JsonNode metrics = root.has("metrics") ? root.get("metrics") : root.findValue("metrics");
        if (metrics != null) {
            flatten("", metrics, out);
        }
        return out;
    }

    private static JsonNode parse(String stdout) {
        int from = stdout.indexOf('{');
        int to = stdout.lastIndexOf('}');
        if (from < 0 || to < from) {
            return null;
        }
        try {
            return JSON.readTree(stdout.substring(from, to + 1));
        } catch (IOException e) {
            return null;
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isNumber()) {
            out.put(prefix, node.doubleValue());
        } else if (!node.isNull() && !node.isArray()) {
            out.put(prefix, node.asText());
        }
    }
}
