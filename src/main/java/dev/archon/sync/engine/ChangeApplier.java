package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.copy.CopyPump;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Sql;
import dev.archon.sync.delta.ChangeKind;
import dev.archon.sync.delta.KeyedTable;
import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.verify.ContentChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Applies one table's changes inside the target's transaction with a fixed number of statements
 * whatever the number of changed rows: deletes through a temporary key table; the new and changed
 * rows streamed from the source (selected by a temporary key table there) into a staging table,
 * then one UPDATE and one INSERT. Each statement's row count is checked against the diff: a
 * difference means the target changed under us, and the run fails (rolled back).
 */
final class ChangeApplier {
    private final Connection source;
    private final Connection target;
    private final KeyedTable sourceTable;
    private final TableInfo targetTable;
    private final boolean binary;
    private final String tag;
    int statements;

    /**
     * @param source the connection rows are read from (in the source snapshot); null when they come from a backup
     * @param index  a number unique in the transaction, naming its temporary tables
     */
    ChangeApplier(Connection source, Connection target, KeyedTable sourceTable, TableInfo targetTable, boolean binary, int index) {
        this.source = source;
        this.target = target;
        this.sourceTable = sourceTable;
        this.targetTable = targetTable;
        this.binary = binary;
        this.tag = "archon_sync_" + index;
    }

    /** Deletes the keys of kind DELETE; returns the rows deleted. */
    long delete(KeyFiles keys) throws SQLException, IOException {
        long expected = keys.count(ChangeKind.DELETE);
        if (expected == 0) {
            return 0;
        }
        try (InputStream in = keys.open(ChangeKind.DELETE)) {
            return deleteKeys(in, expected);
        }
    }

    /** Deletes the rows whose keys the stream holds (COPY text); checks the count unless {@code expected} < 0. */
    long deleteKeys(InputStream keys, long expected) throws SQLException, IOException {
        String keyTable = tag + "_delete";
        loadKeys(target, keyTable, keys);
        int n = update("DELETE FROM ONLY " + targetTable.name().quoted() + " AS t USING " + Sql.ident(keyTable) + " AS k WHERE "
                + sourceTable.keyJoin("t", "k"));
        check(n, expected, "deleted");
        return n;
    }

    /** Brings the rows of kinds INSERT and UPDATE from the source; returns {inserted, updated}. */
    long[] upsert(KeyFiles keys, AtomicLong bytes) throws SQLException, IOException {
        long inserts = keys.count(ChangeKind.INSERT);
        long updates = keys.count(ChangeKind.UPDATE);
        if (inserts + updates == 0) {
            return new long[] {0, 0};
        }
        String keyTable = tag + "_keys";
        try (InputStream in = keys.open(ChangeKind.INSERT, ChangeKind.UPDATE)) {
            loadKeys(source, keyTable, in);
        }
        List<String> columns = TableCopier.copiedColumns(sourceTable.table());
        createStage();
        String out = "COPY (SELECT " + columns.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "))
                + " FROM ONLY " + sourceTable.table().name().quoted() + " AS t JOIN " + Sql.ident(keyTable) + " AS k ON "
                + sourceTable.keyJoin("t", "k") + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
        long staged = stream(out, stageCopySql(columns, binary), bytes);
        check(staged, inserts + updates, "read from the source");
        return mergeStage(columns, inserts, updates, true);
    }

