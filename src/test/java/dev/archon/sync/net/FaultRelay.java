package dev.archon.sync.net;

import dev.archon.sync.config.DatabaseConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between archon-sync and a real PostgreSQL server, for fault tests. It forwards bytes
 * both ways and, once armed, acts when a chosen connection (its startup message names the
 * application, such as "archon-sync import") sends bytes containing a marker (such as "COMMIT" in
 * pgjdbc's Parse message):
 * <ul>
 *   <li>{@link Fault#STALL}: stops forwarding and reading both ways, keeping both sockets open (the
 *   relay's kernel still acknowledges what fits in its buffers and answers keepalive probes, so this
 *   is only half of a dead link: a sender fills the buffers and then sees a zero window);</li>
 *   <li>{@link Fault#DROP}: resets both sides (RST) without forwarding the bytes;</li>
 *   <li>{@link Fault#CUT_AFTER_REPLY}: forwards the bytes, waits for the server's answer, discards
 *   it and resets both sides, so the server acted and the client never learns it.</li>
 * </ul>
 * {@link #refuseNew} makes it reset new connections at once, as a link that is down.
 */
public final class FaultRelay implements AutoCloseable {
    /** What the relay does when its armed marker passes. */
    public enum Fault { STALL, DROP, CUT_AFTER_REPLY }

    private final ServerSocket listener;
    private final int serverPort;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
    private final AtomicInteger fired = new AtomicInteger();
    private volatile Fault fault;
    private volatile String application;
    private volatile String marker;
    private volatile boolean refuseNew;
    private volatile long firedAtNanos;
    private volatile Runnable onFire = () -> { };

    public FaultRelay(int serverPort) throws IOException {
        this(serverPort, 0);
    }

    /** @param listenPort the loopback port to listen on, 0 for any */
    public FaultRelay(int serverPort, int listenPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fault-relay accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The same database, reached through the relay. */
    public DatabaseConfig route(DatabaseConfig c) {
        return new DatabaseConfig(c.role(), "127.0.0.1", port(), c.database(), c.user(), c.password(), c.params(), c.source());
    }

    /** Arms a fault: on the first connection of {@code app} whose client bytes contain {@code marker}. */
    public void arm(Fault f, String app, String mark) {
        this.application = app;
        this.marker = mark;
        this.fault = f;
    }

    /** Runs {@code action} (on the relay's thread) when the armed fault fires, before acting. */
    public void onFire(Runnable action) {
        this.onFire = action;
    }

    /** How many times a fault fired. */
    public int fired() {
        return fired.get();
    }

    /** System.nanoTime() when the fault fired, 0 before. */
    public long firedAtNanos() {
        return firedAtNanos;
    }

    public void refuseNew(boolean value) {
        refuseNew = value;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (refuseNew) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                Pipe p = new Pipe(client, server);
                pipes.add(p);
                p.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** One relayed connection: a thread per direction. */
    private final class Pipe {
        final Socket client;
        final Socket server;
        final StringBuilder startup = new StringBuilder();
        volatile boolean stalled;
        volatile boolean cutOnReply;

        Pipe(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            thread("c->s", () -> pump(client, server, true));
            thread("s->c", () -> pump(server, client, false));
        }

        private void pump(Socket from, Socket to, boolean fromClient) {
            byte[] buf = new byte[16384];
            String tail = "";
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (stalled) {
                        Thread.sleep(50); // hold what was read; read no more
                    }
                    if (!fromClient && cutOnReply) {
                        resetBoth();
                        return;
                    }
                    if (fromClient) {
                        String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        if (startup.length() < 2048) {
                            startup.append(text, 0, Math.min(text.length(), 2048));
                        }
                        if (triggers(tail + text)) {
                            if (act(out, buf, n)) {
                                return;
                            }
                            continue;
                        }
                        tail = text.length() > 64 ? text.substring(text.length() - 64) : text;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: the pipe ends
            }
            resetBoth();
        }

        private boolean triggers(String text) {
            Fault f = fault;
            return f != null && startup.indexOf(application) >= 0 && text.contains(marker);
        }

        /** Acts on the armed fault; true when this pump is done. */
        private boolean act(OutputStream out, byte[] buf, int n) throws IOException, InterruptedException {
            Fault f = fault;
            fault = null;
            fired.incrementAndGet();
            firedAtNanos = System.nanoTime();
            onFire.run();
            switch (f) {
                case STALL -> {
                    stalled = true;
                    while (stalled) {
                        Thread.sleep(50);
                    }
                    return true;
                }
                case DROP -> {
                    resetBoth();
                    return true;
                }
                default -> {
                    cutOnReply = true;
                    out.write(buf, 0, n);
                    out.flush();
                    return false;
                }
            }
        }

        void resetBoth() {
            stalled = false;
            reset(client);
            reset(server);
        }
    }

    private static void thread(String name, Runnable r) {
        Thread t = new Thread(r, "fault-relay " + name);
        t.setDaemon(true);
        t.start();
    }

    /** Closes with RST (linger 0): the peer sees "connection reset", as when a middlebox drops the connection. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Ends every relayed connection (resets both sides of stalled ones) and stops listening. */
    @Override
    public void close() throws IOException {
        listener.close();
        pipes.forEach(Pipe::resetBoth);
    }
}
