package dev.archon.sync.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.util.Arrays;

/**
 * How a one-way sync writes each table. {@link #CHANGES}: only the rows that differ (tables without
 * a key are copied in full). {@link #FULL}: every row, as a fresh copy. {@link #AUTO}: per table,
 * a full copy when the target table is empty or when the changes touch more than
 * {@link #FULL_COPY_FRACTION} of its rows, else changes only.
 */
public enum SyncMode {
    AUTO, CHANGES, FULL;

    /** Above this share of a table's rows changed, auto mode copies the table in full (see README: measured crossover). */
    public static final double FULL_COPY_FRACTION = 0.5;

    @JsonValue
    public String value() {
        return name().toLowerCase();
    }

    public static SyncMode parse(String text) {
        return Arrays.stream(values()).filter(m -> m.value().equalsIgnoreCase(text == null ? "" : text.trim())).findFirst()
                .orElseThrow(() -> new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "unknown mode '" + text
                        + "': use auto, changes or full"));
    }
}
