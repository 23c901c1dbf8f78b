package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * A second thread for one database's share of a step while the caller does the other's (hashes,
 * checksums, verification, the base), so that both servers work at once: one named thread that
 * logs with the caller's context (the run's sync id), stopped on close.
 */
final class SecondThread implements AutoCloseable {
    private final ExecutorService pool;
    private final Map<String, String> context = MDC.getCopyOfContextMap();

    SecondThread(String name) {
        pool = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }

    <T> Future<T> submit(Callable<T> work) {
        return pool.submit(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return work.call();
            } finally {
                MDC.clear();
            }
        });
    }

    /**
     * The work's result. What it threw is thrown as itself (an SQLException, an IOException, a
     * RuntimeException such as ArchonSyncException with its code), anything else wrapped; an
     * interrupted wait is CANCELLED, saying it was {@code doing} that.
     */
    static <T> T await(Future<T> work, String doing) throws SQLException, IOException {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchonSyncException(ErrorCode.CANCELLED, "interrupted while " + doing, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
