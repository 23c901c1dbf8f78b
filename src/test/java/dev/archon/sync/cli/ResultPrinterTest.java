package dev.archon.sync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.SyncResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {
    private static String print(SyncResult r) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            ResultPrinter.print(out, r);
        }
        return text.toString();
    }

    @Test
    void aMergeNamesEachSidesArchiveOnceAndSaysWhereNoneWasNeeded() {
        String text = print(new SyncResult("sync_x", Direction.BIDIRECTIONAL, "completed", 0, null, List.of(), List.of(),
                "/b/sync_x_remote.archon-backup", Map.of("backup", true, "backup_remote", "/b/sync_x_remote.archon-backup")));
        assertTrue(text.contains("  backup of local: none (nothing written there)\n"), text);
        assertTrue(text.contains("  backup of remote: /b/sync_x_remote.archon-backup\n"), text);
        assertEquals(1, text.split("sync_x_remote.archon-backup", -1).length - 1, "listed once, not again among the metrics: " + text);
    }

    @Test
    void aRolledBackMergeSaysBothDatabasesAreUnchanged() {
        String text = print(new SyncResult("sync_x", Direction.BIDIRECTIONAL, "failed", 7, "1 conflict", List.of(), List.of(),
                null, Map.of("backup", true)));
        assertTrue(text.contains("rolled back on both databases, nothing was changed"), text);
        assertTrue(text.contains("both databases still hold what they held"), text);
        assertFalse(text.contains("the target"), text);
    }
}
