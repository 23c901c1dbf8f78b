package dev.archon.sync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archon.sync.ArchonSyncException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's link: a real namespace and veth pair (root and iproute2 needed; skipped
 * otherwise). A process inside the namespace sends bytes to a socket of this JVM over the link.
 */
class LinkNamespaceIT {
    private static final int BYTES = 2_000_000;

    @Test
    void shapedLinkCarriesCountedBytesAtItsRateAndGoesDownAndUp() throws Exception {
        assumeTrue(LinkNamespace.unavailable() == null, () -> "skipped: " + LinkNamespace.unavailable());
        String veth;
        String name;
        try (LinkNamespace link = LinkNamespace.create("8mbit")) {
            name = link.name();
            veth = hostVeth(link);
            assertNotEquals(link.hostAddress(), link.namespaceAddress());
            LinkNamespace.Counters before = link.counters();

            long start = System.nanoTime();
            assertEquals(BYTES, send(link, BYTES, 60));
            double seconds = (System.nanoTime() - start) / 1e9;
            LinkNamespace.Counters crossed = link.counters().since(before);

            assertTrue(crossed.fromNamespace() >= BYTES, "bytes out of the namespace: " + crossed);
            assertTrue(crossed.toNamespace() > 0, "acks into the namespace: " + crossed);
            // 2 MB at 8 Mbit/s takes 2 s; the 10 ms bucket lets a few KB through early, never a second's worth
            assertTrue(seconds > 1.5, "2 MB crossed an 8mbit link in " + seconds + " s");

            link.setLinkUp(false);
            assertEquals(-1, send(link, 1_000, 3), "nothing crosses a link that is down");
            link.setLinkUp(true);
            assertEquals(1_000, send(link, 1_000, 30), "the link carries bytes again once up");
        }
        assertFalse(Files.exists(Path.of("/sys/class/net", veth)), "the veth pair is removed");
        assertFalse(run(List.of("ip", "netns", "list")).contains(name), "the namespace is removed");
    }

    @Test
    void malformedRateIsRefusedBeforeAnythingIsMade() {
        assertThrows(ArchonSyncException.class, () -> LinkNamespace.create("fast"));
        assertEquals("125000b", LinkNamespace.burstOf("100mbit"));
        assertEquals("32768b", LinkNamespace.burstOf("512kbit"));
    }

    /** Has a shell in the namespace write {@code n} bytes to a socket of this JVM; returns what arrived, -1 when the send failed. */
    private static long send(LinkNamespace link, int n, int timeoutSeconds) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(link.hostAddress(), 0));
            server.setSoTimeout(timeoutSeconds * 1000);
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    return -1L;
                }
            });
            String script = "head -c " + n + " /dev/zero > /dev/tcp/" + link.hostAddress() + "/" + server.getLocalPort();
            Process p = new ProcessBuilder(link.exec(List.of("timeout", String.valueOf(timeoutSeconds), "bash", "-c", script)))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            boolean sent = p.waitFor(timeoutSeconds + 5L, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!sent) {
                p.destroyForcibly();
                server.close();
                received.get(10, TimeUnit.SECONDS);
                return -1;
            }
            return received.get(timeoutSeconds, TimeUnit.SECONDS);
        }
    }

    private static String hostVeth(LinkNamespace link) throws IOException, InterruptedException {
        for (String line : run(List.of("ip", "-o", "-4", "addr", "show")).split("\n")) {
            if (line.contains(" " + link.hostAddress() + "/")) {
                return line.trim().split("\\s+")[1];
            }
        }
        throw new AssertionError("no interface holds " + link.hostAddress());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
