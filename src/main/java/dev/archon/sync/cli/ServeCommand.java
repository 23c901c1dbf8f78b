package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Database;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.server.ApiServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code archon-sync serve}: the HTTP API and the web page, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the HTTP API and the web page (start, watch, cancel and review syncs from a browser).",
                "Every /api endpoint needs the token: ARCHON_SYNC_API_TOKEN, else a random one printed at start."})
final class ServeCommand implements Callable<Integer> {
    static final String TOKEN_VARIABLE = "ARCHON_SYNC_API_TOKEN";

    @Mixin
    DatabaseOptions databases;

    @Option(names = "--port", defaultValue = "" + ApiServer.DEFAULT_PORT, description = "TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = ApiServer.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Option(names = "--backup-dir", paramLabel = "DIR", description = "Where syncs write backups (default: backups)")
    Path backupDir = SyncRequest.DEFAULT_BACKUP_DIR;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--port must be between 0 and 65535, got " + port);
        }
        InetAddress address = address(bind);
        PrintWriter out = spec.commandLine().getOut();
        String envToken = System.getenv(TOKEN_VARIABLE);
        boolean generated = envToken == null || envToken.isBlank();
        String token = generated ? ApiServer.randomToken() : envToken;
        Database[] both = databases.both();
        Database local = both[0];
        Database remote = both[1];
        ApiServer server = new ApiServer(new SyncEngine(local, remote), local, remote, token, backupDir).start(bind, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "archon-sync serve shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String host = address.isAnyLocalAddress() ? "127.0.0.1"
                : address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        String url = "http://" + host + ":" + server.port() + "/";
        out.println("archon-sync serving the API and the web page on " + bind + ":" + server.port());
        out.println("  local:  " + local.config().describe());
        out.println("  remote: " + remote.config().describe());
        if (generated) {
            out.println("  open:   " + url + "#token=" + token);
            out.println("  token:  generated for this run (set " + TOKEN_VARIABLE + " to choose one)");
        } else {
            out.println("  open:   " + url + "  (the page asks for the token from " + TOKEN_VARIABLE + ")");
        }
        if (!address.isLoopbackAddress()) {
            out.println("  warning: listening beyond this machine over plain HTTP; the token travels unencrypted");
        }
        out.println("Ctrl-C stops the server (a running sync is cancelled and rolled back).");
        out.flush();
        stopped.await();
        return 0;
    }

    private static InetAddress address(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--bind: unknown address '" + bind + "'");
        }
    }
}
