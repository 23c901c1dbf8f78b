package dev.archon.sync.testing;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.EmbeddedServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Embedded PostgreSQL 15 and 17 servers shared by all tests of one JVM (started on first use,
 * stopped at exit). Each test gets fresh databases on them, so tests do not see each other's data.
 */
public final class TestServers {
    /** A PostgreSQL major version the tests run against. */
    public enum Version {
        PG15, PG17
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedServer pg15;
    private static EmbeddedServer pg17;

    private TestServers() {
    }

    public static List<Version> versions() {
        return List.of(Version.PG15, Version.PG17);
    }

    public static synchronized EmbeddedServer server(Version v) {
        if (v == Version.PG15) {
            if (pg15 == null) {
                pg15 = register(EmbeddedServer.start());
            }
            return pg15;
        }
        if (pg17 == null) {
            pg17 = register(EmbeddedServer.startPostgres17());
        }
        return pg17;
    }

    private static EmbeddedServer register(EmbeddedServer s) {
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        return s;
    }

    /** A new empty database on the server, owned by the superuser, seen as {@code role}. */
    public static Database freshDatabase(Version v, DatabaseRole role) {
        return freshDatabase(v, role, "postgres", "postgres", null);
    }

    /** A new empty database owned by {@code owner}, to which the tests log in as {@code user}. */
    public static Database freshDatabase(Version v, DatabaseRole role, String owner, String user, String password) {
        EmbeddedServer s = server(v);
        String name = "t" + COUNTER.incrementAndGet() + "_" + role.label();
        try (Connection c = new Database(s.config(role)).open("archon-sync tests")) {
            Sql.execute(c, "CREATE DATABASE " + Sql.ident(name) + " OWNER " + Sql.ident(owner));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        synchronized (TestServers.class) {
            created.add(new Created(s, name));
        }
        return new Database(s.config(role, name, user, password));
    }

    private record Created(EmbeddedServer server, String name) {
    }

    private static final List<Created> created = new ArrayList<>();

    /**
     * Drops the databases made since the last call ({@link DropTestDatabases} calls it after each test class).
     * Kept, the ~1,000 databases of a full test run made the servers' data directories several GB, which
     * the embedded servers' exit hooks could not delete within surefire's 30 s: the fork was killed and the
     * rest was left in /tmp.
     */
    public static void dropCreated() {
        List<Created> drop;
        synchronized (TestServers.class) {
            drop = new ArrayList<>(created);
            created.clear();
        }
        for (Created d : drop) {
            try (Connection c = new Database(d.server().config(DatabaseRole.LOCAL)).open("archon-sync tests")) {
                Sql.execute(c, "DROP DATABASE IF EXISTS " + Sql.ident(d.name()) + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("TestServers: could not drop the test database " + d.name() + ": " + e.getMessage());
            }
        }
    }

    /** The superuser's settings for a database of the same server. */
    public static DatabaseConfig asSuperuser(Database db) {
        return db.config().withCredentials("postgres", null);
    }

    /** Runs SQL as the superuser on the database. */
    public static void superuser(Database db, String sql) {
        try (Connection c = new Database(asSuperuser(db)).open("archon-sync tests")) {
            Sql.execute(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
