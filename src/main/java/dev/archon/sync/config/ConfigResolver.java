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
        throw new ArchonSyncException(ErrorCode.INVALID_ARGUMENTS, "no " + role.label() + " database configured: pass "
                + role.option() + " postgresql://user:password@host:port/database, or set " + role.envVariable()
                + " in the environment or in " + dotEnvFile);
    }
}
