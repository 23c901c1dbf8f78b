package dev.archon.sync.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries are streamed, never buffered whole: a 160 MiB entry goes through a 24 MiB heap. */
class BackupMemoryTest {
    private static final int ENTRY_MIB = 160;
    private static final String HEAP = "-Xmx24m";

    @TempDir
    Path dir;

    @Test
    void entryMuchLargerThanTheHeapIsWrittenAndReadBack() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), HEAP, "-cp", classpath,
                BoundedMemoryProbe.class.getName(), dir.toString(), Integer.toString(ENTRY_MIB)))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in time");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitValue(), log);

        Path archive = dir.resolve("big.archon-backup");
        try (BackupReader reader = BackupReader.open(archive)) {
            BackupEntry entry = reader.manifest().entries().get(0);
            assertEquals((long) ENTRY_MIB << 20, entry.uncompressedBytes());
            assertEquals(entry.uncompressedBytes() / 100 + 1, entry.rowCount());
        }
    }
}
