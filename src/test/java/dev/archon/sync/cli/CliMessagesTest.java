package dev.archon.sync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command line's own answers, without a database: version, missing configuration, a busy port. */
class CliMessagesTest {
    @Test
    void everyCommandPrintsTheVersion() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            CliIT.Run r = CliIT.run(command, "-V");
            assertEquals(0, r.exit(), command + ": " + r.all());
            assertTrue(r.out().startsWith("archon-sync "), command + " -V printed: '" + r.out() + "'");
        }
    }

    @Test
    void onlyTheSubcommandRunIsBuiltAndUsageAndHelpStillListThemAll() {
        var all = Main.commandLine().getSubcommands().keySet();
        assertEquals(java.util.Set.of("sync"), Main.commandLine("sync").getSubcommands().keySet());
        for (String first : new String[] {null, "help", "--help", "-h", "syn"}) {
            assertEquals(all, Main.commandLine(first).getSubcommands().keySet(), String.valueOf(first));
        }
        CliIT.Run usage = CliIT.run("--help");
        for (var e : Main.commandLine().getSubcommands().entrySet()) {
            String name = e.getKey();
            if (e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            assertTrue(usage.out().contains("  " + name + " "), name + " missing from the usage: " + usage.out());
        }
        CliIT.Run help = CliIT.run("help", "sync");
        assertEquals(0, help.exit(), help.all());
        assertTrue(help.out().contains("--direction"), help.out());
        CliIT.Run typo = CliIT.run("syn");
        assertEquals(1, typo.exit(), typo.all());
        assertTrue(typo.err().contains("Did you mean: archon-sync sync?"), "suggests the command meant: " + typo.err());
    }

    @Test
    void withNoConfigurationEveryMissingDatabaseIsNamedAtOnce() throws Exception {
        Path empty = Files.createTempFile("archon-sync-empty", ".env");
        empty.toFile().deleteOnExit();
        for (String[] args : new String[][] {{"sync", "-d", "local-to-remote", "--yes"}, {"preflight", "-d", "remote-to-local"},
                {"history"}, {"serve", "--port", "0"}, {"undo", "sync_20260101_000000_abcd", "--yes"}}) {
            String[] all = java.util.Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--env-file";
            all[args.length + 1] = empty.toString();
            CliIT.Run r = CliIT.run(all);
            assertEquals(1, r.exit(), String.join(" ", args) + ": " + r.all());
            assertTrue(r.err().contains("no local and no remote database configured") && r.err().contains("--local")
                    && r.err().contains("REMOTE_DATABASE_URI"), r.err());
        }
    }

    @Test
    void aMissingEnvFileIsAnError() {
        CliIT.Run r = CliIT.run("history", "--env-file", "/nonexistent/archon.env");
        assertEquals(1, r.exit(), r.all());
        assertEquals("error: --env-file /nonexistent/archon.env: no such file", r.err().strip());
    }

    @Test
    void serveOnABusyPortExitsOneWithOneLineNamingThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            CliIT.Run r = CliIT.run("serve", "--port", String.valueOf(port), "--local", "postgresql://u:p@127.0.0.1:1/a",
                    "--remote", "postgresql://u:p@127.0.0.1:1/b");
            assertEquals(1, r.exit(), r.all());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("port " + port + " on 127.0.0.1 is already in use"), r.err());
            assertFalse(r.all().contains("Exception") || r.all().contains("\tat "), r.all());
        }
    }
}
