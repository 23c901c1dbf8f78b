package dev.archon.sync.cli;

import dev.archon.sync.Json;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncResult;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import picocli.CommandLine;

/**
 * Runs one recorded engine run from the command line: progress display, Ctrl-C/SIGTERM turned into
 * a cancel (the JVM waits for the rollback to be recorded), the result printed, its exit code.
 */
final class RunDriver {
    private static final long ROLLBACK_WAIT_SECONDS = 60;

    private RunDriver() {
    }

    static int execute(CommandLine.Model.CommandSpec spec, boolean json,
                       BiFunction<SyncControl, SyncListener, SyncResult> run) {
        PrintWriter out = spec.commandLine().getOut();
        SyncControl control = SyncControl.create();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            if (finished.getCount() > 0 && control.cancel()) {
                System.err.println("\narchon-sync: cancelling " + control.syncId() + ": rolling back...");
                try {
                    finished.await(ROLLBACK_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.err.flush();
                // A signal ends the JVM with 128+n; the documented code for a cancelled run is 5.
                Runtime.getRuntime().halt(dev.archon.sync.ErrorCode.CANCELLED.exitCode());
            }
        }, "archon-sync cancel on signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        SyncResult result;
        try (ProgressDisplay display = ProgressDisplay.create(spec.commandLine().getErr(), control.syncId())) {
            result = run.apply(control, display);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
        if (json) {
            out.println(Json.write(result));
        } else {
            SyncCommand.print(out, result);
        }
        out.flush();
        return result.exitCode();
    }

    /** Asks for "yes" on the terminal; false (with a message) when there is none or the answer is no. */
    static boolean confirm(CommandLine.Model.CommandSpec spec, String question) {
        PrintWriter out = spec.commandLine().getOut();
        if (System.console() == null) {
            spec.commandLine().getErr().println("error: no terminal to confirm on: pass --yes to run without confirmation");
            spec.commandLine().getErr().flush();
            return false;
        }
        out.print(question + " Type yes to go on: ");
        out.flush();
        String answer = System.console().readLine();
        if (!"yes".equalsIgnoreCase(answer == null ? "" : answer.trim())) {
            out.println("not confirmed: nothing was changed");
            out.flush();
            return false;
        }
        return true;
    }
}
