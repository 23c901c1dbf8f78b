package dev.archon.sync.bench;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL server inside a {@link LinkNamespace}, listening only on the
 * namespace's address, so every connection to it crosses the link. The server runs as the
 * {@value #OS_USER} operating-system user ({@code initdb} and {@code postgres} refuse root),
 * started with {@code ip netns exec NS runuser -u postgres -- postgres ...} from the binaries of
 * {@code binDir}, with the settings of the embedded servers (trust authentication; fsync,
 * synchronous_commit and full_page_writes off). Closing it stops the server (fast shutdown) and
 * deletes its data; the namespace is the caller's to close.
 */
public final class NamespaceServer implements AutoCloseable {
    static final String OS_USER = "postgres";
    static final int PORT = 5432;
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceServer.class);
    private static final Map<String, String> SETTINGS = Map.of("max_connections", "100", "fsync", "off",
            "synchronous_commit", "off", "full_page_writes", "off", "timezone", "UTC");
    private static final long START_TIMEOUT_MS = 60_000;

    private final LinkNamespace link;
    private final Path binDir;
    private final Path dataDir;
    private final Process process;

    private NamespaceServer(LinkNamespace link, Path binDir, Path dataDir, Process process) {
        this.link = link;
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.process = process;
    }

    /** Initialises a data directory and starts the server in {@code link}'s namespace; waits until it accepts connections. */
    public static NamespaceServer start(LinkNamespace link, Path binDir) {
        Path data = null;
        try {
            Path home = Files.createTempDirectory("archon-bench-ns-pg");
            data = home.resolve("data");
            chown(home);
            run(List.of("runuser", "-u", OS_USER, "--", binDir.resolve("initdb").toString(), "-A", "trust", "-U", "postgres",
                    "-D", data.toString(), "-E", "UTF-8"), home.resolve("initdb.log"));
            Files.writeString(data.resolve("pg_hba.conf"), "host all all " + LinkNamespace.PREFIX + ".0.0/16 trust\n",
                    StandardOpenOption.APPEND);
            List<String> postgres = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--", binDir.resolve("postgres").toString(),
                    "-D", data.toString(), "-p", String.valueOf(PORT), "-c", "listen_addresses=" + link.namespaceAddress(),
                    "-c", "unix_socket_directories=" + data));
            SETTINGS.forEach((k, v) -> postgres.addAll(List.of("-c", k + "=" + v)));
            Process p = new ProcessBuilder(link.exec(postgres)).redirectErrorStream(true)
                    .redirectOutput(home.resolve("server.log").toFile()).start();
            NamespaceServer server = new NamespaceServer(link, binDir, data, p);
            server.awaitReady(home.resolve("server.log"));
            LOG.info("PostgreSQL in namespace {} at {}:{}", link.name(), link.namespaceAddress(), PORT);
            return server;
        } catch (IOException e) {
            deleteQuietly(data == null ? null : data.getParent());
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not start PostgreSQL in " + link.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(data == null ? null : data.getParent());
            throw e;
        }
    }

    private void awaitReady(Path log) throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true) {
            try (Connection c = new Database(config(DatabaseRole.REMOTE)).open("archon-sync bench probe")) {
                return;
            } catch (Exception notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    close();
                    throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "PostgreSQL in " + link.name()
                            + " did not start: " + (Files.exists(log) ? Files.readString(log).strip() : notYet.getMessage()));
                }
                sleep(200);
            }
        }
    }

    /** Connection settings for the superuser over the link, labelled as {@code role}. */
    public DatabaseConfig config(DatabaseRole role) {
        return new DatabaseConfig(role, link.namespaceAddress(), PORT, "postgres", "postgres", null, Map.of(),
                "PostgreSQL behind " + (link.rate() == null ? "an unshaped link" : "a " + link.rate() + " link"));
    }

    @Override
    public void close() {
        try {
            run(List.of("runuser", "-u", OS_USER, "--", binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "stop", "-m", "fast", "-w"), dataDir.getParent().resolve("pg_ctl.log"));
        } catch (RuntimeException e) {
            LOG.warn("could not stop PostgreSQL in {}: {}", link.name(), e.getMessage());
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dataDir.getParent());
    }

    private static void chown(Path dir) throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName(OS_USER));
    }

    private static void run(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, String.join(" ", command) + " failed: "
                        + (Files.exists(log) ? Files.readString(log).strip() : ""));
            }
        } catch (IOException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchonSyncException(ErrorCode.CANCELLED, "interrupted while running " + command.get(0));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchonSyncException(ErrorCode.CANCELLED, "interrupted");
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
