package dev.archon.sync.server;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncMode;
import dev.archon.sync.engine.SyncRequest;
import java.nio.file.Path;
import java.util.List;

/** The JSON bodies the API accepts; unknown fields are refused by {@link ApiJson}. */
final class Bodies {
    static final int MAX_TABLES = 200;
    static final int MAX_TEXT = 200;

    private Bodies() {
    }

    /** {@code POST /api/database/sync/preflight}. */
    record PreflightBody(String direction, List<String> tables, List<String> exclude, String mode) {
        SyncRequest request(Path backupDir) {
            return new StartBody(direction, tables, exclude, true, null, mode).request(backupDir);
        }
    }

    /** {@code POST /api/database/sync}. */
    record StartBody(String direction, List<String> tables, List<String> exclude, Boolean dryRun, String triggeredBy,
                     String mode) {
        boolean dry() {
            return Boolean.TRUE.equals(dryRun);
        }

        SyncRequest request(Path backupDir) {
            if (direction == null) {
                throw ApiError.badRequest("direction is required: local-to-remote or remote-to-local");
            }
            return SyncRequest.of(Direction.parse(direction))
                    .withTables(names("tables", tables), names("exclude", exclude))
                    .withTriggeredBy(text("triggered_by", triggeredBy, ApiServer.DEFAULT_TRIGGERED_BY))
                    .withBackup(true, backupDir)
                    .withDryRun(dry())
                    .withMode(mode == null ? SyncMode.AUTO : SyncMode.parse(mode));
        }
    }

    /** {@code POST /api/database/sync/{sync_id}/undo}. */
    record UndoBody(Boolean force, String triggeredBy) {
        boolean forced() {
            return Boolean.TRUE.equals(force);
        }

        String by() {
            return text("triggered_by", triggeredBy, ApiServer.DEFAULT_TRIGGERED_BY);
        }
    }

    static List<String> names(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_TABLES) {
            throw ApiError.badRequest(field + " may name at most " + MAX_TABLES + " tables");
        }
        for (String v : values) {
            if (v == null || v.isBlank() || v.length() > MAX_TEXT) {
                throw ApiError.badRequest(field + " must hold non-empty table names or patterns of at most " + MAX_TEXT + " characters");
            }
        }
        return values;
    }

    static String text(String field, String value, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest(field + " must be at most " + MAX_TEXT + " printable characters");
        }
        return value.trim();
    }
}
