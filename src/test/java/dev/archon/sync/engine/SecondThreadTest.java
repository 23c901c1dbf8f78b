package dev.archon.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** Stands for a temporary file: closing it deletes it. */
    private static final class Resource implements AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();
        final CountDownLatch closing = new CountDownLatch(1);

        @Override
        public void close() {
            closed.set(true);
            closing.countDown();
        }
    }

    @Test
    void bothGivesBothResults() throws Exception {
        Resource second = new Resource();
        Resource own = new Resource();
        try (SecondThread other = new SecondThread("archon-sync test")) {
            SecondThread.Both<Resource, Resource> both = other.both(() -> second, () -> own, "testing");
            assertSame(second, both.second());
            assertSame(own, both.own());
            assertFalse(second.closed.get() || own.closed.get(), "the caller owns both");
        }
    }

    @Test
    void whenTheCallersShareFailsTheSecondsResultIsClosedOnceItArrivesWithoutWaitingForIt() throws Exception {
        Resource second = new Resource();
        CountDownLatch release = new CountDownLatch(1);
        SQLException lost = new SQLException("the link went silent", "08006");
        try (SecondThread other = new SecondThread("archon-sync test")) {
            assertSame(lost, assertThrows(SQLException.class, () -> other.both(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return second;
            }, () -> {
                throw lost;
            }, "testing")), "thrown at once, while the second share still runs");
            assertFalse(second.closed.get());
            release.countDown();
            assertTrue(second.closing.await(10, TimeUnit.SECONDS), "closed when it arrived");
        }
    }

    @Test
    void whenTheSecondShareFailsTheCallersResultIsClosed() {
        Resource own = new Resource();
        IOException full = new IOException("disk full");
        try (SecondThread other = new SecondThread("archon-sync test")) {
            assertSame(full, assertThrows(IOException.class, () -> other.<Resource, Resource>both(() -> {
                throw full;
            }, () -> own, "testing")));
            assertTrue(own.closed.get());
        }
    }

    @Test
    void whenTheWaitIsInterruptedBothResultsAreClosedTheSecondsOnceItArrives() throws Exception {
        Resource second = new Resource();
        Resource own = new Resource();
        CountDownLatch release = new CountDownLatch(1);
        try (SecondThread other = new SecondThread("archon-sync test")) {
            java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    other.both(() -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return second;
                    }, () -> own, "testing");
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            caller.start();
            while (caller.getState() != Thread.State.WAITING) {
                Thread.sleep(10);
            }
            caller.interrupt(); // a cancel while the caller waits for the second share
            ArchonSyncException e = (ArchonSyncException) thrown.get(10, TimeUnit.SECONDS);
            assertEquals(ErrorCode.CANCELLED, e.code());
            assertTrue(own.closed.get());
            release.countDown();
            assertTrue(second.closing.await(10, TimeUnit.SECONDS), "closed when it arrived");
        }
    }
}
