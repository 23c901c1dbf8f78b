package dev.archon.sync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
    @TempDir
    Path dir;

    private Path envFile(String content) throws Exception {
        Path f = dir.resolve(".env");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void optionBeatsEnvironmentBeatsDotEnv() throws Exception {
        Path f = envFile("LOCAL_DATABASE_URI=postgresql://file@filehost/db\nREMOTE_DATABASE_URI=\"postgresql://file@filehost/remote\"\n");
        ConfigResolver r = new ConfigResolver(Map.of("LOCAL_DATABASE_URI", "postgresql://env@envhost/db"), f);
        assertEquals("opthost", r.resolve(DatabaseRole.LOCAL, "postgresql://opt@opthost/db").host());
        assertEquals("envhost", r.resolve(DatabaseRole.LOCAL, null).host());
        DatabaseConfig remote = r.resolve(DatabaseRole.REMOTE, null);
        assertEquals("filehost", remote.host());
        assertEquals("remote", remote.database());
        assertTrue(remote.source().contains(".env"), remote.source());
    }

    @Test
    void dotEnvIgnoresCommentsAndExport() throws Exception {
        Path f = envFile("# comment\n\nexport LOCAL_DATABASE_URI='postgresql://u:p@h:5555/db' # trailing\n");
        assertEquals(5555, new ConfigResolver(Map.of(), f).resolve(DatabaseRole.LOCAL, null).port());
    }

    @Test
    void nothingConfiguredSaysWhereToSetIt() {
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> new ConfigResolver(Map.of(), dir.resolve("missing.env")).resolve(DatabaseRole.REMOTE, null));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("--remote") && e.getMessage().contains("REMOTE_DATABASE_URI"), e.getMessage());
    }

    @Test
    void malformedValueNamesItsSource() throws Exception {
        Path f = envFile("LOCAL_DATABASE_URI=http://x\n");
        ArchonSyncException e = assertThrows(ArchonSyncException.class,
                () -> new ConfigResolver(Map.of(), f).resolve(DatabaseRole.LOCAL, null));
        assertEquals(ErrorCode.CONNECTION_FAILED, e.code());
        assertTrue(e.getMessage().contains("LOCAL_DATABASE_URI in"), e.getMessage());
    }
}
