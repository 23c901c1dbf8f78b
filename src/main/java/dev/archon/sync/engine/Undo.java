package dev.archon.sync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.schema.CatalogReader;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import dev.archon.sync.verify.ContentChecksum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds what an undo restores, and refuses when the target changed since the run it undoes. */
final class Undo {
    /** The run to undo: where it wrote, its backup, and what it left (verification_results). */
    record Target(String syncId, DatabaseRole role, Path backupFile, JsonNode verification) {
    }

    private Undo() {
    }

    static Target find(Database local, Database remote, String syncId) {
        if (!SyncIds.valid(syncId)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "'" + syncId + "' is not a sync id (sync_YYYYMMDD_HHMMSS_xxxx)");
        }
        for (Database db : List.of(local, remote)) {
            try (Connection c = db.open("archon-sync undo");
                 PreparedStatement ps = c.prepareStatement("SELECT status, target_db, backup_file_path, verification_results::text"
                         + " FROM public.archon_sync_history WHERE sync_id = ? AND target_db = ?")) {
                ps.setString(1, syncId);
                ps.setString(2, db.label());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return check(syncId, db, rs.getString(1), rs.getString(3), rs.getString(4));
                    }
                }
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw ArchonSyncException.database(ErrorCode.CONNECTION_FAILED, "could not read the " + db.label()
                            + " database's history", e);
                }
            }
        }
        throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "no run " + syncId + " in either database's history");
    }

    private static Target check(String syncId, Database db, String status, String backup, String verification) {
        if (!"completed".equals(status)) {
            throw new ArchonSyncException(ErrorCode.REFUSED, syncId + " is " + status + ": only a completed run changed the "
                    + db.label() + " database (a failed or cancelled one was rolled back); nothing to undo");
        }
        if (backup == null || !Files.isRegularFile(Path.of(backup))) {
            throw new ArchonSyncException(ErrorCode.REFUSED, syncId + " cannot be undone: "
                    + (backup == null ? "it ran with --no-backup" : "its backup " + backup + " no longer exists"));
        }
        try {
            return new Target(syncId, db.config().role(), Path.of(backup), Json.MAPPER.readTree(verification));
        } catch (java.io.IOException e) {
            throw new ArchonSyncException(ErrorCode.REFUSED, syncId + "'s verification_results cannot be read: " + e.getMessage(), e);
        }
    }

    /** REFUSED when any table the run wrote no longer has the content the run left. */
    static void refuseIfChanged(Database db, Target run) {
        List<String> changed = new ArrayList<>();
        try (Connection c = db.open("archon-sync undo check")) {
            SessionSettings.apply(c);
            Map<TableName, TableInfo> catalog = CatalogReader.read(c, TableSelector.SCHEMA);
            for (JsonNode t : run.verification().path("tables")) {
                String name = t.path("table_name").asText();
                TableInfo info = catalog.get(new TableName(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1)));
                if (info == null) {
                    changed.add(name + " (dropped)");
                    continue;
                }
                String now = ContentChecksum.compute(c, info, t.path("binary").asBoolean()).digest();
                if (!now.equals(t.path("target_checksum").asText())) {
                    changed.add(name);
                }
            }
        } catch (SQLException e) {
            throw ArchonSyncException.database(ErrorCode.CONNECTION_FAILED, "could not check the " + db.label() + " database", e);
        }
        if (!changed.isEmpty()) {
            throw new TargetChangedException(db.label(), run.syncId(), changed);
        }
    }
}
