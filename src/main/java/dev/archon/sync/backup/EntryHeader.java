package dev.archon.sync.backup;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The JSON line written before each entry's data; repeats the entry's identity. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record EntryHeader(int entry, String schema, String table, String copyFormat, List<String> columns) {

    EntryHeader {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    boolean describes(int index, BackupEntry e) {
        return entry == index && schema.equals(e.schema()) && table.equals(e.table())
                && copyFormat.equals(e.copyFormat()) && columns.equals(e.columns());
    }
}
