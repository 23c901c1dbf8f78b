package dev.archon.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.schema.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableSelectorTest {
    private static final List<TableName> AVAILABLE = List.of("archon_settings", "archon_sources", "archon_tasks",
            "archon_task_history", "archon_sync_history", "archon_mcp_sessions", "archon_mcp_requests", "archon_migrations",
            "other_notes", "archon_MixedCase Table").stream().map(n -> new TableName("public", n)).toList();

    private static List<String> names(List<TableName> tables) {
        return tables.stream().map(TableName::name).toList();
    }

    @Test
    void defaultSetIsEveryArchonTableButTheLogSessionsAndMigrations() {
        assertEquals(List.of("archon_MixedCase Table", "archon_settings", "archon_sources", "archon_task_history", "archon_tasks"),
                names(TableSelector.select(AVAILABLE, List.of(), List.of())));
    }

    @Test
    void globsAndExactNamesIncludeAndExclude() {
        assertEquals(List.of("archon_task_history", "archon_tasks"),
                names(TableSelector.select(AVAILABLE, List.of("archon_task*"), List.of())));
        assertEquals(List.of("archon_tasks", "other_notes"),
                names(TableSelector.select(AVAILABLE, List.of("public.archon_tasks", "other_notes"), List.of())));
        assertEquals(List.of("archon_MixedCase Table", "archon_settings", "archon_sources"),
                names(TableSelector.select(AVAILABLE, List.of(), List.of("archon_task?*"))));
    }

    @Test
    void unknownNamesAndTheLogAreRefusedClearly() {
        ArchonSyncException unknown = assertThrows(ArchonSyncException.class,
                () -> TableSelector.select(AVAILABLE, List.of("archon_nope"), List.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, unknown.code());
        assertTrue(unknown.getMessage().contains("archon-sync tables"), unknown.getMessage());
        ArchonSyncException log = assertThrows(ArchonSyncException.class,
                () -> TableSelector.select(AVAILABLE, List.of("archon_sync_history"), List.of()));
        assertTrue(log.getMessage().contains("never synced"), log.getMessage());
    }
}
