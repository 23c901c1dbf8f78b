package dev.archon.sync.db;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.time.Duration;

/**
 * How long a database link may stay silent (no packet from the peer) before archon-sync and the
 * server both give the connection up. It becomes TCP keepalive probes (idle, interval, count) and
 * TCP_USER_TIMEOUT on archon-sync's sockets, and the same per session on the server
 * ({@code tcp_keepalives_*}, {@code tcp_user_timeout}, {@code client_connection_check_interval}),
 * so a busy server (an index rebuild, a checksum) is never mistaken for a dead link: its kernel
 * answers the probes. Immutable.
 *
 * @param seconds the bound in whole seconds, at least {@value #MIN_SECONDS}
 */
public record LinkTimeout(int seconds) {
    /** The default bound. */
    public static final LinkTimeout DEFAULT = new LinkTimeout(60);
    /** The smallest bound accepted (keepalive settings are whole seconds). */
    public static final int MIN_SECONDS = 2;

    public LinkTimeout {
        if (seconds < MIN_SECONDS) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--link-timeout must be at least " + MIN_SECONDS
                    + " seconds (got " + seconds + ")");
        }
    }

    /**
     * Parses "60", "60s" or "2m".
     *
     * @param what the option or variable the value came from, for the error message
     */
    public static LinkTimeout parse(String value, String what) {
        String v = value.trim().toLowerCase();
        int factor = v.endsWith("m") ? 60 : 1;
        if (v.endsWith("m") || v.endsWith("s")) {
            v = v.substring(0, v.length() - 1).trim();
        }
        try {
            return new LinkTimeout(Math.multiplyExact(Integer.parseInt(v), factor));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, what + " must be a number of seconds such as 60 or 60s"
                    + " (got \"" + value + "\")");
        }
    }

    public Duration duration() {
        return Duration.ofSeconds(seconds);
    }

    /** Seconds between keepalive probes: a tenth of the bound, at least 1. */
    public int interval() {
        return Math.max(1, seconds / 10);
    }

    /** Unanswered probes before the link is declared dead: enough to cover half the bound, 1 to 5. */
    public int count() {
        return Math.max(1, Math.min(5, seconds / 2 / interval()));
    }

    /** Seconds of silence before the first probe: the rest of the bound. */
    public int idle() {
        return Math.max(1, seconds - interval() * count());
    }

    /** The settings asking the server to watch the session the same way (client_connection_check_interval from 14 on). */
    String serverSettings(int majorVersion) {
        String sql = "SET tcp_keepalives_idle = " + idle() + "; SET tcp_keepalives_interval = " + interval()
                + "; SET tcp_keepalives_count = " + count() + "; SET tcp_user_timeout = " + seconds * 1000;
        return majorVersion >= 14 ? sql + "; SET client_connection_check_interval = " + interval() * 1000 : sql;
    }
}
