package dev.archon.sync.cli;

import dev.archon.sync.engine.SyncListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress: a progress bar (phase, table, rows, MB/s, ETA) on a terminal, plain
 * lines every few seconds otherwise.
 */
abstract class ProgressDisplay implements SyncListener, AutoCloseable {
    static ProgressDisplay create(PrintWriter err, String syncId) {
        return System.console() != null ? new Bar(syncId) : new Lines(err, syncId);
    }

    @Override
    public void close() {
    }

    static String mbPerSecond(long bytes, long startNanos) {
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        return String.format("%.1f MB/s", bytes / 1048576.0 / seconds);
    }

    /** A progress bar on the terminal. */
    private static final class Bar extends ProgressDisplay {
        private final ProgressBar bar;
        private final long start = System.nanoTime();

        Bar(String syncId) {
            bar = new ProgressBarBuilder().setTaskName(syncId).setInitialMax(100).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate().build();
        }

        @Override
        public void progress(Progress p) {
            bar.stepTo(p.percent());
            bar.setExtraMessage(p.phase() + (p.table() == null ? "" : " " + p.table()) + " " + p.syncedRows() + "/"
                    + p.totalRows() + " rows " + mbPerSecond(p.bytes(), start));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain lines, when the output is not a terminal. */
    private static final class Lines extends ProgressDisplay {
        private final PrintWriter err;
        private final String syncId;
        private final long start = System.nanoTime();
        private String lastPhase;
        private long lastPrint;

        Lines(PrintWriter err, String syncId) {
            this.err = err;
            this.syncId = syncId;
        }

        @Override
        public synchronized void progress(Progress p) {
            long now = System.nanoTime();
            if (p.phase().equals(lastPhase) && now - lastPrint < 5_000_000_000L) {
                return;
            }
            lastPhase = p.phase();
            lastPrint = now;
            err.println(syncId + " " + p.percent() + "% " + p.phase() + (p.table() == null ? "" : " " + p.table()) + " "
                    + p.syncedRows() + "/" + p.totalRows() + " rows " + mbPerSecond(p.bytes(), start));
            err.flush();
        }
    }
}
