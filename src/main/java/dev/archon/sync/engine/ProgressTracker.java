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
    /** Speed and time left are measured over this window, so they follow what streams now. */
    static final long RATE_WINDOW_MS = 5000;
    static final String WAITING_FOR_LOCKS = "waiting for locks";
    static final String BACKUP = "writing the backup";

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
    private volatile String step;
    private volatile String waitingOn;
    private int lastPercent;
    private final RateWindow rates = new RateWindow(RATE_WINDOW_MS);

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

    /** The rows the run planned to write (0 until set). */
    long plannedRows() {
        return totalRows;
    }

    void targetPid(int pid) {
        targetPid = pid;
    }

    /** Enters a phase (publishes at once). */
    void phase(String name) {
        phase = name;
        phaseFraction = 0;
        table = null;
        step = null;
        ticker.execute(this::publish);
    }

    /** What the phase is doing now, in words (null: the phase's usual work); publishes at once. */
    void step(String words) {
        step = words;
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
            String waitingOn = null;
            if (targetPid != 0 && ("export".equals(p) || "import".equals(p))) {
                waitingOn = Sql.queryString(history.connection(), "SELECT string_agg(DISTINCT n.nspname || '.' || c.relname, ', ')"
                        + " FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE l.pid = ? AND NOT l.granted", targetPid);
            }
            if ("import".equals(p) && targetPid != 0) {
                synced += Sql.queryLong(history.connection(),
                        "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy WHERE pid = ?", targetPid);
            }
            synced = Math.min(synced, Math.max(totalRows, synced));
            int percent = Math.max(lastPercent, percent(p, synced));
            lastPercent = percent;
            long now = System.nanoTime();
            rates.add(now, bytes.get(), synced);
            this.waitingOn = waitingOn;
            String words = waitingOn != null ? WAITING_FOR_LOCKS : step != null ? step : words(p);
            Long eta = "import".equals(p) && waitingOn == null ? rates.secondsLeft(totalRows - synced) : null;
            SyncListener.Progress progress = new SyncListener.Progress(p, waitingOn != null ? waitingOn : table, totalRows,
                    synced, percent, bytes.get(), words, waitingOn, rates.bytesPerSecond(), eta);
            history.progress(p, progress.table(), totalRows, synced, percent, detail(progress));
            listener.progress(progress);
        } catch (Exception e) {
            log.debug("could not publish progress", e);
        }
    }

    private static String words(String phase) {
        return switch (phase) {
            case "import" -> "copying";
            case "indexing" -> "rebuilding indexes";
            case "verification" -> "verifying";
            case "export" -> "reading the source";
            default -> phase;
        };
    }

    /** metadata.progress: the step, the table waited on, current speed and time left. */
    private static String detail(SyncListener.Progress p) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("step", p.step());
        m.put("waiting_on", p.waitingOn());
        m.put("bytes", p.bytes());
        m.put("bytes_per_second", Math.round(p.bytesPerSecond()));
        m.put("eta_seconds", p.etaSeconds());
        return dev.archon.sync.Json.write(m);
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

    /** The tables the run was last seen waiting to lock, or null. */
    String waitingOn() {
        return waitingOn;
    }

    String phaseName() {
        return phase;
    }

    /** What the phase is doing, when set apart from its usual work ("writing the backup"), else null. */
    String stepName() {
        return step;
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
