package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

    <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        pool.execute(() -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                MDC.clear();
            }
        });
        return result;
    }

    /** One database's share of a step. */
    @FunctionalInterface
    interface Share<T> {
        T call() throws SQLException, IOException;
    }

    /** What {@link #both} gives back: the second thread's result and the caller's. */
    record Both<A, B>(A second, B own) {
    }

    /**
     * Runs {@code second} on this thread while the caller runs {@code own}, and gives back both
     * results (files, for example, which the caller then owns). When either fails, what the other
     * produced is closed (the second's whenever it arrives, without waiting for it) and the failure
     * thrown as by {@link #await}: a failed share never leaves the other's result behind.
     */
    <A extends AutoCloseable, B extends AutoCloseable> Both<A, B> both(Share<A> second, Share<B> own, String doing)
            throws SQLException, IOException {
        CompletableFuture<A> other = submit(second::call);
        B mine;
        try {
            mine = own.call();
        } catch (SQLException | IOException | RuntimeException e) {
            closeWhenItArrives(other);
            throw e;
        }
        try {
            return new Both<>(await(other, doing), mine);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(mine);
            closeWhenItArrives(other); // after an interrupted wait, the second's result may still come
            throw e;
        }
    }

    private static void closeWhenItArrives(CompletableFuture<? extends AutoCloseable> result) {
        result.whenComplete((value, failure) -> closeQuietly(value));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the failure being thrown is the one to report
            }
        }
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
