package dev.archon.sync.bench;

import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The floor of a changes-only sync: the target applies exactly the rows that differ, known in
 * advance, with no comparison and no client in between. Once per scenario and not timed, the
 * harness compares every row's md5 by primary key on both sides and has the source server write
 * the rows to insert or update with {@code COPY (SELECT ...) TO 'file'}. Timed, in one target
 * transaction with every index and foreign key in place: user triggers disabled, DELETE of the
 * keys gone from the source (children first), then per table in foreign-key order a server-side
 * {@code COPY} of the file into a temporary table, an UPDATE of the rows that exist and an INSERT
 * of the others, triggers re-enabled, COMMIT.
 */
final class DeltaFloorContender implements Contender {
    private final Map<String, List<String>> deletes = new HashMap<>();
    private final Map<String, Integer> upserts = new HashMap<>();
    private Map<String, BenchTables.Shape> shapes;
    private Path files;

    @Override
    public String name() {
        return "floor (apply known changes)";
    }

    @Override
    public String unavailable() {
        return null;
    }

    /** Computes the difference of the current source and target and writes the changed rows' files (not timed). */
    void prepare(DatabaseConfig source, DatabaseConfig target, Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        deletes.clear();
        upserts.clear();
        try (Connection s = new Database(source).open("archon-sync bench delta"); Connection t = new Database(target).open("archon-sync bench delta")) {
            shapes = BenchTables.shapes(s);
            for (BenchTables.Shape shape : shapes.values()) {
                Map<String, String> src = hashes(s, shape);
                Map<String, String> tgt = hashes(t, shape);
                deletes.put(shape.table(), tgt.keySet().stream().filter(k -> !src.containsKey(k)).toList());
                List<String> changed = src.entrySet().stream().filter(e -> !e.getValue().equals(tgt.get(e.getKey())))
                        .map(Map.Entry::getKey).toList();
                upserts.put(shape.table(), changed.size());
                // COPY takes no parameters: the keys go through a temporary table
                Sql.execute(s, "CREATE TEMP TABLE IF NOT EXISTS bench_keys (k text)");
                Sql.execute(s, "TRUNCATE bench_keys");
                Sql.update(s, "INSERT INTO bench_keys SELECT unnest(?::text[])", s.createArrayOf("text", changed.toArray()));
                Sql.execute(s, "COPY (SELECT " + shape.columnList() + " FROM public." + shape.table() + " WHERE " + shape.key()
                        + " IN (SELECT k::" + shape.keyType() + " FROM bench_keys)) TO " + Sql.literal(file(dir, shape.table()))
                        + " (FORMAT binary)");
            }
        }
        this.files = dir;
    }

    private static Map<String, String> hashes(Connection c, BenchTables.Shape shape) throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT " + shape.key() + "::text, md5(t::text) FROM public."
                + shape.table() + " t")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    private static String file(Path dir, String table) {
        return dir.resolve(table + ".delta").toAbsolutePath().toString();
    }

    /** Rows the floor deletes and writes, over the set. */
    long changedRows() {
        return deletes.values().stream().mapToLong(List::size).sum() + upserts.values().stream().mapToLong(i -> i).sum();
    }

    @Override
    public Measurement run(BenchServers servers, Path scratch) throws SQLException {
        if (files == null) {
            throw new IllegalStateException("the delta files were not written");
        }
        long start = System.nanoTime();
        try (Connection c = new Database(servers.target()).open("archon-sync bench delta floor")) {
            c.setAutoCommit(false);
            for (String t : BenchTables.LOAD_ORDER) {
                Sql.execute(c, "ALTER TABLE public." + t + " DISABLE TRIGGER USER");
            }
            List<String> reverse = new ArrayList<>(BenchTables.LOAD_ORDER);
            java.util.Collections.reverse(reverse);
            for (String t : reverse) {
                BenchTables.Shape s = shapes.get(t);
                if (!deletes.get(t).isEmpty()) {
                    Sql.update(c, "DELETE FROM public." + t + " WHERE " + s.key() + " = ANY (?::" + s.keyType() + "[])",
                            c.createArrayOf("text", deletes.get(t).toArray()));
                }
            }
            for (BenchTables.Shape s : shapes.values()) {
                if (upserts.get(s.table()) > 0) {
                    upsert(c, s);
                }
            }
            for (String t : BenchTables.LOAD_ORDER) {
                Sql.execute(c, "ALTER TABLE public." + t + " ENABLE TRIGGER USER");
            }
            c.commit();
        }
        return new Measurement((System.nanoTime() - start) / 1_000_000, -1, Map.of("rows_deleted_or_written", changedRows()));
    }

    private void upsert(Connection c, BenchTables.Shape s) throws SQLException {
        String temp = "delta_" + s.table();
        String set = s.columns().stream().filter(col -> !col.equals(s.key())).map(col -> col + " = d." + col)
                .collect(Collectors.joining(", "));
        Sql.execute(c, "CREATE TEMP TABLE " + temp + " ON COMMIT DROP AS SELECT " + s.columnList() + " FROM public." + s.table() + " WHERE false");
        Sql.execute(c, "COPY " + temp + " FROM " + Sql.literal(file(files, s.table())) + " (FORMAT binary)");
        Sql.execute(c, "UPDATE public." + s.table() + " t SET " + set + " FROM " + temp + " d WHERE t." + s.key() + " = d." + s.key());
        Sql.execute(c, "INSERT INTO public." + s.table() + " (" + s.columnList() + ") SELECT " + s.columnList() + " FROM " + temp
                + " d WHERE NOT EXISTS (SELECT 1 FROM public." + s.table() + " x WHERE x." + s.key() + " = d." + s.key() + ")");
    }
}