    /**
     * Puts the rows of a COPY stream (a backup entry) back: existing keys updated, missing ones
     * inserted; then the target server's checksum of the rows now at those keys must equal the
     * checksum of the rows read (VERIFICATION_FAILED otherwise).
     */
    long[] upsertFrom(InputStream rows, List<String> columns, boolean rowsBinary, AtomicLong bytes) throws SQLException, IOException {
        createStage();
        long staged = manager(target).copyIn(stageCopySql(columns, rowsBinary), new CountingInput(rows, bytes));
        statements++;
        String stage = Sql.ident(tag + "_stage");
        ContentChecksum.Value read = ContentChecksum.computeFrom(target, targetTable, true, stage + " AS t");
        long[] iu = mergeStage(columns, -1, -1, false);
        ContentChecksum.Value now = ContentChecksum.computeOver(target, targetTable, true, "JOIN " + stage + " AS s ON "
                + sourceTable.sameKey("t", "s"));
        update("DROP TABLE " + stage);
        check(iu[0] + iu[1], staged, "restored");
        if (!read.digest().equals(now.digest())) {
            throw new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "verification failed: the rows restored into "
                    + targetTable.name() + " differ from the backup's; rolled back, the target is unchanged");
        }
        return iu;
    }

    /**
     * After the apply, the target server's checksum of the rows at the inserted and updated keys, and
     * how many rows are left at the deleted keys (0 when right). Two statements after the key table.
     */
    ContentChecksum.Value writtenChecksum(KeyFiles keys, long[] leftAtDeletedKeys) throws SQLException, IOException {
        String keyTable = tag + "_written";
        try (InputStream in = keys.open(ChangeKind.INSERT, ChangeKind.UPDATE)) {
            loadKeys(target, keyTable, in);
        }
        statements++;
        ContentChecksum.Value v = ContentChecksum.computeOver(target, sourceTable.table(), binary, "JOIN " + Sql.ident(keyTable)
                + " AS k ON " + sourceTable.keyJoin("t", "k"));
        leftAtDeletedKeys[0] = 0;
        if (keys.count(ChangeKind.DELETE) > 0) {
            statements++;
            leftAtDeletedKeys[0] = Sql.queryLong(target, "SELECT count(*) FROM ONLY " + targetTable.name().quoted() + " AS t JOIN "
                    + Sql.ident(tag + "_delete") + " AS k ON " + sourceTable.keyJoin("t", "k"));
        }
        return v;
    }

    private void createStage() throws SQLException {
        update("CREATE TEMP TABLE " + Sql.ident(tag + "_stage") + " ON COMMIT DROP AS SELECT "
                + TableCopier.columnList(TableCopier.copiedColumns(targetTable)) + " FROM ONLY " + targetTable.name().quoted()
                + " WITH NO DATA");
    }

    private String stageCopySql(List<String> columns, boolean copyBinary) {
        return "COPY " + Sql.ident(tag + "_stage") + " (" + TableCopier.columnList(columns) + ") FROM STDIN"
                + (copyBinary ? " (FORMAT binary)" : "");
    }

    /** UPDATE the keys that exist, INSERT the others; counts checked unless negative. Returns {inserted, updated}. */
    private long[] mergeStage(List<String> columns, long inserts, long updates, boolean drop) throws SQLException {
        String stage = Sql.ident(tag + "_stage");
        long updated = 0;
        List<String> set = columns.stream().filter(c -> !sourceTable.keyColumns().contains(c)).toList();
        if (updates != 0 && !set.isEmpty()) {
            updated = update("UPDATE ONLY " + targetTable.name().quoted() + " AS t SET " + set.stream()
                    .map(c -> Sql.ident(c) + " = s." + Sql.ident(c)).collect(Collectors.joining(", ")) + " FROM "
                    + stage + " AS s WHERE " + sourceTable.sameKey("t", "s"));
            check(updated, updates, "updated");
        }
        boolean identity = targetTable.columns().stream().anyMatch(Column::identity);
        long inserted = update("INSERT INTO " + targetTable.name().quoted() + " (" + TableCopier.columnList(columns) + ")"
                + (identity ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns.stream().map(c -> "s." + Sql.ident(c))
                .collect(Collectors.joining(", ")) + " FROM " + stage + " AS s WHERE NOT EXISTS (SELECT 1 FROM ONLY "
                + targetTable.name().quoted() + " AS t WHERE " + sourceTable.sameKey("t", "s") + ")");
        check(inserted, inserts, "inserted");
        if (drop) {
            update("DROP TABLE " + stage);
        }
        return new long[] {inserted, updated};
    }

    private void loadKeys(Connection c, String keyTable, InputStream keys) throws SQLException, IOException {
        update(c, sourceTable.createKeyTableSql(keyTable));
        manager(c).copyIn(sourceTable.copyKeysInSql(keyTable), keys);
        statements++;
        update(c, "ANALYZE " + Sql.ident(keyTable));
    }

    private long stream(String outSql, String inSql, AtomicLong bytes) throws SQLException, IOException {
        CopyOut out = manager(source).copyOut(outSql);
        CopyIn in;
        try {
            in = manager(target).copyIn(inSql);
        } catch (SQLException e) {
            out.cancelCopy();
            throw e;
        }
        statements += 2;
        try {
            CopyPump.pump(out, (chunk, length) -> in.writeToCopy(chunk, 0, length), bytes, null);
            return in.endCopy();
        } catch (SQLException | IOException | RuntimeException e) {
            TableCopier.cancel(in, e); // a cancel failing on a lost connection must not hide why the copy failed
            throw e;
        }
    }

    private int update(String sql) throws SQLException {
        return update(target, sql);
    }

    private int update(Connection c, String sql) throws SQLException {
        statements++;
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
            return s.getUpdateCount();
        }
    }

    private void check(long actual, long expected, String what) {
        if (expected >= 0 && actual != expected) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, targetTable.name() + ": " + actual + " rows " + what
                    + " where the comparison expected " + expected + " (a row changed during the run?); rolled back, the"
                    + " target is unchanged");
        }
    }

    /** Counts the bytes read into the run's progress. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final AtomicLong bytes;

        CountingInput(InputStream in, AtomicLong bytes) {
            super(in);
            this.bytes = bytes;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytes.addAndGet(n);
            }
            return n;
        }
    }

    private static CopyManager manager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
