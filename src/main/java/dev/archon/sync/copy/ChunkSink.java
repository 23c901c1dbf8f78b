package dev.archon.sync.copy;

import java.io.IOException;
import java.sql.SQLException;

/** Where COPY bytes go: a target COPY FROM STDIN, or a backup entry. */
@FunctionalInterface
public interface ChunkSink {
    void write(byte[] chunk, int length) throws SQLException, IOException;
}
