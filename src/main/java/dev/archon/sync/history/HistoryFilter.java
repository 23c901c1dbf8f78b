package dev.archon.sync.history;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.List;
import java.util.Locale;

/**
 * Which history rows to list, validated on construction (messages name the parameter).
 *
 * @param limit     rows per page, 1..{@value #MAX_LIMIT}
 * @param offset    rows to skip, 0 or more
 * @param status    running, completed, failed or cancelled; null for all
 * @param direction local-to-remote, remote-to-local or bidirectional; null for all
 * @param search    text searched (case-insensitive) in sync_id, triggered_by and error_message; null for none
 * @param sort      the column to order by, one of {@link #SORTABLE}
 * @param ascending order ascending (default: descending, newest first)
 */
public record HistoryFilter(int limit, int offset, String status, String direction, String search, String sort,
                            boolean ascending) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 500;
    public static final int MAX_OFFSET = 100_000;
    public static final String DEFAULT_SORT = "started_at";
    public static final List<String> STATUSES = List.of("running", "completed", "failed", "cancelled");
    public static final List<String> DIRECTIONS = List.of("local-to-remote", "remote-to-local", "bidirectional");
    public static final List<String> SORTABLE = List.of("started_at", "duration_seconds", "synced_rows", "status",
            "direction", "triggered_by");

    public HistoryFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw invalid("offset must be between 0 and " + MAX_OFFSET + ", got " + offset);
        }
        status = blankToNull(status);
        if (status != null && !STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
            throw invalid("unknown status '" + status + "': use one of " + String.join(", ", STATUSES));
        }
        status = status == null ? null : status.toLowerCase(Locale.ROOT);
        direction = blankToNull(direction);
        if (direction != null && !DIRECTIONS.contains(direction.toLowerCase(Locale.ROOT))) {
            throw invalid("unknown direction '" + direction + "': use one of " + String.join(", ", DIRECTIONS));
        }
        direction = direction == null ? null : direction.toLowerCase(Locale.ROOT);
        search = blankToNull(search);
        if (search != null && search.length() > 200) {
            throw invalid("search must be at most 200 characters");
        }
        sort = blankToNull(sort) == null ? DEFAULT_SORT : sort;
        if (!SORTABLE.contains(sort)) {
            throw invalid("cannot sort by '" + sort + "': use one of " + String.join(", ", SORTABLE));
        }
    }

    /** The first page, newest first, no filter. */
    public static HistoryFilter all() {
        return new HistoryFilter(DEFAULT_LIMIT, 0, null, null, null, DEFAULT_SORT, false);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static ArchonSyncException invalid(String message) {
        return new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, message);
    }
}
