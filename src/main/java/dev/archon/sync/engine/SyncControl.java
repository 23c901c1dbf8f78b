package dev.archon.sync.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The handle of one run: its sync id (known before the run starts, so a caller can answer with it
 * at once) and its cancellation flag. Thread-safe: {@link #cancel()} may be called from any thread
 * (Ctrl-C, an HTTP request); the run then rolls back and ends {@code cancelled}.
 */
public final class SyncControl {
    private final String syncId;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Runnable onCancel = () -> { };

    public SyncControl(String syncId) {
        this.syncId = syncId;
    }

    /** A control with a new sync id. */
    public static SyncControl create() {
        return new SyncControl(SyncIds.next());
    }

    public String syncId() {
        return syncId;
    }

    /** Asks the run to stop; it rolls back. Returns false when it was already asked. */
    public boolean cancel() {
        if (cancelled.compareAndSet(false, true)) {
            onCancel.run();
            return true;
        }
        return false;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** What to do on cancel besides setting the flag (the engine cancels running statements). */
    void onCancel(Runnable action) {
        this.onCancel = action;
        if (cancelled.get()) {
            action.run();
        }
    }
}
