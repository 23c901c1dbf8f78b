package dev.archon.sync.cli;

import static dev.archon.sync.cli.CliIT.run;
import static dev.archon.sync.cli.CliIT.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.sync.Json;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import dev.archon.sync.demo.ArchonDataset;
import dev.archon.sync.demo.Scale;
import dev.archon.sync.migrate.Migrator;
import dev.archon.sync.testing.TestServers;
import dev.archon.sync.testing.TestServers.Version;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync commands end to end on an Archon-shaped dataset. */
class SyncCliIT {
    @TempDir
    Path backups;

    private String[] dbs(Database local, Database remote, String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--local";
        all[args.length + 1] = uri(local);
        all[args.length + 2] = "--remote";
        all[args.length + 3] = uri(remote);
        all[args.length + 4] = "--backup-dir";
        all[args.length + 5] = backups.toString();
        return all;
    }

    @Test
    void dryRunConfirmationSyncJsonUndoAndBackupValidation() throws Exception {
        Database local = TestServers.freshDatabase(Version.PG15, DatabaseRole.LOCAL);
        Database remote = TestServers.freshDatabase(Version.PG15, DatabaseRole.REMOTE);
        for (Database db : new Database[] {local, remote}) {
            new Migrator().migrate(db);
            try (Connection c = db.open("test")) {
                ArchonDataset.createSchema(c);
            }
        }
        try (Connection c = local.open("test")) {
            ArchonDataset.generate(c, Scale.ofRows(300));
        }

        CliIT.Run dry = run(dbs(local, remote, "sync", "--direction", "local-to-remote", "--dry-run"));
        assertEquals(0, dry.exit(), dry.all());
        assertTrue(dry.out().contains("public.archon_crawled_pages") && dry.out().contains("holds secrets"), dry.out());
        assertTrue(dry.out().contains("dry run: nothing was changed"), dry.out());

        CliIT.Run unconfirmed = run(dbs(local, remote, "sync", "--direction", "local-to-remote"));
        assertEquals(1, unconfirmed.exit(), unconfirmed.all());
        assertTrue(unconfirmed.err().contains("--yes"), unconfirmed.err());
        try (Connection c = remote.open("test")) {
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages"));
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_sync_history"));
        }

        CliIT.Run sync = run(dbs(local, remote, "sync", "--direction", "local-to-remote", "--yes", "--json"));
        assertEquals(0, sync.exit(), sync.all());
        JsonNode result = Json.MAPPER.readTree(sync.out());
        assertEquals("completed", result.get("status").asText());
        JsonNode pages = null;
        for (JsonNode t : result.get("tables")) {
            if (t.get("table_name").asText().equals("public.archon_crawled_pages")) {
                pages = t;
            }
        }
        assertEquals(300, pages.get("row_count").asLong(), result.toString());
        String syncId = result.get("sync_id").asText();
        Path backup = Path.of(result.get("backup_file").asText());

        CliIT.Run tables = run(dbs(local, remote, "tables", "--direction", "remote-to-local"));
        assertEquals(0, tables.exit(), tables.all());
        assertTrue(tables.out().contains("public.archon_tasks"), tables.out());

        CliIT.Run undo = run(dbs(local, remote, "undo", syncId, "--yes"));
        assertEquals(0, undo.exit(), undo.all());
        try (Connection c = remote.open("test")) {
            assertEquals(0, Sql.queryLong(c, "SELECT count(*) FROM archon_crawled_pages"), "undo empties what the sync filled");
        }

        CliIT.Run valid = run("validate-backup", backup.toString());
        assertEquals(0, valid.exit(), valid.all());
        try (RandomAccessFile raf = new RandomAccessFile(backup.toFile(), "rw")) {
            raf.seek(Files.size(backup) / 2);
            int b = raf.read();
            raf.seek(Files.size(backup) / 2);
            raf.write(b ^ 0xFF);
        }
        CliIT.Run damaged = run("validate-backup", backup.toString());
        assertEquals(4, damaged.exit(), damaged.all());
        assertTrue(damaged.out().contains("DAMAGED"), damaged.out());

        CliIT.Run badDirection = run(dbs(local, remote, "sync", "--direction", "sideways", "--yes"));
        assertEquals(1, badDirection.exit(), badDirection.all());
        assertTrue(badDirection.err().contains("local-to-remote"), badDirection.err());
    }
}
