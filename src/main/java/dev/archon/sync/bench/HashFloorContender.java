package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The floor of a re-sync when nothing changed: both servers hash every row of every table of the
 * set once, at the same time, and nothing else happens. Per table, one
 * {@code SELECT count(*), sum of 64 bits of md5(record_send(row))} on each server (the binary form
 * of the row, so no float is printed as text). The time is that of the slower server.
 */
final class HashFloorContender implements Contender {
    @Override
    public String name() {
        return "floor (both servers hash once)";
    }

    @Override
    public String unavailable() {
        return null;
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) {
        long start = System.nanoTime();
        CompletableFuture<Long> source = CompletableFuture.supplyAsync(() -> hash(servers.source()));
        long target = hash(servers.target());
        long sourceMs;
        try {
            sourceMs = source.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new Measurement((System.nanoTime() - start) / 1_000_000, -1,
                Map.of("source_ms", sourceMs, "target_ms", target));
    }

    private static long hash(DatabaseConfig config) {
        long start = System.nanoTime();
        try (Connection c = new Database(config).open("archon-sync bench hash floor")) {
            for (String t : BenchTables.LOAD_ORDER) {
                Sql.queryString(c, "SELECT count(*) || ':' || coalesce(sum(('x' || left(md5(record_send(t)), 16))::bit(64)::bigint), 0)"
                        + " FROM public." + t + " t");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not hash " + config.describe() + ": " + e.getMessage(), e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
