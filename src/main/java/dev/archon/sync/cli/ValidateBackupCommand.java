package dev.archon.sync.cli;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.backup.BackupReader;
import dev.archon.sync.backup.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code archon-sync validate-backup FILE}: checks a backup archive's integrity, without a database. */
@Command(name = "validate-backup", mixinStandardHelpOptions = true,
        description = "Checks a backup archive against its hashes (every entry and the manifest). Exit 4 when damaged.")
final class ValidateBackupCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A .archon-backup file")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ValidationReport report = BackupReader.validate(file);
        out.println(file + ": " + (report.ok() ? "OK" : "DAMAGED"));
        for (ValidationReport.EntryCheck e : report.entries()) {
            out.printf("  %-6s %s.%s: %d rows, %d bytes%n", e.ok() ? "[ok]" : "[FAIL]", e.schema(), e.table(), e.rowCount(),
                    e.actualBytes());
            e.problems().forEach(p -> out.println("         - " + p));
        }
        report.problems().forEach(p -> out.println("  - " + p));
        out.flush();
        return report.ok() ? 0 : ErrorCode.VERIFICATION_FAILED.exitCode();
    }
}
