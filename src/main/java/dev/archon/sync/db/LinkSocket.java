package dev.archon.sync.db;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;

/**
 * A plain TCP socket that gives up a silent link within the {@link LinkTimeout}: keepalive probes
 * while the connection is idle (waiting for a long statement included: the server's kernel answers
 * them), TCP_USER_TIMEOUT while data stays unacknowledged. When the kernel gives the connection up
 * (ETIMEDOUT), reads and writes throw {@link SilentLinkException} naming the database.
 */
final class LinkSocket extends Socket {
    private final String database;
    private final LinkTimeout timeout;
    private InputStream input;
    private OutputStream output;

    LinkSocket(String database, LinkTimeout timeout) {
        this.database = database;
        this.timeout = timeout;
    }

    @Override
    public void connect(SocketAddress endpoint, int connectTimeoutMs) throws IOException {
        setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        setOption(ExtendedSocketOptions.TCP_KEEPIDLE, timeout.idle());
        setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, timeout.interval());
        setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, timeout.count());
        TcpUserTimeout.set(this, timeout.seconds() * 1000);
        super.connect(endpoint, connectTimeoutMs);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }
            };
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    try {
                        super.write(b);
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        out.write(b, off, len); // the wrapped stream, not FilterOutputStream's byte loop
                    } catch (IOException e) {
                        throw translate(e);
                    }
                }
            };
        }
        return output;
    }

    /**
     * ETIMEDOUT on an established connection means the kernel gave up on the peer (keepalives or
     * data unanswered for the bound); EHOSTUNREACH/ENETUNREACH are reported in its place when the
     * local route vanished meanwhile (a Wi-Fi drop). Anything else passes unchanged.
     */
    private IOException translate(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (!(e instanceof SocketTimeoutException) && (m.contains("timed out") || m.contains("No route to host")
                || m.contains("Network is unreachable"))) {
            return new SilentLinkException(database, timeout.seconds(), e);
        }
        return e;
    }
}
