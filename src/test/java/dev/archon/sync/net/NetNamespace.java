package dev.archon.sync.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A network namespace joined to the host by a veth pair, with a PostgreSQL server (the embedded
 * binaries the tests already extracted) listening inside it: a "remote" server whose link can be
 * taken down for real. Needs root and iproute2; {@link #unavailableReason()} says why not. Closing
 * it stops the server and deletes the namespace (and with it the veth pair) and the data.
 */
public final class NetNamespace implements AutoCloseable {
    /** The unprivileged OS user the server runs as: postgres where Debian's packages created it, else nobody. */
    static final String OS_USER = userExists("postgres") ? "postgres" : "nobody";
    private final String name;
    private final String hostIf;
    private final String nsIf;
    private final String serverIp;
    private final Path dataDir;
    private Process postgres;

    private NetNamespace(String name, int subnet) throws IOException {
        this.name = name;
        this.hostIf = name + "h";
        this.nsIf = name + "n";
        this.serverIp = "10.213." + subnet + ".2";
        this.dataDir = Files.createTempDirectory("archon-sync-netns");
    }

    /** Null when namespaces can be used here, else why not (for a JUnit assumption). */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root: network namespaces need root";
        }
        try {
            if (run(List.of("ip", "netns", "list"), 10).exit != 0) {
                return "'ip netns' does not work here";
            }
            if (run(List.of("id", OS_USER), 10).exit != 0) {
                return "no OS user '" + OS_USER + "' to run PostgreSQL as (initdb refuses root)";
            }
            return psqlAvailable() ? null : "psql is not installed (it looks at the server while the link is down)";
        } catch (IOException e) {
            return "iproute2 ('ip') is not installed";
        }
    }

    /**
     * Creates the namespace and starts PostgreSQL in it on port 5432, reachable from the host at {@link #serverIp()}.
     *
     * @param postgresBin the bin directory of PostgreSQL binaries (initdb, postgres) that run as root
     */
    public static NetNamespace start(Path postgresBin) throws IOException {
        int subnet = 1 + (int) (ProcessHandle.current().pid() % 200);
        NetNamespace ns = new NetNamespace("asn" + subnet, subnet);
        try {
            ns.create(subnet);
            ns.startServer(postgresBin);
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private void create(int subnet) throws IOException {
        run(List.of("ip", "netns", "del", name), 10); // a leftover of a killed run
        must("ip", "netns", "add", name);
        must("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
        must("ip", "link", "set", nsIf, "netns", name);
        must("ip", "addr", "add", "10.213." + subnet + ".1/30", "dev", hostIf);
        must("ip", "link", "set", hostIf, "up");
        must("ip", "-n", name, "addr", "add", serverIp + "/30", "dev", nsIf);
        must("ip", "-n", name, "link", "set", nsIf, "up");
        must("ip", "-n", name, "link", "set", "lo", "up");
    }

    private static boolean userExists(String user) {
        try {
            return run(List.of("id", user), 10).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** initdb refuses root: the server runs as the unprivileged OS user {@value #OS_USER}, inside the namespace. */
    private void startServer(Path bin) throws IOException {
        must("chown", OS_USER, dataDir.toString());
        Path data = dataDir.resolve("data");
        must("runuser", "-u", OS_USER, "--", bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A",
                "trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
        postgres = new ProcessBuilder("ip", "netns", "exec", name, "runuser", "-u", OS_USER, "--", bin.resolve("postgres").toString(),
                "-D", data.toString(), "-p", "5432", "-k", dataDir.toString(), "-c", "listen_addresses=*", "-c", "fsync=off",
                "-c", "max_connections=50").redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (insideSql("SELECT 1").exit != 0) {
            if (System.nanoTime() > deadline || !postgres.isAlive()) {
                throw new IOException("PostgreSQL did not start in namespace " + name + ": "
                        + Files.readString(dataDir.resolve("server.log")));
            }
            sleep(200);
        }
    }

    public String serverIp() {
        return serverIp;
    }

    /** Takes the namespace's end of the link down: from the host, packets to the server vanish silently, and back. */
    public void linkDown() throws IOException {
        must("ip", "-n", name, "link", "set", nsIf, "down");
    }

    public void linkUp() throws IOException {
        must("ip", "-n", name, "link", "set", nsIf, "up");
    }

    /** Runs SQL with psql over the server's Unix socket (file system, not network: it works while the link is down). */
    public String sqlInside(String sql) throws IOException {
        Result r = insideSql(sql);
        if (r.exit != 0) {
            throw new IOException("psql in " + name + " failed: " + r.output);
        }
        return r.output.trim();
    }

    /**
     * Starts psql over the Unix socket in the background, running {@code sql} in {@code database} as
     * application "archon-test gate" (for example a transaction holding a lock for a while); the
     * caller destroys the process and terminates the session ({@link #endGates()}).
     */
    public Process gateInside(String database, String sql) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/psql", "-h", dataDir.toString(), "-p", "5432", "-U", "postgres",
                "-d", database, "-Atc", sql).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PGAPPNAME", GATE);
        return pb.start();
    }

    /** Ends every session started by {@link #gateInside}. */
    public void endGates() throws IOException {
        sqlInside("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" + GATE + "'");
    }

    /** The application name of {@link #gateInside} sessions. */
    public static final String GATE = "archon-test gate";

    /** Whether psql is installed (to look inside while the link is down). */
    public static boolean psqlAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/psql"));
    }

    private Result insideSql(String sql) throws IOException {
        return run(List.of("/usr/bin/psql", "-h", dataDir.toString(), "-p", "5432", "-U", "postgres",
                "-d", "postgres", "-Atc", sql), 20);
    }

    @Override
    public void close() {
        if (postgres != null) {
            postgres.descendants().forEach(ProcessHandle::destroy); // runuser's child: the postmaster
            postgres.destroy();
            try {
                postgres.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            postgres.destroyForcibly();
        }
        try {
            run(List.of("ip", "netns", "del", name), 10);
            run(List.of("ip", "link", "del", hostIf), 10); // gone with the namespace, unless it never moved there
        } catch (IOException ignored) {
            // nothing to remove
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void must(String... command) throws IOException {
        Result r = run(List.of(command), 60);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + r.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
