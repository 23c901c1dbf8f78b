package dev.archon.sync.engine;

import dev.archon.sync.backup.BackupEntry;
import dev.archon.sync.backup.BackupWriter;
import dev.archon.sync.backup.EntrySink;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;

/**
 * The backup of a changes-only run, taken under the run's locks before anything is written: for a
 * compared table, exactly the target rows the run replaces or deletes ({@link BackupEntry#ROWS}) and
 * the keys of the rows it inserts ({@link BackupEntry#INSERTED_KEYS}); for a table copied in full,
 * its whole content; every table's sequences. Each ROWS entry carries the whole table's content
 * checksum before the run, so a restore proves it brought the table back exactly. A bidirectional
 * run writes one such archive per side.
 */
final class ChangeBackup {
    /**
     * One table of the backup.
     *
     * @param table   the table written (on the database backed up)
     * @param keyed   its key columns
     * @param keys    the keys the run writes, by kind; null when it writes no row of the table one by one
     * @param full    whether the run replaces the whole table
     * @param before  the table's content checksum before the run when the run's hashes give it, else null
     */
    record Table(TableInfo table, KeyedTable keyed, KeyFiles keys, boolean full, String before) {
        boolean changed() {
            return keys != null;
        }
    }

    private ChangeBackup() {
    }

    /** The backup of a changes-only run's target, named after the run. */
    static void write(Connection tgt, ChangeScan scan, SyncRequest request, String label, RunContext run)
            throws SQLException, IOException {
        List<Table> tables = scan.tables().stream().map(t -> new Table(t.target(), scan.keyed(t),
                scan.isChanged(t) ? scan.keys(t) : null, scan.isFull(t), sameColumns(t) ? scan.targetDigest(t) : null)).toList();
        write(tgt, tables, request, label, run.syncId, run);
    }

    /** Whether the hashes, made from the source's columns, give the target table's own content checksum (binary form). */
    static boolean sameColumns(TablePlan t) {
        return t.binary() && t.targetHashesLikeSource(true);
    }

    /** The archive {@code name} of these tables of the database {@code label}. */
    static java.nio.file.Path write(Connection tgt, List<Table> tables, SyncRequest request, String label, String name,
                                    RunContext run) throws SQLException, IOException {
        return TargetBackup.write(tgt, request.backupDir(), request.keepBackups(), label, run, name, writer -> {
            for (int i = 0; i < tables.size(); i++) {
                Table t = tables.get(i);
                if (t.full()) {
                    TargetBackup.wholeTable(writer, tgt, t.table(), run);
                } else {
                    if (t.changed()) {
                        run.checkCancelled();
                        run.progress.table(t.table().name().toString());
                        replacedRows(writer, tgt, t, i);
                        insertedKeys(writer, t);
                    }
                    TargetBackup.sequences(writer, tgt, t.table());
                }
                run.progress.phaseFraction((double) (i + 1) / tables.size());
            }
        });
    }

    private static void replacedRows(BackupWriter writer, Connection tgt, Table t, int index) throws SQLException, IOException {
        TableInfo table = t.table();
        KeyedTable keyed = t.keyed();
        String keyTable = "archon_sync_backup_" + index;
        Sql.execute(tgt, keyed.createKeyTableSql(keyTable));
        try (InputStream in = t.keys().open(ChangeKind.UPDATE, ChangeKind.DELETE)) {
            tgt.unwrap(PGConnection.class).getCopyAPI().copyIn(keyed.copyKeysInSql(keyTable), in);
        }
        boolean binary = table.copiedColumns().stream().allMatch(Column::binaryOk);
        List<String> columns = TableCopier.copiedColumns(table);
        String sql = "COPY (SELECT " + columns.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "))
                + " FROM ONLY " + table.name().quoted() + " AS t JOIN " + Sql.ident(keyTable) + " AS k ON "
                + keyed.keyJoin("t", "k") + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
        String before = t.before() != null ? t.before() : ContentChecksum.compute(tgt, table, true).digest();
        try (EntrySink sink = writer.openEntry(table.name().schema(), table.name().name(), binary ? "binary" : "text", columns,
                BackupEntry.ROWS, keyed.keyColumns())) {
            long rows = TableCopier.copyOut(tgt, sql, sink.stream());
            sink.complete(rows, before);
        }
        Sql.execute(tgt, "DROP TABLE " + Sql.ident(keyTable));
    }

    private static void insertedKeys(BackupWriter writer, Table t) throws IOException {
        KeyedTable keyed = t.keyed();
        List<String> keyColumns = IntStream.range(0, keyed.keyColumns().size()).mapToObj(i -> "k" + i).toList();
        try (EntrySink sink = writer.openEntry(t.table().name().schema(), t.table().name().name(), "text", keyColumns,
                BackupEntry.INSERTED_KEYS, keyed.keyColumns());
             InputStream in = t.keys().open(ChangeKind.INSERT)) {
            in.transferTo(sink.stream());
            sink.complete(t.keys().count(ChangeKind.INSERT), null);
        }
    }
}
