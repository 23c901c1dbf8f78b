package dev.archon.sync.cli;

import dev.archon.sync.config.ConfigResolver;
import dev.archon.sync.config.DatabaseRole;
import dev.archon.sync.db.Database;
import dev.archon.sync.db.LinkTimeout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the two databases are: options, else the environment, else the .env file. */
final class DatabaseOptions {
    static final String LINK_TIMEOUT_ENV = "ARCHON_SYNC_LINK_TIMEOUT";

    @Option(names = "--local", paramLabel = "URI",
            description = "Local database: postgresql://user:password@host:port/db or jdbc:postgresql:... (else LOCAL_DATABASE_URI)")
    String local;

    @Option(names = "--remote", paramLabel = "URI",
            description = "Remote database (else REMOTE_DATABASE_URI)")
    String remote;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env",
            description = "File read for LOCAL_DATABASE_URI / REMOTE_DATABASE_URI when neither option nor environment sets them (default: ${DEFAULT-VALUE})")
    Path envFile;

    @Option(names = "--link-timeout", paramLabel = "SECONDS",
            description = "Give a database link up after this long without a packet from the server (keepalives on both"
                    + " ends; a busy server still answers them); else ARCHON_SYNC_LINK_TIMEOUT; default 60")
    String linkTimeout;

    Database local() {
        return database(DatabaseRole.LOCAL);
    }

    Database remote() {
        return database(DatabaseRole.REMOTE);
    }

    Database database(DatabaseRole role) {
        ConfigResolver resolver = new ConfigResolver(System.getenv(), envFile);
        return new Database(resolver.resolve(role, role == DatabaseRole.LOCAL ? local : remote), linkTimeout());
    }

    /** The option, else the environment variable, else the default. */
    LinkTimeout linkTimeout() {
        if (linkTimeout != null) {
            return LinkTimeout.parse(linkTimeout, "--link-timeout");
        }
        String env = System.getenv(LINK_TIMEOUT_ENV);
        return env == null || env.isBlank() ? LinkTimeout.DEFAULT : LinkTimeout.parse(env, LINK_TIMEOUT_ENV);
    }
}
