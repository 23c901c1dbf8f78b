package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.DatasetStats;
import dev.archon.sync.demo.EmbeddedServer;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.migrate.Migrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two embedded PostgreSQL 15 servers of a benchmark, started with the same settings. The
 * source ("local") holds database {@value #DB} with the newer data; the target ("remote") holds
 * the older copy as template {@value #TEMPLATE}, from which {@link #resetTarget()} recreates
 * {@value #DB} before every run, so every contender starts from the same state. Both databases
 * are migrated (archon_sync_history exists on both). Closing stops both servers.
 */
final class BenchServers implements AutoCloseable {
    static final String DB = "archon";
    static final String TEMPLATE = "archon_old";
    private static final String PURPOSE = "archon-sync bench";
    static final List<String> SHOWN_SETTINGS = List.of("server_version", "shared_buffers", "work_mem",
            "maintenance_work_mem", "max_wal_size", "wal_level", "fsync", "synchronous_commit", "full_page_writes",
            "max_parallel_maintenance_workers", "max_connections");

    private final EmbeddedServer source;
    private final EmbeddedServer target;

    BenchServers() {
        EmbeddedServer s = EmbeddedServer.start();
        try {
            this.source = s;
            this.target = EmbeddedServer.start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Source: schema, migrations, data, then {@code changes} edits. Target template: the same data before the edits. */
    DatasetStats prepare(Scale scale, int changes) throws SQLException {
        createDatabase(target, TEMPLATE, null);
        DatabaseConfig old = target.config(DatabaseRole.REMOTE).withDatabase(TEMPLATE);
        fill(old, scale);
        createDatabase(source, DB, null);
        DatasetStats stats = fill(source(), scale);
        try (Connection c = new Database(source()).open(PURPOSE)) {
            ArchonDataset.mutate(c, ArchonDataset.DEFAULT_SEED + 1, changes);
            Sql.execute(c, "VACUUM ANALYZE " + BenchTables.qualifiedList());
        }
        try (Connection c = new Database(old).open(PURPOSE)) {
            Sql.execute(c, "VACUUM ANALYZE " + BenchTables.qualifiedList());
        }
        return stats;
    }

    private static DatasetStats fill(DatabaseConfig config, Scale scale) {
        Database db = new Database(config);
        try (Connection c = db.open(PURPOSE)) {
            ArchonDataset.createSchema(c);
            new Migrator().migrate(db);
            return ArchonDataset.generate(c, scale);
        } catch (SQLException e) {
            throw new IllegalStateException("could not fill " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Drops the target's {@value #DB} and recreates it from the older copy (a file copy, not timed). */
    void resetTarget() throws SQLException {
        try (Connection c = new Database(target.config(DatabaseRole.REMOTE)).open(PURPOSE)) {
            Sql.execute(c, "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
        createDatabase(target, DB, TEMPLATE);
        try (Connection c = new Database(target()).open(PURPOSE)) {
            Sql.execute(c, "CHECKPOINT");
        }
    }

    private static void createDatabase(EmbeddedServer server, String name, String template) throws SQLException {
        try (Connection c = new Database(server.config(DatabaseRole.REMOTE)).open(PURPOSE)) {
            Sql.execute(c, "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template + " STRATEGY FILE_COPY"));
        }
    }

    DatabaseConfig source() {
        return source.config(DatabaseRole.LOCAL).withDatabase(DB);
    }

    DatabaseConfig target() {
        return target.config(DatabaseRole.REMOTE).withDatabase(DB);
    }

    /** The settings that matter for bulk loads, as the target reports them (both servers share them). */
    Map<String, String> settings() throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection c = new Database(target.config(DatabaseRole.REMOTE)).open(PURPOSE); Statement st = c.createStatement()) {
            for (String name : SHOWN_SETTINGS) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    m.put(name, rs.getString(1));
                }
            }
        }
        return m;
    }

    /** Rows and bytes (tables + TOAST + indexes; and heap + TOAST alone) of the set on the source. */
    DataSize sourceSize() throws SQLException {
        long rows = 0;
        long total = 0;
        long heap = 0;
        try (Connection c = new Database(source()).open(PURPOSE); Statement st = c.createStatement()) {
            for (String t : BenchTables.LOAD_ORDER) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), pg_total_relation_size('public." + t
                        + "'), pg_table_size('public." + t + "') FROM public." + t)) {
                    rs.next();
                    rows += rs.getLong(1);
                    total += rs.getLong(2);
                    heap += rs.getLong(3);
                }
            }
        }
        return new DataSize(rows, total, heap);
    }

    @Override
    public void close() {
        try {
            target.close();
        } finally {
            source.close();
        }
    }

    /** @param rows rows of the set; @param totalBytes with indexes; @param tableBytes heap and TOAST only */
    record DataSize(long rows, long totalBytes, long tableBytes) {
        double totalMb() {
            return totalBytes / 1e6;
        }
    }
}
