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
     * @param index a number unique in the transaction, naming its temporary tables
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
        String keyTable = tag + "_delete";
        loadKeys(target, keyTable, keys, ChangeKind.DELETE);
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
        String stage = tag + "_stage";
        loadKeys(source, keyTable, keys, ChangeKind.INSERT, ChangeKind.UPDATE);
        List<String> columns = TableCopier.copiedColumns(sourceTable.table());
        String list = TableCopier.columnList(columns);
        update("CREATE TEMP TABLE " + Sql.ident(stage) + " ON COMMIT DROP AS SELECT " + list + " FROM ONLY "
                + targetTable.name().quoted() + " WITH NO DATA");
        String out = "COPY (SELECT " + columns.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "))
                + " FROM ONLY " + sourceTable.table().name().quoted() + " AS t JOIN " + Sql.ident(keyTable) + " AS k ON "
                + sourceTable.keyJoin("t", "k") + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
        String in = "COPY " + Sql.ident(stage) + " (" + list + ") FROM STDIN" + (binary ? " (FORMAT binary)" : "");
        long staged = stream(out, in, bytes);
        check(staged, inserts + updates, "read from the source");
        long updated = 0;
        List<String> set = targetTable.copiedColumns().stream().map(Column::name)
                .filter(c -> !sourceTable.keyColumns().contains(c)).toList();
        if (updates > 0 && !set.isEmpty()) {
            updated = update("UPDATE ONLY " + targetTable.name().quoted() + " AS t SET " + set.stream()
                    .map(c -> Sql.ident(c) + " = s." + Sql.ident(c)).collect(Collectors.joining(", ")) + " FROM "
                    + Sql.ident(stage) + " AS s WHERE " + sourceTable.sameKey("t", "s"));
            check(updated, updates, "updated");
        }
        boolean identity = targetTable.columns().stream().anyMatch(Column::identity);
        long inserted = update("INSERT INTO " + targetTable.name().quoted() + " (" + list + ")"
                + (identity ? " OVERRIDING SYSTEM VALUE" : "") + " SELECT " + columns.stream().map(c -> "s." + Sql.ident(c))
                .collect(Collectors.joining(", ")) + " FROM " + Sql.ident(stage) + " AS s WHERE NOT EXISTS (SELECT 1 FROM ONLY "
                + targetTable.name().quoted() + " AS t WHERE " + sourceTable.sameKey("t", "s") + ")");
        check(inserted, inserts, "inserted");
        update("DROP TABLE " + Sql.ident(stage));
        return new long[] {inserted, updated};
    }

    private void loadKeys(Connection c, String keyTable, KeyFiles keys, ChangeKind... kinds) throws SQLException, IOException {
        update(c, sourceTable.createKeyTableSql(keyTable));
        try (InputStream in = keys.open(kinds)) {
            manager(c).copyIn(sourceTable.copyKeysInSql(keyTable), in);
        }
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
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
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
        if (actual != expected) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, targetTable.name() + ": " + actual + " rows " + what
                    + " where the comparison expected " + expected + " (a row changed during the run?); rolled back, the"
                    + " target is unchanged");
        }
    }

    private static CopyManager manager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
