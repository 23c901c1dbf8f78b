package dev.archon.sync.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.net.FaultRelay;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Opening a connection retries what may pass (a refused connection) and not what will not (a missing database). */
class DatabaseRetryIT {
    @Test
    void refusedConnectionIsRetriedUntilTheServerListens() throws Exception {
        Database real = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free now: connecting is refused until the relay listens on it
        }
        DatabaseConfig c = real.config();
        Database late = new Database(new DatabaseConfig(c.role(), "127.0.0.1", port, c.database(), c.user(), null, c.params(),
                "--remote"));
        AtomicReference<FaultRelay> relay = new AtomicReference<>();
        CompletableFuture<Void> listen = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1500);
                relay.set(new FaultRelay(c.port(), port));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        try (Connection conn = late.open("archon-sync validation")) {
            assertEquals(1, conn.createStatement().executeQuery("SELECT 1").next() ? 1 : 0);
        } finally {
            listen.join();
            relay.get().close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 1.5 && seconds < 10, "connected on a retry after " + seconds + " s");
    }

    @Test
    void missingDatabaseIsNotRetried() {
        Database real = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        Database missing = new Database(real.config().withDatabase("no_such_db"));
        long start = System.nanoTime();
        ArchonSyncException e = assertThrows(ArchonSyncException.class, () -> missing.open("test"));
        assertEquals(ErrorCode.CONNECTION_FAILED, e.code());
        assertTrue(e.getMessage().contains("does not exist") && !e.getMessage().contains("tried"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < Database.FIRST_BACKOFF_MS / 1000.0, "failed at once");
    }
}
