package dev.archon.sync.bench;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network namespace reached from this host over a veth pair: a link like a user's link to the
 * cloud, for the benchmark and for network-fault tests. {@link #create} makes the namespace, the
 * veth pair (one end in the namespace), a private /30 of {@value #PREFIX}.x.y with one address on
 * each end, and, when a rate is given, a {@code tbf} qdisc on each end so that both directions are
 * shaped to the rate (this kernel has tbf but no netem). Processes started with {@link #exec} run
 * inside the namespace and are reached at {@link #namespaceAddress()}; traffic to them crosses
 * the link and is counted by {@link #counters()}. {@link #setLinkUp} takes the link down and up.
 *
 * <p>{@link #close} kills what still runs in the namespace, then removes the veth pair (with its
 * qdiscs) and the namespace; a shutdown hook does the same if the JVM exits first, and a failure
 * half-way through {@link #create} removes what was made. Needs root and iproute2 ({@code ip},
 * {@code tc}): see {@link #unavailable()}. Thread-safe; independent of the rest of the harness.
 */
public final class LinkNamespace implements AutoCloseable {
    /** The first two octets of the addresses used: private, and only on the veth pair. */
    public static final String PREFIX = "10.213";
    private static final Logger LOG = LoggerFactory.getLogger(LinkNamespace.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern RATE = Pattern.compile("(\\d+)(kbit|mbit|gbit)");
    private static final long KILL_WAIT_MS = 5_000;

    private final String name;
    private final String hostVeth;
    private final String innerVeth;
    private final String hostAddress;
    private final String namespaceAddress;
    private final String rate;
    private final Thread hook;
    private boolean closed;

    private LinkNamespace(String rate) {
        long pid = ProcessHandle.current().pid();
        int n = COUNTER.incrementAndGet();
        this.name = "archon-link-" + pid + "-" + n;
        String id = Long.toString(pid, 36) + Integer.toString(n, 36);
        this.hostVeth = "alh" + id;
        this.innerVeth = "aln" + id;
        String[] pair = freeSubnet();
        this.hostAddress = pair[0];
        this.namespaceAddress = pair[1];
        this.rate = rate;
        this.hook = new Thread(this::close, "remove " + name);
    }

    /** Why a namespace cannot be made here (not root, no ip or tc), or null when it can. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "network namespaces need root";
        }
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/tc")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of(tool.replace("/usr/sbin", "/sbin")))) {
                return tool.substring(tool.lastIndexOf('/') + 1) + " (iproute2) is not installed";
            }
        }
        return null;
    }

    /**
     * Creates the namespace and its link.
     *
     * @param rate the rate of each direction in tc's notation ({@code 100mbit}, {@code 20mbit},
     *             {@code 512kbit}), or null for an unshaped link
     * @throws ArchonSyncException (INVALID_ARGUMENTS) for a malformed rate, (TRANSFER_FAILED) when
     *                             a command fails; nothing is left behind then
     */
    public static LinkNamespace create(String rate) {
        if (rate != null) {
            burstOf(rate);
        }
        LinkNamespace ns = new LinkNamespace(rate == null ? null : rate.toLowerCase(Locale.ROOT));
        Runtime.getRuntime().addShutdownHook(ns.hook);
        try {
            ns.build();
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        LOG.info("network namespace {} up: {} <-> {} ({})", ns.name, ns.hostAddress, ns.namespaceAddress,
                ns.rate == null ? "unshaped" : "tbf " + ns.rate + " each way");
        return ns;
    }

    private void build() {
        run("ip", "netns", "add", name);
        run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", innerVeth);
        run("ip", "link", "set", innerVeth, "netns", name);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostVeth);
        run("ip", "link", "set", hostVeth, "up");
        run("ip", "-n", name, "addr", "add", namespaceAddress + "/30", "dev", innerVeth);
        run("ip", "-n", name, "link", "set", innerVeth, "up");
        run("ip", "-n", name, "link", "set", "lo", "up");
        if (rate != null) {
            List<String> tbf = List.of("root", "tbf", "rate", rate, "burst", burstOf(rate), "latency", "100ms");
            List<String> host = new ArrayList<>(List.of("tc", "qdisc", "add", "dev", hostVeth));
            host.addAll(tbf);
            run(host.toArray(String[]::new));
            List<String> inner = new ArrayList<>(List.of("ip", "netns", "exec", name, "tc", "qdisc", "add", "dev", innerVeth));
            inner.addAll(tbf);
            run(inner.toArray(String[]::new));
        }
    }

    /**
     * The tbf bucket for {@code rate}: 10 ms at the rate, at least 32 KiB (one full-size segment always fits).
     *
     * @throws ArchonSyncException (INVALID_ARGUMENTS) when {@code rate} is not {@code <n>kbit|mbit|gbit}
     */
    public static String burstOf(String rate) {
        var m = RATE.matcher(rate == null ? "" : rate.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS,
                    "--link must be a rate such as 100mbit, 20mbit or 512kbit, got '" + rate + "'");
        }
        long bits = Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "kbit" -> 1_000L;
            case "mbit" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        return Math.max(32 * 1024, bits / 8 / 100) + "b";
    }

    /** The namespace's name ({@code ip netns exec NAME ...}). */
    public String name() {
        return name;
    }

    /** The host end's address: how processes in the namespace reach this host. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The namespace end's address: where a server started with {@link #exec} listens. */
    public String namespaceAddress() {
        return namespaceAddress;
    }

    /** The rate of each direction ({@code 100mbit}), or null when unshaped. */
    public String rate() {
        return rate;
    }

    /** {@code command} prefixed to run inside the namespace ({@code ip netns exec NAME command...}). */
    public List<String> exec(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /** Bytes that crossed the link so far, read from the host end's counters. */
    public Counters counters() {
        return new Counters(readCounter("tx_bytes"), readCounter("rx_bytes"));
    }

    /** Takes the link down (packets are dropped both ways; connections hang) or brings it back up. */
    public void setLinkUp(boolean up) {
        run("ip", "link", "set", hostVeth, up ? "up" : "down");
        run("ip", "-n", name, "link", "set", innerVeth, up ? "up" : "down");
    }

    private long readCounter(String counter) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", hostVeth, "statistics", counter)).strip());
        } catch (IOException | NumberFormatException e) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "could not read " + counter + " of " + hostVeth + ": " + e.getMessage(), e);
        }
    }

    /** Kills what runs in the namespace, removes the veth pair and the namespace. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        killProcesses();
        quietly("ip", "link", "del", hostVeth);
        quietly("ip", "netns", "del", name);
        LOG.info("network namespace {} removed", name);
    }

    private void killProcesses() {
        List<ProcessHandle> alive = new ArrayList<>();
        for (String pid : quietly("ip", "netns", "pids", name).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(alive::add);
            }
        }
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + KILL_WAIT_MS;
        for (ProcessHandle p : alive) {
            try {
                p.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    /** Picks the first /30 of {@value #PREFIX}.0.0/16 that no interface of this host uses. */
    private static synchronized String[] freeSubnet() {
        String used = quietly("ip", "-o", "-4", "addr", "show");
        for (int third = 0; third < 256; third++) {
            for (int fourth = 0; fourth < 256; fourth += 4) {
                String net = PREFIX + "." + third + ".";
                if (!used.contains(net + (fourth + 1) + "/") && !used.contains(net + (fourth + 2) + "/")) {
                    return new String[] {net + (fourth + 1), net + (fourth + 2)};
                }
            }
        }
        throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED, "no free /30 left in " + PREFIX + ".0.0/16");
    }

    private static String run(String... command) {
        Outcome o = execute(command);
        if (o.exitCode != 0) {
            throw new ArchonSyncException(ErrorCode.TRANSFER_FAILED,
                    "'" + String.join(" ", command) + "' failed (" + o.exitCode + "): " + o.output.strip());
        }
        return o.output;
    }

    private static String quietly(String... command) {
        Outcome o = execute(command);
        if (o.exitCode != 0) {
            LOG.debug("'{}' failed ({}): {}", String.join(" ", command), o.exitCode, o.output.strip());
        }
        return o.output;
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome execute(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Outcome(p.waitFor(), out);
        } catch (IOException e) {
            return new Outcome(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(130, "interrupted");
        }
    }

    /**
     * Bytes through the link since it was made.
     *
     * @param toNamespace   bytes sent from this host into the namespace
     * @param fromNamespace bytes sent from the namespace to this host
     */
    public record Counters(long toNamespace, long fromNamespace) {
        /** Both directions. */
        public long total() {
            return toNamespace + fromNamespace;
        }

        /** The bytes that crossed since {@code earlier}. */
        public Counters since(Counters earlier) {
            return new Counters(toNamespace - earlier.toNamespace, fromNamespace - earlier.fromNamespace);
        }
    }
}
