package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseRole;
import java.util.Arrays;

/** Which way a sync goes, spelled as archon_sync_history spells it. */
public enum Direction {
    LOCAL_TO_REMOTE("local-to-remote", DatabaseRole.LOCAL, DatabaseRole.REMOTE),
    REMOTE_TO_LOCAL("remote-to-local", DatabaseRole.REMOTE, DatabaseRole.LOCAL),
    BIDIRECTIONAL("bidirectional", null, null);

    private final String value;
    private final DatabaseRole source;
    private final DatabaseRole target;

    Direction(String value, DatabaseRole source, DatabaseRole target) {
        this.value = value;
        this.source = source;
        this.target = target;
    }

    /** "local-to-remote", "remote-to-local" or "bidirectional". */
    @JsonValue
    public String value() {
        return value;
    }

    /** The database read from (null for bidirectional). */
    public DatabaseRole source() {
        return source;
    }

    /** The database written to (null for bidirectional). */
    public DatabaseRole target() {
        return target;
    }

    @Override
    public String toString() {
        return value;
    }

    /** Parses "local-to-remote" etc.; anything else is INVALID_ARGUMENTS naming the valid values. */
    public static Direction parse(String text) {
        return Arrays.stream(values()).filter(d -> d.value.equalsIgnoreCase(text == null ? "" : text.trim()))
                .findFirst().orElseThrow(() -> new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                        "unknown direction '" + text + "': use local-to-remote, remote-to-local or bidirectional"));
    }

    /** The one-way direction that writes into {@code target}. */
    public static Direction into(DatabaseRole target) {
        return target == DatabaseRole.REMOTE ? LOCAL_TO_REMOTE : REMOTE_TO_LOCAL;
    }
}
