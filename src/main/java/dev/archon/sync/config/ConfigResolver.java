package dev.archon.sync.config;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds each database's URI: the command-line option first, then the environment, then the
 * {@code .env} file of the working directory. Built once at the application edge; nothing deeper
 * reads the environment.
 */
public final class ConfigResolver {
    private final Map<String, String> environment;
    private final Path dotEnvFile;

    /**
     * @param environment the process environment (System.getenv() at the edge, a map in tests)
     * @param dotEnvFile  the .env file to fall back on; it need not exist
     */
    public ConfigResolver(Map<String, String> environment, Path dotEnvFile) {
        this.environment = Map.copyOf(environment);
        this.dotEnvFile = dotEnvFile;
    }

    /**
     * @param role        which database
     * @param optionValue the value of {@code --local}/{@code --remote}, or null
     * @throws ArchonSyncException INVALID_ARGUMENTS when no value is found, CONNECTION_FAILED when it is malformed
     */
    public DatabaseConfig resolve(DatabaseRole role, String optionValue) {
        DatabaseConfig found = find(role, optionValue);
        if (found == null) {
            throw missing(java.util.List.of(role));
        }
        return found;
    }

    /**
     * Both databases; when neither or one is configured, one error naming everything missing.
     *
     * @throws ArchonSyncException INVALID_ARGUMENTS naming every missing database, CONNECTION_FAILED when a value is malformed
     */
    public java.util.List<DatabaseConfig> resolveBoth(String localOption, String remoteOption) {
        DatabaseConfig local = find(DatabaseRole.LOCAL, localOption);
        DatabaseConfig remote = find(DatabaseRole.REMOTE, remoteOption);
        java.util.List<DatabaseRole> missing = new java.util.ArrayList<>();
        if (local == null) {
            missing.add(DatabaseRole.LOCAL);
        }
        if (remote == null) {
            missing.add(DatabaseRole.REMOTE);
        }
        if (!missing.isEmpty()) {
            throw missing(missing);
        }
        return java.util.List.of(local, remote);
    }

    private ArchonSyncException missing(java.util.List<DatabaseRole> roles) {
        java.util.List<String> labels = roles.stream().map(DatabaseRole::label).toList();
        java.util.List<String> options = roles.stream().map(r -> r.option() + " postgresql://user:password@host:port/database").toList();
        java.util.List<String> variables = roles.stream().map(DatabaseRole::envVariable).toList();
        return new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "no " + String.join(" and no ", labels) + " database configured:"
                + " pass " + String.join(" and ", options) + ", or set " + String.join(" and ", variables)
                + " in the environment or in " + dotEnvFile);
    }

    /** The configured value of one database, or null when none is found. */
    private DatabaseConfig find(DatabaseRole role, String optionValue) {
        if (optionValue != null) {
            return DatabaseUriParser.parse(role, optionValue, role.option());
        }
        String env = environment.get(role.envVariable());
        if (env != null && !env.isBlank()) {
            return DatabaseUriParser.parse(role, env, role.envVariable() + " environment variable");
        }
        String fromFile = DotEnv.read(dotEnvFile).get(role.envVariable());
        if (fromFile != null && !fromFile.isBlank()) {
            return DatabaseUriParser.parse(role, fromFile, role.envVariable() + " in " + dotEnvFile);
        }
        return null;
    }
}
