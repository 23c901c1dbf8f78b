package dev.archon.sync.server;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.backup.BackupEntry;
import dev.archon.sync.backup.BackupManifest;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.db.Database;
import dev.archon.sync.history.HistoryFilter;
import dev.archon.sync.history.HistoryPage;
import dev.archon.sync.history.HistoryReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** The read-only endpoints: history, stats, backups, health. */
final class HistoryApi {
    static final String BACKUP_SUFFIX = ".archon-backup";

    private final HistoryReader history;
    private final Database local;
    private final Database remote;
    private final Path backupDir;

    HistoryApi(HistoryReader history, Database local, Database remote, Path backupDir) {
        this.history = history;
        this.local = local;
        this.remote = remote;
        this.backupDir = backupDir;
    }

    /** GET /api/database/sync/history?limit&offset&status&direction&search&sort&order. */
    void list(Context ctx) {
        String order = ctx.queryParam("order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ApiError.badRequest("order must be asc or desc, got '" + order + "'");
        }
        HistoryFilter filter = new HistoryFilter(intParam(ctx, "limit", HistoryFilter.DEFAULT_LIMIT),
                intParam(ctx, "offset", 0), ctx.queryParam("status"), ctx.queryParam("direction"),
                ctx.queryParam("search"), ctx.queryParam("sort"), "asc".equals(order));
        HistoryPage page = history.list(filter);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("total", page.total());
        m.put("limit", filter.limit());
        m.put("offset", filter.offset());
        m.put("records", page.records());
        m.put("warnings", page.warnings());
        ctx.json(m);
    }

    /** GET /api/database/sync/stats?days=7. */
    void stats(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("stats", history.stats(intParam(ctx, "days", 7)));
        ctx.json(m);
    }

    /** GET /api/database/sync/backups: the manifests of the archives in the backup directory, newest first. */
    void backups(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (Files.isDirectory(backupDir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(backupDir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(BACKUP_SUFFIX)).sorted().toList();
            } catch (IOException e) {
                throw ApiError.badRequest("cannot list " + backupDir + ": " + e.getMessage());
            }
            for (Path f : files) {
                out.add(backup(f, warnings));
            }
        }
        out.sort(Comparator.comparing((Map<String, Object> b) -> String.valueOf(b.get("created_at"))).reversed());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("directory", backupDir.toAbsolutePath().normalize().toString());
        m.put("backups", out);
        m.put("warnings", warnings);
        ctx.json(m);
    }

    private static Map<String, Object> backup(Path f, List<String> warnings) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("file", f.toAbsolutePath().normalize().toString());
        try {
            b.put("size_bytes", Files.size(f));
        } catch (IOException e) {
            b.put("size_bytes", null);
        }
        try (BackupReader reader = BackupReader.open(f)) {
            BackupManifest man = reader.manifest();
            b.put("sync_id", man.syncId());
            b.put("created_at", man.createdAt());
            b.put("database", man.database());
            b.put("source", man.source());
            b.put("server_version", man.serverVersion());
            b.put("tables", man.entries().size());
            b.put("rows", man.entries().stream().mapToLong(BackupEntry::rowCount).sum());
            b.put("valid", true);
        } catch (ArchonSyncException e) {
            b.put("valid", false);
            b.put("error", e.getMessage());
            warnings.add(f.getFileName() + ": " + e.getMessage());
        }
        return b;
    }

    /** GET /api/database/sync/databases: which servers "local" and "remote" are (user, host, port, database; never a password). */
    void databases(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        for (Database db : List.of(local, remote)) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("host", db.config().hostPort());
            d.put("database", db.config().database());
            d.put("user", db.config().user());
            d.put("description", db.config().describe());
            m.put(db.label(), d);
        }
        ctx.json(m);
    }

    /**
     * GET /api/database/sync/{sync_id}/backup: whether the run's backup archive exists and its manifest
     * reads back and names the run ({exists, valid, file, problem}); the page offers Undo only then.
     */
    void backupOf(Context ctx) {
        String id = ctx.pathParam("sync_id");
        Map<String, Object> row = history.find(id).orElseThrow(() -> ApiError.notFound(id));
        Object path = row.get("backup_file_path");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("sync_id", id);
        m.put("file", path);
        Path file = path == null ? null : Path.of(path.toString());
        boolean exists = file != null && Files.isRegularFile(file);
        m.put("exists", exists);
        String problem = file == null ? "the run took no backup" : !exists ? "the backup file no longer exists" : null;
        if (exists) {
            try (BackupReader reader = BackupReader.open(file)) {
                if (!id.equals(reader.manifest().syncId())) {
                    problem = "the archive belongs to another run";
                }
            } catch (ArchonSyncException e) {
                problem = e.getMessage();
            }
        }
        m.put("valid", problem == null);
        m.put("problem", problem);
        ctx.json(m);
    }

    /** GET /health (open): whether each database answers, and how fast. Always 200, so it can be polled. */
    void health(Context ctx) {
        CompletableFuture<Map<String, Object>> l = CompletableFuture.supplyAsync(() -> probe(local));
        CompletableFuture<Map<String, Object>> r = CompletableFuture.supplyAsync(() -> probe(remote));
        Map<String, Object> dbs = new LinkedHashMap<>();
        dbs.put("local", l.join());
        dbs.put("remote", r.join());
        boolean ok = dbs.values().stream().allMatch(d -> Boolean.TRUE.equals(((Map<?, ?>) d).get("reachable")));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("status", ok ? "ok" : "degraded");
        m.put("databases", dbs);
        ctx.json(m);
    }

    private static Map<String, Object> probe(Database db) {
        Map<String, Object> m = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (Connection c = db.openOnce("archon-sync health")) {
            dev.archon.sync.db.Sql.queryLong(c, "SELECT 1");
            m.put("reachable", true);
            m.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e5) / 10.0);
        } catch (ArchonSyncException | SQLException e) {
            // The reason (host names, users) stays out of this unauthenticated answer.
            m.put("reachable", false);
            m.put("latency_ms", null);
        }
        return m;
    }

    static int intParam(Context ctx, String name, int fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + " must be a whole number, got '" + v + "'");
        }
    }
}
