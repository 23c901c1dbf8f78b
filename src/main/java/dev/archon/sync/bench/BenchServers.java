package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.DatasetStats;
import dev.archon.sync.demo.EmbeddedServer;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.migrate.Migrator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two PostgreSQL 15 servers of a benchmark, with the same settings. The source ("local") is
 * an embedded server on loopback; the target ("remote") is another one, or, with a link, a server
 * inside a {@link LinkNamespace} reached over the shaped veth pair. Both hold templates: {@value #BASE}
 * (the generated data, on both, with the base a one-way sync between the two records, as a user's
 * last sync leaves it), {@value #NEWER} (source: {@value #BASE} with the changes), {@value #SYNCED} and
 * {@value #SAME} (source and target: {@value #NEWER} and its copy made by a sync, which recorded their
 * base), {@value #BIDI} (each side: the base with its own half of the changes). Before every run {@link #reset} recreates {@value #DB} from the scenario's templates (a
 * file copy, not timed). Closing stops both servers and removes the namespace.
 */
final class BenchServers implements AutoCloseable {
    static final String DB = "archon";
    static final String BASE = "archon_base";
    static final String NEWER = "archon_new";
    static final String SAME = "archon_same";
    static final String SYNCED = "archon_synced";
    static final String BIDI = "archon_bidi";
    private static final String PURPOSE = "archon-sync bench";
    static final List<String> SHOWN_SETTINGS = List.of("server_version", "shared_buffers", "work_mem",
            "maintenance_work_mem", "max_wal_size", "wal_level", "fsync", "synchronous_commit", "full_page_writes",
            "max_parallel_maintenance_workers", "max_connections");

    private final EmbeddedServer source;
    private final EmbeddedServer localTarget;
    private final LinkNamespace link;
    private final NamespaceServer linkedTarget;
    private final Path files;

    /** @param linkRate null for two servers on loopback; a tc rate ({@code 100mbit}) to put the target behind a link */
    BenchServers(String linkRate) {
        EmbeddedServer s = EmbeddedServer.start();
        EmbeddedServer t = null;
        LinkNamespace l = null;
        NamespaceServer n = null;
        try {
            if (linkRate == null) {
                t = EmbeddedServer.start();
            } else {
                l = LinkNamespace.create(linkRate);
                n = NamespaceServer.start(l, binDir(s.config(DatabaseRole.LOCAL)));
            }
        } catch (RuntimeException e) {
            if (l != null) {
                l.close();
            }
            s.close();
            throw e;
        }
        try {
            this.files = Files.createTempDirectory("archon-sync-bench-files");
            Files.setPosixFilePermissions(files, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (java.io.IOException e) {
            close(s, t, l, n);
            throw new java.io.UncheckedIOException("could not create the servers' file directory", e);
        }
        this.source = s;
        this.localTarget = t;
        this.link = l;
        this.linkedTarget = n;
    }

    /** The directory of the source server's binaries (initdb, postgres, pg_ctl), from its backend's executable. */
    static Path binDir(DatabaseConfig server) {
        try (Connection c = new Database(server).open(PURPOSE)) {
            String pid = Sql.queryString(c, "SELECT pg_backend_pid()::text");
            return Path.of("/proc", pid, "exe").toRealPath().getParent();
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("could not find the PostgreSQL binaries: " + e.getMessage(), e);
        }
    }

    /**
     * A directory both servers' OS users can read and write (mode 777 under the temporary
     * directory, removed on close): where the floors' files go, since the target may run as
     * another user than this process.
     */
    Path files() {
        return files;
    }

    /** The link the target sits behind, or null. */
    LinkNamespace link() {
        return link;
    }

    /**
     * Generates {@value #BASE} on both servers, then the templates {@code scenarios} need.
     *
     * @param fraction  the share of rows changed between the source and the older target
     * @param extension an extension to create in every database (pg_comparator's pgcmp), or null
     * @return the generation's statistics and the rows each set of changes touched
     */
    Prepared prepare(Scale scale, List<Scenario> scenarios, double fraction, String extension) throws Exception {
        // the same seed on both servers gives the same rows; the two generations run side by side
        java.util.concurrent.CompletableFuture<DatasetStats> remote = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return fill(admin(false).withDatabase(BASE), scale, extension);
            } catch (SQLException e) {
                throw new IllegalStateException("could not generate the target's data: " + e.getMessage(), e);
            }
        });
        DatasetStats stats = fill(admin(true).withDatabase(BASE), scale, extension);
        remote.join();
        boolean older = scenarios.stream().anyMatch(s -> s != Scenario.BIDIRECTIONAL);
        int changed = 0;
        int bidiLocal = 0;
        int bidiRemote = 0;
        recordBase(BASE, BASE);
        if (older) {
            changed = change(true, NEWER, ArchonDataset.DEFAULT_SEED + 1, fraction, -1);
        }
        if (scenarios.contains(Scenario.NOCHANGE)) {
            createDatabase(true, SYNCED, NEWER);
            createDatabase(false, SAME, BASE);
            recordBase(SYNCED, SAME);
            vacuum(admin(true).withDatabase(SYNCED));
            vacuum(admin(false).withDatabase(SAME));
        }
        if (scenarios.contains(Scenario.BIDIRECTIONAL)) {
            // A merge needs a base: both sides start equal and a one-way sync records it, as a user's last sync would.
            createDatabase(true, BIDI, BASE);
            createDatabase(false, BIDI, BASE);
            recordBase(BIDI, BIDI);
            bidiLocal = applyChange(true, BIDI, ArchonDataset.DEFAULT_SEED + 2, fraction / 2, 0);
            bidiRemote = applyChange(false, BIDI, ArchonDataset.DEFAULT_SEED + 3, fraction / 2, 1);
        }
        return new Prepared(stats, changed, bidiLocal, bidiRemote);
    }

    private int change(boolean onSource, String db, long seed, double fraction, int partition) throws SQLException {
        createDatabase(onSource, db, BASE);
        return applyChange(onSource, db, seed, fraction, partition);
    }

    /**
     * A one-way changes-only sync from {@code sourceDb} to {@code targetDb}: it records the base on
     * both (the merge base, and the row hashes a later sync reuses).
     */
    private void recordBase(String sourceDb, String targetDb) {
        SyncResult r = new SyncEngine(new Database(admin(true).withDatabase(sourceDb)), new Database(admin(false).withDatabase(targetDb)))
                .sync(SyncRequest.of(Direction.LOCAL_TO_REMOTE).withBackup(false, SyncRequest.DEFAULT_BACKUP_DIR),
                        SyncControl.create(), SyncListener.NONE);
        if (!r.completed()) {
            throw new IllegalStateException("could not record the base: " + r.errorMessage());
        }
    }

    private int applyChange(boolean onSource, String db, long seed, double fraction, int partition) throws SQLException {
        DatabaseConfig config = admin(onSource).withDatabase(db);
        int touched;
        try (Connection c = new Database(config).open(PURPOSE)) {
            touched = ArchonDataset.change(c, seed, fraction, partition);
        }
        vacuum(config);
        return touched;
    }

    private static DatasetStats fill(DatabaseConfig config, Scale scale, String extension) throws SQLException {
        try (Connection c = new Database(config.withDatabase("postgres")).open(PURPOSE)) {
            Sql.execute(c, "CREATE DATABASE " + config.database());
        }
        Database db = new Database(config);
        try (Connection c = db.open(PURPOSE)) {
            if (extension != null) {
                Sql.execute(c, "CREATE EXTENSION IF NOT EXISTS " + extension);
            }
            ArchonDataset.createSchema(c);
            new Migrator().migrate(db);
            DatasetStats stats = ArchonDataset.generate(c, scale);
            Sql.execute(c, "VACUUM ANALYZE " + BenchTables.qualifiedList());
            return stats;
        }
    }

    private static void vacuum(DatabaseConfig config) throws SQLException {
        try (Connection c = new Database(config).open(PURPOSE)) {
            Sql.execute(c, "VACUUM ANALYZE " + BenchTables.qualifiedList());
        }
    }

    /** Recreates {@value #DB} on the target (and on the source when the scenario writes it) from the scenario's templates. */
    void reset(Scenario scenario, boolean source) throws SQLException {
        if (source) {
            recreate(true, scenario.sourceTemplate());
        }
        recreate(false, scenario.targetTemplate());
    }

    private void recreate(boolean onSource, String template) throws SQLException {
        try (Connection c = new Database(admin(onSource)).open(PURPOSE)) {
            Sql.execute(c, "DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
        createDatabase(onSource, DB, template);
        try (Connection c = new Database(admin(onSource).withDatabase(DB)).open(PURPOSE)) {
            Sql.execute(c, "CHECKPOINT");
        }
    }

    private void createDatabase(boolean onSource, String name, String template) throws SQLException {
        try (Connection c = new Database(admin(onSource)).open(PURPOSE)) {
            Sql.execute(c, "CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template + " STRATEGY FILE_COPY"));
        }
    }

    private DatabaseConfig admin(boolean onSource) {
        if (onSource) {
            return source.config(DatabaseRole.LOCAL);
        }
        return localTarget != null ? localTarget.config(DatabaseRole.REMOTE) : linkedTarget.config(DatabaseRole.REMOTE);
    }

    private DatabaseConfig sourceConfig(String db) {
        return admin(true).withDatabase(db);
    }

    DatabaseConfig sourceAdmin() {
        return admin(true);
    }

    /**
     * After a bidirectional run: each side must have taken the other's changes, so neither may still
     * equal its starting template. Returns what is wrong (empty when both sides changed).
     */
    List<String> mergeProblems(Scenario scenario) {
        List<String> problems = new java.util.ArrayList<>();
        if (ContentCheck.differences(admin(true).withDatabase(scenario.sourceTemplate()), source()).isEmpty()) {
            problems.add("the local side still equals its starting content: the remote side's changes were not brought over");
        }
        if (ContentCheck.differences(admin(false).withDatabase(scenario.targetTemplate()), target()).isEmpty()) {
            problems.add("the remote side still equals its starting content: the local side's changes were not brought over");
        }
        return problems;
    }

    DatabaseConfig source() {
        return admin(true).withDatabase(DB);
    }

    DatabaseConfig target() {
        return admin(false).withDatabase(DB);
    }

    /** The settings that matter for bulk loads, as the target reports them (both servers share them). */
    Map<String, String> settings() throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection c = new Database(admin(false)).open(PURPOSE); Statement st = c.createStatement()) {
            for (String name : SHOWN_SETTINGS) {
                try (ResultSet rs = st.executeQuery("SHOW " + name)) {
                    rs.next();
                    m.put(name, rs.getString(1));
                }
            }
        }
        return m;
    }

    /** Rows, bytes (tables + TOAST + indexes; heap + TOAST alone) and indexes of the set in {@code db} on the source. */
    DataSize sourceSize(String db) throws SQLException {
        long rows = 0;
        long total = 0;
        long heap = 0;
        long indexes;
        try (Connection c = new Database(sourceConfig(db)).open(PURPOSE); Statement st = c.createStatement()) {
            for (String t : BenchTables.LOAD_ORDER) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), pg_total_relation_size('public." + t
                        + "'), pg_table_size('public." + t + "') FROM public." + t)) {
                    rs.next();
                    rows += rs.getLong(1);
                    total += rs.getLong(2);
                    heap += rs.getLong(3);
                }
            }
            indexes = Sql.queryLong(c, "SELECT count(*) FROM pg_index WHERE indrelid = ANY (?::regclass[])",
                    c.createArrayOf("text", BenchTables.LOAD_ORDER.stream().map(t -> "public." + t).toArray()));
        }
        return new DataSize(rows, total, heap, indexes);
    }

    @Override
    public void close() {
        try {
            close(source, localTarget, link, linkedTarget);
        } finally {
            try {
                Benchmark.deleteTree(files);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void close(EmbeddedServer source, EmbeddedServer localTarget, LinkNamespace link, NamespaceServer linkedTarget) {
        try {
            if (localTarget != null) {
                localTarget.close();
            }
            if (linkedTarget != null) {
                linkedTarget.close();
            }
        } finally {
            try {
                if (link != null) {
                    link.close();
                }
            } finally {
                source.close();
            }
        }
    }

    /** @param rows rows of the set; @param totalBytes with indexes; @param tableBytes heap and TOAST only; @param indexes on the set */
    record DataSize(long rows, long totalBytes, long tableBytes, long indexes) {
        double totalMb() {
            return totalBytes / 1e6;
        }
    }

    /** @param changed rows the source's changes touched; @param bidiLocal and @param bidiRemote each side's half */
    record Prepared(DatasetStats stats, int changed, int bidiLocal, int bidiRemote) {
    }
}
