package dev.archon.sync.engine;

import dev.archon.sync.db.Sql;
import dev.archon.sync.history.HistoryWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's progress once a second: to the history row (through its own connection) and
 * to the listener. Rows of the table being loaded come from the target's pg_stat_progress_copy,
 * so progress moves during a long COPY without counting rows in this process. The percentage
 * never decreases.
 */
final class ProgressTracker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressTracker.class);
    static final long PERIOD_MS = 1000;

    private final HistoryWriter history;
    private final SyncListener listener;
    private final ScheduledExecutorService ticker;
    final AtomicLong bytes = new AtomicLong();
    private final AtomicLong rowsDone = new AtomicLong();
    private volatile String phase = "validation";
    private volatile String table;
    private volatile long totalRows;
    private volatile int targetPid;
    private volatile double phaseFraction;
    private int lastPercent;

    ProgressTracker(HistoryWriter history, SyncListener listener, String syncId) {
        this.history = history;
        this.listener = listener;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "archon-sync progress " + syncId);
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::publish, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    void totalRows(long rows) {
        totalRows = rows;
    }

    void targetPid(int pid) {
        targetPid = pid;
    }

    /** Enters a phase (publishes at once). */
    void phase(String name) {
        phase = name;
        phaseFraction = 0;
        table = null;
        ticker.execute(this::publish);
    }

    /** How far into the current phase (0..1), for phases measured in tables. */
    void phaseFraction(double fraction) {
        phaseFraction = fraction;
    }

    void table(String name) {
        table = name;
    }

    void tableDone(long rows) {
        rowsDone.addAndGet(rows);
    }

    long rowsDone() {
        return rowsDone.get();
    }

    synchronized void publish() {
        try {
            long synced = rowsDone.get();
            String p = phase;
            if ("import".equals(p) && targetPid != 0) {
                synced += Sql.queryLong(history.connection(),
                        "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy WHERE pid = ?", targetPid);
            }
            synced = Math.min(synced, Math.max(totalRows, synced));
            int percent = Math.max(lastPercent, percent(p, synced));
            lastPercent = percent;
            history.progress(p, table, totalRows, synced, percent);
            listener.progress(new SyncListener.Progress(p, table, totalRows, synced, percent, bytes.get()));
        } catch (Exception e) {
            log.debug("could not publish progress", e);
        }
    }

    private int percent(String p, long synced) {
        double rowFraction = totalRows == 0 ? 1 : Math.min(1.0, (double) synced / totalRows);
        return switch (p) {
            case "validation" -> 2;
            case "export" -> 2 + (int) (8 * phaseFraction);
            case "import" -> 10 + (int) (75 * rowFraction);
            case "indexing" -> 85 + (int) (7 * phaseFraction);
            case "verification" -> 92 + (int) (7 * phaseFraction);
            default -> lastPercent;
        };
    }

    String phaseName() {
        return phase;
    }

    String tableName() {
        return table;
    }

    int lastPercent() {
        return lastPercent;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS); // a publish stuck on a silent history link is left behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
