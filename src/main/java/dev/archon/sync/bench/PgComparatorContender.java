package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * pg_comparator (Debian {@code postgresql-comparator}) synchronizing the target's tables with the
 * source's, one table after the other in foreign-key order: {@code --synchronize --do-it}, the
 * primary key as key and the stored columns compared. It needs its {@code pgcmp} extension in both
 * databases, which only a superuser can create, and runs as superuser with
 * {@code session_replication_role = replica} (triggers off, as pgcopydb), so it could not run on
 * Supabase at all: the report says so in its name.
 */
final class PgComparatorContender implements Contender {
    static final String EXTENSION = "pgcmp";
    private static final Path DEBIAN_LIB = Path.of("/usr/lib/postgresql/15/lib/pgcmp.so");
    private static final Path DEBIAN_EXTENSION = Path.of("/usr/share/postgresql/15/extension");

    @Override
    public String name() {
        return "pg_comparator (superuser)";
    }

    @Override
    public String unavailable() {
        return available() ? null : "pg_comparator not installed (apt-get install -y postgresql-comparator)";
    }

    static boolean available() {
        return Tools.onPath("pg_comparator") != null && Files.isRegularFile(DEBIAN_LIB);
    }

    /**
     * Copies the Debian package's pgcmp library and extension files into the embedded servers'
     * installation (the one {@code server} runs), so that {@code CREATE EXTENSION pgcmp} works there.
     */
    static void install(DatabaseConfig server) throws SQLException, IOException {
        String lib;
        String share;
        try (Connection c = new Database(server).open("archon-sync bench pgcmp")) {
            lib = Sql.queryString(c, "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'");
            share = Sql.queryString(c, "SELECT setting FROM pg_config WHERE name = 'SHAREDIR'");
        }
        Files.copy(DEBIAN_LIB, Path.of(lib, "pgcmp.so"), StandardCopyOption.REPLACE_EXISTING);
        try (var files = Files.list(DEBIAN_EXTENSION)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("pgcmp")).toList()) {
                Files.copy(f, Path.of(share, "extension", f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws Exception {
        Map<String, BenchTables.Shape> shapes;
        try (Connection c = new Database(servers.source()).open("archon-sync bench pg_comparator")) {
            shapes = BenchTables.shapes(c);
        }
        long start = System.nanoTime();
        for (BenchTables.Shape s : shapes.values()) {
            String spec = "/public." + s.table() + "?" + s.key() + ":"
                    + String.join(",", s.columns().stream().filter(col -> !col.equals(s.key())).toList());
            List<String> command = List.of("pg_comparator", "--synchronize", "--do-it", "--max-ratio=2.0",
                    url(servers.source()) + spec, url(servers.target()) + spec);
            ChildProcess.Result r = ChildProcess.pipeline(List.of(command),
                    Map.of("PGOPTIONS", "-c session_replication_role=replica"), scratch.resolve(s.table()));
            Tools.check(name() + " on " + s.table(), r);
        }
        return new Measurement((System.nanoTime() - start) / 1_000_000, -1, Map.of());
    }

    /** {@code pgsql://user@host:port/db} (trust authentication: no password). */
    private static String url(DatabaseConfig c) {
        String host = c.host().contains(":") ? "[" + c.host() + "]" : c.host();
        return "pgsql://" + c.user() + "@" + host + ":" + c.port() + "/" + c.database();
    }
}
