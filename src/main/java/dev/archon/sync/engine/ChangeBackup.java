package dev.archon.sync.engine;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import dev.archon.sync.schema.TableInfo;

/** The backup of a changes-only run: what the run will replace on the target. */
final class ChangeBackup {
    private ChangeBackup() {
    }

    static void write(Connection tgt, ChangeScan scan, SyncRequest request, String label, RunContext run)
            throws SQLException, IOException {
        List<TableInfo> written = new ArrayList<>();
        for (TablePlan t : scan.tables()) {
            if (scan.isFull(t) || scan.isChanged(t)) {
                written.add(t.target());
            }
        }
        if (!written.isEmpty()) {
            TargetBackup.write(tgt, written, request.backupDir(), request.keepBackups(), label, run);
        }
    }
}
