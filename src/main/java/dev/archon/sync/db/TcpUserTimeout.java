package dev.archon.sync.db;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketImpl;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets Linux's TCP_USER_TIMEOUT on a socket: how long sent data may stay unacknowledged before the
 * kernel gives the connection up. Keepalive probes only run while nothing is in flight, so without
 * it a link that dies while a statement or COPY data is being sent waits for the kernel's
 * retransmission limit (about 15 minutes). Java 17 has no API for it, so this calls the JDK's own
 * setsockopt through reflection; that needs {@code --add-opens java.base/java.net=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the jar's manifest carries both). Without them, or
 * off Linux, it logs one warning and does nothing.
 */
final class TcpUserTimeout {
    private static final Logger log = LoggerFactory.getLogger(TcpUserTimeout.class);
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_USER_TIMEOUT = 18;
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private TcpUserTimeout() {
    }

    /** Sets the timeout (milliseconds) on a created socket; false when the platform does not allow it. */
    static boolean set(Socket socket, int millis) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return warn("not Linux", null);
        }
        try {
            Method getImpl = Socket.class.getDeclaredMethod("getImpl");
            getImpl.setAccessible(true);
            SocketImpl impl = (SocketImpl) getImpl.invoke(socket);
            for (Class<?> c = impl.getClass(); c != null; c = c.getSuperclass()) {
                if (c.getName().equals("java.net.DelegatingSocketImpl")) {
                    Field delegate = c.getDeclaredField("delegate");
                    delegate.setAccessible(true);
                    impl = (SocketImpl) delegate.get(impl);
                    break;
                }
            }
            Field fdField = SocketImpl.class.getDeclaredField("fd");
            fdField.setAccessible(true);
            FileDescriptor fd = (FileDescriptor) fdField.get(impl);
            Class<?> net = Class.forName("sun.nio.ch.Net");
            Method setInt = net.getDeclaredMethod("setIntOption0", FileDescriptor.class, boolean.class, int.class, int.class,
                    int.class, boolean.class);
            setInt.setAccessible(true);
            setInt.invoke(null, fd, false, IPPROTO_TCP, TCP_USER_TIMEOUT, millis, false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return warn(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean warn(String why, Exception e) {
        if (WARNED.compareAndSet(false, true)) {
            log.warn("cannot set TCP_USER_TIMEOUT ({}): a link that dies while data is in flight is given up by the kernel's"
                    + " retransmission limit instead of --link-timeout", why);
            log.debug("TCP_USER_TIMEOUT failure", e);
        }
        return false;
    }
}
