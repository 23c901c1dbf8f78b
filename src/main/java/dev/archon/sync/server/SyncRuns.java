package dev.archon.sync.server;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runs this process started: one at a time (a slot claimed atomically, so concurrent starts
 * give one run and 409s), each on a background thread, with its control for cancel and its latest
 * progress. Thread-safe.
 */
final class SyncRuns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncRuns.class);
    /** How long a start waits for the run to begin (or be refused) before answering 202 anyway. */
    static final Duration START_WAIT = Duration.ofSeconds(20);
    private static final int KEEP_FINISHED = 50;

    /** One run: its control, latest progress, and its end once known. */
    static final class Run {
        final SyncControl control;
        final Instant started = Instant.now();
        volatile SyncListener.Progress progress;
        volatile SyncResult result;
        volatile RuntimeException failure;
        volatile boolean done;

        Run(SyncControl control) {
            this.control = control;
        }
    }

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "archon-sync run");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<SyncControl> active = new AtomicReference<>();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    /** Claims the one slot of this process, or answers 409 naming the run that holds it. */
    SyncControl claim() {
        SyncControl control = SyncControl.create();
        if (!active.compareAndSet(null, control)) {
            SyncControl holder = active.get();
            String id = holder == null ? null : holder.syncId();
            throw new ApiError(409, "sync " + id + " is already running: wait for it to finish or cancel it",
                    id == null ? Map.of() : Map.of("running_sync_id", id));
        }
        return control;
    }

    /** Gives back a slot claimed by {@link #claim()} without running anything. */
    void release(SyncControl control) {
        active.compareAndSet(control, null);
    }

    /**
     * Runs work on a background thread holding the claimed slot, and waits until it has begun
     * (its first progress) or ended. A failure before it began is thrown here, so a refused run
     * is answered as a refusal and never half-starts.
     */
    Run launch(SyncControl control, Function<SyncListener, SyncResult> work) {
        Run run = new Run(control);
        CompletableFuture<Void> begun = new CompletableFuture<>();
        SyncListener listener = p -> {
            run.progress = p;
            begun.complete(null);
        };
        runs.put(control.syncId(), run);
        trim();
        executor.execute(() -> {
            MDC.put("sync_id", control.syncId());
            RuntimeException failure = null;
            try {
                run.result = work.apply(listener);
            } catch (RuntimeException e) {
                failure = e;
                run.failure = e;
                log.info("run {} ended with an error: {}", control.syncId(), e.getMessage());
            } finally {
                run.done = true;
                active.compareAndSet(control, null);
                MDC.remove("sync_id");
            }
            // After the slot is free, so a caller told "refused" may start again at once.
            if (failure == null) {
                begun.complete(null);
            } else {
                begun.completeExceptionally(failure);
            }
        });
        try {
            begun.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArchonSyncException || e.getCause() instanceof ApiError) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("the run could not start", e.getCause());
        } catch (TimeoutException e) {
            log.debug("run {} has not reported progress yet; answering anyway", control.syncId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return run;
    }

    /** The id of the run this process is running now, or null. */
    String activeSyncId() {
        SyncControl c = active.get();
        return c == null ? null : c.syncId();
    }

    /** A run this process started (recently), or null. */
    Run get(String syncId) {
        return runs.get(syncId);
    }

    /** Cancels whatever runs and waits up to timeout for it to roll back. */
    @Override
    public void close() {
        SyncControl c = active.get();
        if (c != null) {
            c.cancel();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("a run did not stop within 60 s of being cancelled");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void trim() {
        if (runs.size() > KEEP_FINISHED) {
            runs.values().stream().filter(r -> r.done).sorted(java.util.Comparator.comparing(r -> r.started))
                    .limit(runs.size() - KEEP_FINISHED).forEach(r -> runs.remove(r.control.syncId()));
        }
    }
}
