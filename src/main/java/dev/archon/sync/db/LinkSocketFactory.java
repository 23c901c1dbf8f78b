package dev.archon.sync.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The socket factory pgjdbc uses for every archon-sync connection (connection property
 * {@code socketFactory}; pgjdbc instantiates it with {@code socketFactoryArg} = "label:seconds").
 * Its sockets are {@link LinkSocket}s: keepalive probes and TCP_USER_TIMEOUT set from the
 * {@link LinkTimeout}. pgjdbc only calls {@link #createSocket()}.
 */
public final class LinkSocketFactory extends SocketFactory {
    private final String database;
    private final LinkTimeout timeout;

    /** @param arg "local:60" or "remote:60": the database's label and the bound in seconds */
    public LinkSocketFactory(String arg) {
        int colon = arg == null ? -1 : arg.lastIndexOf(':');
        this.database = colon < 0 ? "database" : arg.substring(0, colon);
        this.timeout = colon < 0 ? LinkTimeout.DEFAULT : new LinkTimeout(Integer.parseInt(arg.substring(colon + 1)));
    }

    /** The value of {@code socketFactoryArg} for a database. */
    static String argument(String database, LinkTimeout timeout) {
        return database + ":" + timeout.seconds();
    }

    @Override
    public Socket createSocket() {
        return new LinkSocket(database, timeout);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new IOException("archon-sync's sockets are connected by pgjdbc (createSocket() then connect)");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address.getHostAddress(), port);
    }
}
