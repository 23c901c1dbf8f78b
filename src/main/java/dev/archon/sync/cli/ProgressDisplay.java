package dev.archon.sync.cli;

import dev.archon.sync.engine.SyncListener;
import java.io.PrintWriter;

/**
 * Shows a run's progress: a bar redrawn in place on a terminal (step, table, rows, current MB/s, time
 * left, fitted to the terminal's width by {@link BarLine}), plain lines every few seconds otherwise.
 */
abstract class ProgressDisplay implements SyncListener, AutoCloseable {
    static ProgressDisplay create(PrintWriter err, String syncId) {
        return System.console() != null ? new Bar(err) : new Lines(err, syncId);
    }

    @Override
    public void close() {
    }

    /** Text of a progress for plain lines: the bar's parts without the bar, as wide as needed. */
    static String text(Progress p) {
        String line = BarLine.render(p, 400);
        return line.substring(line.indexOf(']') + 1).strip();
    }

    /** The bar on the terminal, redrawn in place, fitted to the terminal's width at each update. */
    private static final class Bar extends ProgressDisplay {
        private final PrintWriter err;
        private final org.jline.terminal.Terminal terminal;
        private boolean drawn;

        Bar(PrintWriter err) {
            this.err = err;
            org.jline.terminal.Terminal t;
            try {
                t = org.jline.terminal.TerminalBuilder.builder().system(true).dumb(true).build();
            } catch (java.io.IOException | RuntimeException e) {
                t = null;
            }
            this.terminal = t;
        }

        private int width() {
            int w = terminal == null ? 0 : terminal.getWidth();
            return w > 0 ? w : 80;
        }

        @Override
        public synchronized void progress(Progress p) {
            err.print("\r" + BarLine.render(p, width()) + "\u001b[K");
            err.flush();
            drawn = true;
        }

        @Override
        public synchronized void close() {
            if (drawn) {
                err.println();
                err.flush();
            }
            if (terminal != null) {
                try {
                    terminal.close();
                } catch (java.io.IOException ignored) {
                    // nothing to restore
                }
            }
        }
    }

    /** Plain lines, when the output is not a terminal. */
    private static final class Lines extends ProgressDisplay {
        private final PrintWriter err;
        private final String syncId;
        private String lastStep;
        private long lastPrint;

        Lines(PrintWriter err, String syncId) {
            this.err = err;
            this.syncId = syncId;
        }

        @Override
        public synchronized void progress(Progress p) {
            long now = System.nanoTime();
            String step = p.step() == null ? p.phase() : p.step();
            if (step.equals(lastStep) && now - lastPrint < 5_000_000_000L) {
                return;
            }
            lastStep = step;
            lastPrint = now;
            err.println(syncId + " " + p.phase() + ": " + text(p));
            err.flush();
        }
    }
}
