package dev.archon.sync.cli;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.Json;
import java.io.PrintWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code archon-sync}: the entry point. Exit codes are those of {@link ErrorCode}. */
@Command(name = "archon-sync", mixinStandardHelpOptions = true, versionProvider = Version.class,
        exitCodeOnInvalidInput = 1, exitCodeOnExecutionException = 3,
        description = "Moves Archon's data between a local and a remote PostgreSQL database, atomically,"
                + " with backups, verification and a recorded history.",
        footer = {"", "Exit codes: 0 success, 1 invalid arguments, 2 connection failed, 3 export/import failed,",
                "4 verification failed, 5 cancelled, 6 refused by validation (nothing was changed)."})
public final class Main implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(CommandLine.HelpCommand.class, SyncCommand.class,
            DiffCommand.class, PreflightCommand.class, TablesCommand.class, MigrateCommand.class, VerifySchemaCommand.class,
            HistoryCommand.class, RestoreCommand.class, UndoCommand.class, ValidateBackupCommand.class, DemoCommand.class,
            BenchCommand.class, ServeCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Jackson's first use costs about 0.15 s of class loading and set-up: done meanwhile on the
        // second core, while the command parses its options and connects, not when the run is waiting for it
        Thread json = new Thread(() -> Json.write(java.util.Map.of("warm", java.time.Instant.EPOCH)), "archon-sync json warm-up");
        json.setDaemon(true);
        json.start();
        System.exit(commandLine(args.length == 0 ? null : args[0]).execute(args));
    }

    /** The configured command line (tests call {@code execute} on it with their own writers). */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line for arguments starting with {@code first}: when it names a subcommand (other
     * than help), that subcommand alone is built (building them all, by reflection, cost every run
     * about 0.1 s); else (usage, help, a misspelling to suggest a name for) all of them.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        boolean one = SUBCOMMANDS.stream().skip(1).anyMatch(c -> name(c).equals(first));
        for (Class<?> c : SUBCOMMANDS) {
            if (!one || name(c).equals(first)) {
                cl.addSubcommand(c);
            }
        }
        cl.setExecutionExceptionHandler(Main::handle);
        CommandLine.IParameterExceptionHandler standard = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            standard.handleParseException(e, args);
            return ErrorCode.INVALID_ARGUMENTS.exitCode();
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // -V/--version on every subcommand too (mixinStandardHelpOptions adds the option, not the provider).
        Version version = new Version();
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
        }
        return cl;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ArchonSyncException ase) {
            err.println("error: " + ase.getMessage());
            ase.details().forEach(d -> err.println("  " + d));
            err.flush();
            log.debug("failure", e);
            return ase.code().exitCode();
        }
        err.println("error: unexpected failure: " + e + " (set " + LogSetup.LEVEL_VARIABLE + "=DEBUG to see where)");
        err.flush();
        log.debug("unexpected failure", e);
        return ErrorCode.TRANSFER_FAILED.exitCode();
    }
}
