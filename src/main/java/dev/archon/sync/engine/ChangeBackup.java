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
 * checksum before the run, so a restore proves it brought the table back exactly.
 */
final class ChangeBackup {
    private ChangeBackup() {
    }

    static void write(Connection tgt, ChangeScan scan, SyncRequest request, String label, RunContext run)
            throws SQLException, IOException {
        List<TablePlan> tables = scan.tables();
        TargetBackup.write(tgt, request.backupDir(), request.keepBackups(), label, run, writer -> {
            for (int i = 0; i < tables.size(); i++) {
                TablePlan t = tables.get(i);
                if (scan.isFull(t)) {
                    TargetBackup.wholeTable(writer, tgt, t.target(), run);
                } else {
                    if (scan.isChanged(t)) {
                        run.checkCancelled();
                        run.progress.table(t.name());
                        replacedRows(writer, tgt, scan, t, i);
                        insertedKeys(writer, scan, t);
                    }
                    TargetBackup.sequences(writer, tgt, t.target());
                }
                run.progress.phaseFraction((double) (i + 1) / tables.size());
            }
        });
    }

    private static void replacedRows(BackupWriter writer, Connection tgt, ChangeScan scan, TablePlan t, int index)
            throws SQLException, IOException {
        TableInfo table = t.target();
        KeyedTable keyed = scan.keyed(t);
        String keyTable = "archon_sync_backup_" + index;
        Sql.execute(tgt, keyed.createKeyTableSql(keyTable));
        try (InputStream in = scan.keys(t).open(ChangeKind.UPDATE, ChangeKind.DELETE)) {
            tgt.unwrap(PGConnection.class).getCopyAPI().copyIn(keyed.copyKeysInSql(keyTable), in);
        }
        boolean binary = table.copiedColumns().stream().allMatch(Column::binaryOk);
        List<String> columns = TableCopier.copiedColumns(table);
        String sql = "COPY (SELECT " + columns.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "))
                + " FROM ONLY " + table.name().quoted() + " AS t JOIN " + Sql.ident(keyTable) + " AS k ON "
                + keyed.keyJoin("t", "k") + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
        boolean sameColumns = t.binary() && columns.equals(TableCopier.copiedColumns(t.source()));
        String before = sameColumns ? scan.targetDigest(t) : ContentChecksum.compute(tgt, table, true).digest();
        try (EntrySink sink = writer.openEntry(table.name().schema(), table.name().name(), binary ? "binary" : "text", columns,
                BackupEntry.ROWS, keyed.keyColumns())) {
            long rows = TableCopier.copyOut(tgt, sql, sink.stream());
            sink.complete(rows, before);
        }
        Sql.execute(tgt, "DROP TABLE " + Sql.ident(keyTable));
    }

    private static void insertedKeys(BackupWriter writer, ChangeScan scan, TablePlan t) throws IOException {
        KeyedTable keyed = scan.keyed(t);
        List<String> keyColumns = IntStream.range(0, keyed.keyColumns().size()).mapToObj(i -> "k" + i).toList();
        try (EntrySink sink = writer.openEntry(t.target().name().schema(), t.target().name().name(), "text", keyColumns,
                BackupEntry.INSERTED_KEYS, keyed.keyColumns());
             InputStream in = scan.keys(t).open(ChangeKind.INSERT)) {
            in.transferTo(sink.stream());
            sink.complete(scan.keys(t).count(ChangeKind.INSERT), null);
        }
    }
}
