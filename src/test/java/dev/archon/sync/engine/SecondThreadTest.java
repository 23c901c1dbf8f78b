package dev.archon.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class SecondThreadTest {
    @Test
    void theWorkRunsOnTheNamedThreadWithTheCallersSyncIdAndGivesBackItsResult() throws Exception {
        MDC.put("sync_id", "sync_20261126_000000_abcd");
        try (SecondThread other = new SecondThread("archon-sync test")) {
            assertEquals("archon-sync test sync_20261126_000000_abcd", SecondThread.await(other.submit(() ->
                    Thread.currentThread().getName() + " " + MDC.get("sync_id")), "testing"));
        } finally {
            MDC.remove("sync_id");
        }
    }

    @Test
    void whatTheWorkThrewIsThrownAsItself() {
        SQLException sql = new SQLException("lost", "08006");
        IOException io = new IOException("disk full");
        ArchonSyncException refused = new ArchonSyncException(ErrorCode.VERIFICATION_FAILED, "differs");
        try (SecondThread other = new SecondThread("archon-sync test")) {
            assertSame(sql, assertThrows(SQLException.class, () -> SecondThread.await(other.submit(() -> {
                throw sql;
            }), "testing")));
            assertSame(io, assertThrows(IOException.class, () -> SecondThread.await(other.submit(() -> {
                throw io;
            }), "testing")));
            ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> SecondThread.await(other.submit(() -> {
                throw refused;
            }), "testing"));
            assertEquals(ErrorCode.VERIFICATION_FAILED, e.code());
        }
    }
}
