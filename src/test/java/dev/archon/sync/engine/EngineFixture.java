package dev.archon.sync.engine;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Two fresh migrated databases and helpers to load fixtures and read content independently of the engine. */
final class EngineFixture {
    final Database local;
    final Database remote;
    final SyncEngine engine;
    final Path backups;

    EngineFixture(Version localVersion, Version remoteVersion, Path backups) {
        this.local = TestServers.freshDatabase(localVersion, DatabaseRole.LOCAL);
        this.remote = TestServers.freshDatabase(remoteVersion, DatabaseRole.REMOTE);
        new Migrator().migrate(local);
        new Migrator().migrate(remote);
        this.engine = new SyncEngine(local, remote);
        this.backups = backups;
    }

    static String resource(String name) {
        try (InputStream in = EngineFixture.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sql(Database db, String sql) {
        try (Connection c = db.open("test")) {
            Sql.execute(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static long count(Database db, String sql) {
        try (Connection c = db.open("test")) {
            return Sql.queryLong(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String string(Database db, String sql) {
        try (Connection c = db.open("test")) {
            return Sql.queryString(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Per archon_* table (history excluded): row count and md5 of the sorted rows' text, sequences' values. */
    static Map<String, String> content(Database db) {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.open("test")) {
            SessionSettings.apply(c);
            List<String> tables = Sql.queryStrings(c, "SELECT quote_ident(relname) FROM pg_class WHERE relkind = 'r'"
                    + " AND relnamespace = 'public'::regnamespace AND relname LIKE 'archon%' AND relname NOT IN ('archon_sync_history', 'archon_migrations')"
                    + " AND relname NOT IN ('archon_sync_identity', 'archon_sync_base', 'archon_sync_base_tables')");
            for (String t : tables) {
                out.put(t, Sql.queryString(c, "SELECT count(*) || ':' || coalesce(md5(string_agg(x.r, '|' ORDER BY x.r)), '')"
                        + " FROM (SELECT t::text AS r FROM public." + t + " t) x"));
            }
            for (String s : Sql.queryStrings(c, "SELECT quote_ident(relname) FROM pg_class WHERE relkind = 'S'"
                    + " AND relnamespace = 'public'::regnamespace AND relname LIKE 'archon%' AND relname NOT LIKE 'archon_sync_history%'")) {
                out.put("sequence " + s, Sql.queryString(c, "SELECT last_value || ':' || is_called FROM public." + s));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /** The history row of a run as text fields. */
    static Map<String, String> historyRow(Database db, String syncId) {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.open("test"); var ps = c.prepareStatement("SELECT * FROM archon_sync_history WHERE sync_id = ?")) {
            ps.setString(1, syncId);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        out.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return out;
    }

    /** No advisory lock of archon-sync and no archon-sync data backend left on the database. */
    static boolean noLocksLeft(Database db) {
        for (int i = 0; i < 50; i++) { // a terminated backend takes a moment to go away
            if (sessionsLeft(db) == 0) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return false;
    }

    private static long sessionsLeft(Database db) {
        return count(db, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE a.application_name LIKE 'archon-sync%' AND a.pid <> pg_backend_pid()"
                + " AND a.datname = current_database()");
    }

    SyncRequest request(Direction direction) {
        return SyncRequest.of(direction).withBackup(true, backups);
    }

    /** One directory per test JVM for the tests' backup directories, deleted with them when the JVM exits. */
    private static Path tempRoot;

    static synchronized Path tempDir() {
        try {
            if (tempRoot == null) {
                tempRoot = Files.createTempDirectory("archon-sync-tests");
                Path root = tempRoot;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            }
            return Files.createTempDirectory(tempRoot, "backups");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a test's scratch files: what cannot be deleted stays in the temporary directory
        }
    }
}
