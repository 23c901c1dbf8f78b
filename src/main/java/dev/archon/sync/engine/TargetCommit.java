package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkFailures;
import dev.archon.sync.db.SilentLinkException;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The COMMIT of a run's target transaction, and the truth about it when the connection breaks
 * during it: the server is asked ({@code txid_status}) on new connections, again and again for the
 * link timeout while the link is down. Committed: the run completed. Aborted: it failed, the target
 * unchanged. Anything else: {@link ErrorCode#OUTCOME_UNKNOWN}, with the transaction id and the query
 * that settles it. Every {@link RunWork} ends through {@link #commit}.
 */
final class TargetCommit {
    private static final Logger log = LoggerFactory.getLogger(TargetCommit.class);
    static final long RETRY_MS = 1000;

    private TargetCommit() {
    }

    /** Commits; returns normally only when the transaction is known to have committed. */
    static void commit(TargetTransaction tx, Database target, RunContext run) throws SQLException {
        long xid = tx.transactionId();
        run.checkCancelled();
        run.metrics.put("target_xid", xid);
        run.history.transaction(xid); // a later run can settle the outcome from it if this process dies now
        run.progress.step("committing"); // still the verification phase: the seed names five phases, not a sixth
        run.progress.phaseFraction(1.0);
        try {
            tx.connection().commit();
        } catch (SQLException e) {
            if (!LinkFailures.connectionLost(e) && LinkFailures.silentLink(e) == null) {
                throw e;
            }
            log.warn("the connection to the {} database broke during COMMIT of transaction {}: asking the server whether it"
                    + " committed", target.label(), xid);
            SilentLinkException silent = LinkFailures.silentLink(e);
            String broke = silent != null ? silent.getMessage() + " during COMMIT"
                    : "the connection to the " + target.label() + " database broke during COMMIT";
            String status = ask(target, xid);
            run.metrics.put("commit_outcome_checked", status == null ? "unknown" : status);
            if ("aborted".equals(status)) {
                throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, broke + " and the server confirms transaction " + xid
                        + " did not commit: rolled back, the target is unchanged", e);
            }
            if (!"committed".equals(status)) {
                throw new ArchonSyncException(ErrorCode.OUTCOME_UNKNOWN, "outcome unknown: " + broke + " and archon-sync could"
                        + " not find out within " + target.linkTimeout().seconds() + " s whether transaction " + xid + " committed"
                        + (status == null ? "" : " (" + status + ")") + "; run SELECT txid_status(" + xid + ") on the "
                        + target.label() + " database: 'committed' means the sync took effect, 'aborted' that the target"
                        + " is unchanged (the next sync also settles its history row)", e);
            }
            log.warn("transaction {} did commit on the {} database", xid, target.label());
        }
        run.committedAt = System.nanoTime();
    }

    /** txid_status of the transaction, asked until it is not in progress or the link timeout passes; null if unreachable. */
    static String ask(Database target, long xid) {
        long deadline = System.nanoTime() + target.linkTimeout().duration().toNanos();
        String status = null;
        while (true) {
            try (Connection c = target.openOnce("archon-sync commit check")) {
                status = Sql.queryString(c, "SELECT txid_status(?)", xid);
                if (!"in progress".equals(status)) {
                    return status;
                }
            } catch (ArchonSyncException | SQLException e) {
                log.warn("could not ask the {} database about transaction {} yet: {}", target.label(), xid,
                        ArchonSyncException.firstLine(e.getMessage()));
            }
            if (System.nanoTime() + RETRY_MS * 1_000_000 > deadline) {
                return status;
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return status;
            }
        }
    }
}
