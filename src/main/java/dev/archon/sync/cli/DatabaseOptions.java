package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.config.ConfigResolver;
import dev.archon.sync.config.DatabaseConfig;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkTimeout;
import dev.archon.sync.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the two databases are: options, else the environment, else the .env file. */
final class DatabaseOptions {
    static final Path DEFAULT_ENV_FILE = Path.of(".env");
    static final String LINK_TIMEOUT_ENV = "ARCHON_SYNC_LINK_TIMEOUT";

    @Option(names = "--local", paramLabel = "URI",
            description = "Local database: postgresql://user:password@host:port/db or jdbc:postgresql:... (else LOCAL_DATABASE_URI)")
    String local;

    @Option(names = "--remote", paramLabel = "URI",
            description = "Remote database (else REMOTE_DATABASE_URI)")
    String remote;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "File read for LOCAL_DATABASE_URI / REMOTE_DATABASE_URI when neither option nor environment sets them"
                    + " (default: .env in the working directory, if there is one; a file named here must exist)")
    Path envFile;

    @Option(names = "--link-timeout", paramLabel = "SECONDS",
            description = "Give a database link up after this long without a packet from the server (keepalives on both"
                    + " ends; a busy server still answers them); else ARCHON_SYNC_LINK_TIMEOUT; default 60")
    String linkTimeout;

    /** Both databases, or one error naming every one that is not configured. */
    Database[] both() {
        List<DatabaseConfig> configs = resolver().resolveBoth(local, remote);
        LinkTimeout timeout = linkTimeout();
        return new Database[] {new Database(configs.get(0), timeout), new Database(configs.get(1), timeout)};
    }

    /** The local database (both must be configured: one error names every one missing). */
    Database local() {
        return both()[0];
    }

    /** The remote database (both must be configured). */
    Database remote() {
        return both()[1];
    }

    /** A facade over both databases. */
    SyncEngine engine() {
        Database[] dbs = both();
        return new SyncEngine(dbs[0], dbs[1]);
    }

    Database database(DatabaseRole role) {
        return new Database(resolver().resolve(role, role == DatabaseRole.LOCAL ? local : remote), linkTimeout());
    }

    /** The option, else the environment variable, else the default. */
    LinkTimeout linkTimeout() {
        if (linkTimeout != null) {
            return LinkTimeout.parse(linkTimeout, "--link-timeout");
        }
        String env = System.getenv(LINK_TIMEOUT_ENV);
        return env == null || env.isBlank() ? LinkTimeout.DEFAULT : LinkTimeout.parse(env, LINK_TIMEOUT_ENV);
    }

    private ConfigResolver resolver() {
        if (envFile != null && !Files.isRegularFile(envFile)) {
            throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "--env-file " + envFile + ": no such file");
        }
        return new ConfigResolver(System.getenv(), envFile == null ? DEFAULT_ENV_FILE : envFile);
    }
}
