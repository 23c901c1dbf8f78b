package dev.archon.sync.cli;

/** Runs the command line in process for tests of other packages. */
public final class CliRunner {
    /** Exit code and captured output of one run. */
    public record Run(int exit, String out, String err) {
    }

    private CliRunner() {
    }

    public static Run run(String... args) {
        CliIT.Run r = CliIT.run(args);
        return new Run(r.exit(), r.out(), r.err());
    }
}
