package dev.archon.sync.engine;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.List;

/**
 * An undo refused because the target changed since the run it undoes (exit 6, HTTP 422): forcing
 * it would lose those changes (after backing them up). The CLI offers {@code --force}; the page a
 * button.
 */
public final class TargetChangedException extends ArchonSyncException {
    private final List<String> changedTables;
    private final String reason;

    TargetChangedException(String database, String syncId, List<String> changedTables) {
        this(reason(database, syncId, changedTables), changedTables);
    }

    private TargetChangedException(String reason, List<String> changedTables) {
        super(ErrorCode.REFUSED, reason + "; pass --force to undo anyway (the current content is backed up first)");
        this.reason = reason;
        this.changedTables = List.copyOf(changedTables);
    }

    private static String reason(String database, String syncId, List<String> changed) {
        return "the " + database + " database changed since " + syncId + " in " + String.join(", ", changed)
                + ": undoing would lose those changes";
    }

    /** The refusal without the command-line advice. */
    public String reason() {
        return reason;
    }

    /** The tables whose content differs from what the run left ("(dropped)" when gone). */
    public List<String> changedTables() {
        return changedTables;
    }
}
