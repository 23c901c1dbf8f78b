package dev.archon.sync.db;

import java.net.SocketException;

/**
 * Thrown by archon-sync's sockets when the kernel gave a connection up because the peer stopped
 * answering (keepalive probes or data unacknowledged for the {@link LinkTimeout}). pgjdbc wraps it
 * in its I/O error; {@link LinkFailures} finds it there.
 */
public final class SilentLinkException extends SocketException {
    private final String database;
    private final int seconds;

    SilentLinkException(String database, int seconds, Throwable cause) {
        super("the link to the " + database + " database went silent (no packets for " + seconds + " s)");
        initCause(cause);
        this.database = database;
        this.seconds = seconds;
    }

    /** "local" or "remote". */
    public String database() {
        return database;
    }

    /** The bound that expired, in seconds. */
    public int seconds() {
        return seconds;
    }
}
