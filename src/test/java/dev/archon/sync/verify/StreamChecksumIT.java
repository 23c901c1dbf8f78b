package dev.archon.sync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.copy.TableCopier;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.SessionSettings;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.schema.CatalogReader;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The checksum computed from a binary COPY stream equals the one the server computes. */
class StreamChecksumIT {
    @Test
    void streamChecksumEqualsTheServersForEveryEligibleTable() throws Exception {
        Database db = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        try (Connection c = db.open("test")) {
            ArchonDataset.createSchema(c);
            ArchonDataset.generate(c, Scale.ofRows(200));
            try (InputStream in = StreamChecksumIT.class.getResourceAsStream("/fixtures/all_types.sql")) {
                Sql.execute(c, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            SessionSettings.apply(c);
            int compared = 0;
            for (TableInfo t : CatalogReader.read(c, "public").values()) {
                if (!StreamChecksum.applies(t)) {
                    continue;
                }
                StreamChecksum stream = new StreamChecksum(t);
                TableCopier.export(c, t, TableCopier.copiedColumns(t), true, (chunk, n) -> stream.update(chunk, 0, n),
                        new AtomicLong(), null);
                assertEquals(ContentChecksum.compute(c, t, true), stream.result(), t.name().toString());
                compared++;
            }
            assertTrue(compared >= 8, "eligible tables compared: " + compared);
        }
    }
}
