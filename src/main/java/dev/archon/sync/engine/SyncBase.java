package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.history.BaseStore;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the base of bidirectional syncs (the content both databases agreed on at the end of the
 * last completed sync, of any direction) on one database, after the run's commits: a failure here
 * loses nothing (the old base stays, the next merge converges), so it never fails the run; it is
 * logged and recorded in the run's metrics as {@code base_<label>}.
 */
final class SyncBase {
    private static final Logger log = LoggerFactory.getLogger(SyncBase.class);

    /** The (key fields, hash) COPY text lines of one table's new base. */
    interface Lines {
        InputStream open() throws IOException;
    }

    /**
     * One table's new base: its name, the number of key fields, its lines, whether they end with
     * this database's row xmins, the form the hashes were computed with, and (when the lines carry
     * no xmins) this database's (key fields, xmin) lines, or null.
     */
    record Table(String name, int keyWidth, Lines lines, boolean withXmin, String hashForm, Lines xmins) {
        Table(String name, int keyWidth, Lines lines, boolean withXmin, String hashForm) {
            this(name, keyWidth, lines, withXmin, hashForm, null);
        }
    }

    private SyncBase() {
    }

    /** Writes one database's base: returns "written", or why not (already logged). */
    @FunctionalInterface
    interface Writer {
        String write();
    }

    /**
     * Writes two databases' bases at the same time (each has its own connection; the second on
     * another thread) and records both outcomes in the run's metrics as {@code base_<label>}.
     */
    static void writeBoth(String firstLabel, Writer first, String secondLabel, Writer second, RunContext run) {
        try (SecondThread pool = new SecondThread("archon-sync base " + secondLabel)) {
            java.util.concurrent.Future<String> other = pool.submit(second::write);
            String mine = first.write();
            String theirs;
            try {
                theirs = SecondThread.await(other, "writing the base");
            } catch (SQLException | IOException | RuntimeException e) {
                theirs = failed(secondLabel, String.valueOf(e.getMessage()));
            }
            run.metrics.put("base_" + firstLabel, mine);
            run.metrics.put("base_" + secondLabel, theirs);
        }
    }

    /**
     * Replaces the base of {@code tables} in one transaction on {@code c} (autocommit off) and
     * commits it. Touches nothing shared: safe on another thread.
     *
     * @return "written", or "not written: why" (logged)
     */
    static String write(Connection c, String label, String pairId, List<Table> tables, String syncId) {
        try {
            boolean cache = BaseStore.reusesHashes(c);
            long rows = 0;
            long changed = 0;
            for (Table t : tables) {
                try (InputStream in = t.lines().open(); InputStream xmins = t.xmins() == null ? null : t.xmins().open()) {
                    BaseStore.Replaced r = BaseStore.replace(c, pairId, t.name(), t.keyWidth(), t.withXmin(), t.hashForm(), syncId,
                            in, xmins, cache);
                    rows += r.rows();
                    changed += r.changed();
                }
            }
            BaseStore.analyzeAfter(c, rows, changed);
            c.commit();
            return "written";
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: nothing was written
            }
            return failed(label, ArchonSyncException.firstLine(String.valueOf(e.getMessage())));
        }
    }

    static void notWritten(String label, String why, RunContext run) {
        run.metrics.put("base_" + label, failed(label, why));
    }

    /** Logs why a base was not written and says it as a metric value. */
    static String failed(String label, String why) {
        log.warn("could not write the bidirectional base on the {} database (the next bidirectional run merges against"
                + " the old one, or without one): {}", label, why);
        return "not written: " + why;
    }
}
