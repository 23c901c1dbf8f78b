package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The physical floor: the target server loads files the source server wrote with
 * {@code COPY ... TO 'file' (FORMAT binary)} (written once, not timed), with no client in between.
 * Timed, in one target transaction: TRUNCATE of the set, DROP of its secondary indexes, server-side
 * {@code COPY ... FROM 'file'} per table in foreign-key order (foreign keys checked), the indexes
 * rebuilt with {@value #MAINTENANCE_WORK_MEM} of maintenance_work_mem, COMMIT.
 */
final class FloorContender implements Contender {
    static final String MAINTENANCE_WORK_MEM = "256MB";
    private static final String SECONDARY_INDEXES = "SELECT format('%I', i.relname) AS name, pg_get_indexdef(x.indexrelid)"
            + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
            + " JOIN pg_namespace n ON n.oid = t.relnamespace"
            + " WHERE n.nspname = 'public' AND t.relname = ANY (?) AND NOT EXISTS"
            + " (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)";

    private Path files;

    @Override
    public String name() {
        return "floor (server COPY FROM file)";
    }

    @Override
    public String unavailable() {
        return null;
    }

    /** Has the source server write every table of the set to {@code dir} (once per benchmark). */
    void dumpFiles(DatabaseConfig source, Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (Connection c = new Database(source).open("archon-sync bench floor")) {
            for (String t : BenchTables.LOAD_ORDER) {
                Sql.execute(c, "COPY public." + t + " TO " + Sql.literal(file(dir, t)) + " (FORMAT binary)");
            }
        }
        this.files = dir;
    }

    private static String file(Path dir, String table) {
        return dir.resolve(table + ".bin").toAbsolutePath().toString();
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws SQLException {
        if (files == null) {
            throw new IllegalStateException("the floor's files were not written");
        }
        long start = System.nanoTime();
        long loadMs;
        try (Connection c = new Database(servers.target()).open("archon-sync bench floor")) {
            c.setAutoCommit(false);
            Sql.execute(c, "SET LOCAL maintenance_work_mem = '" + MAINTENANCE_WORK_MEM + "'");
            List<String[]> indexes = secondaryIndexes(c);
            Sql.execute(c, BenchTables.truncateSql());
            for (String[] index : indexes) {
                Sql.execute(c, "DROP INDEX public." + index[0]);
            }
            for (String t : BenchTables.LOAD_ORDER) {
                Sql.execute(c, "COPY public." + t + " FROM " + Sql.literal(file(files, t)) + " (FORMAT binary)");
            }
            loadMs = (System.nanoTime() - start) / 1_000_000;
            for (String[] index : indexes) {
                Sql.execute(c, index[1]);
            }
            c.commit();
        }
        long total = (System.nanoTime() - start) / 1_000_000;
        return new Measurement(total, -1, Map.of("load_ms", loadMs, "index_rebuild_and_commit_ms", total - loadMs));
    }

    private static List<String[]> secondaryIndexes(Connection c) throws SQLException {
        List<String[]> list = new ArrayList<>();
        try (var ps = c.prepareStatement(SECONDARY_INDEXES)) {
            ps.setArray(1, c.createArrayOf("text", BenchTables.LOAD_ORDER.toArray()));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return list;
    }
}
