package dev.archon.sync.backup;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One table saved in a backup archive, as listed in its manifest. Immutable.
 *
 * @param schema            schema name, unquoted ("public")
 * @param table             table name, unquoted
 * @param columns           the column list of the COPY, in order; empty means all columns
 * @param copyFormat        "binary" or "text": how to feed the bytes back to {@code COPY FROM STDIN}
 * @param rowCount          rows reported by {@code COPY TO STDOUT}
 * @param contentChecksum   the sync engine's content checksum of the table; opaque, may be null
 * @param uncompressedBytes length of the COPY bytes
 * @param compressedBytes   length of the zstd frame in the file
 * @param sha256            SHA-256 of the COPY bytes, lower-case hex
 * @param offset            where the zstd frame starts in the file
 * @param content           what the entry holds: {@link #TABLE} (null in older archives: the whole table),
 *                          {@link #ROWS} (only the rows a changes-only run replaced or deleted) or
 *                          {@link #INSERTED_KEYS} (the keys of the rows it inserted, as COPY text)
 * @param key               for ROWS and INSERTED_KEYS: the table's key columns; else empty
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupEntry(String schema, String table, List<String> columns, String copyFormat, long rowCount,
                          String contentChecksum, long uncompressedBytes, long compressedBytes, String sha256,
                          long offset, String content, List<String> key) {
    public static final String TABLE = "table";
    public static final String ROWS = "rows";
    public static final String INSERTED_KEYS = "inserted-keys";

    public BackupEntry {
        columns = columns == null ? List.of() : List.copyOf(columns);
        content = content == null ? TABLE : content;
        key = key == null ? List.of() : List.copyOf(key);
    }

    /** Whether the entry holds the whole table (restored by emptying the table and loading it). */
    public boolean wholeTable() {
        return TABLE.equals(content);
    }

    /** "schema.table", for messages (not quoted for SQL). */
    public String qualifiedName() {
        return schema + "." + table;
    }
}
