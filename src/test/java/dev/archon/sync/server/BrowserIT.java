package dev.archon.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.archon.sync.demo.Scale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web page in real headless Chromium: {@code src/test/web/browser-test.mjs} (playwright-core)
 * against a server started here. Fails, never skips, when Chromium or the npm packages are missing:
 * {@code scripts/setup} installs them. Screenshots go to {@code target/test-artifacts/}.
 */
class BrowserIT {
    private static final Path SCRIPT = Path.of("src/test/web/browser-test.mjs");

    @Test
    void syncStartedFromThePageReachesHundredPercentAndShowsInHistory() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "/usr/bin/chromium is missing: run scripts/setup");
        assertTrue(Files.isDirectory(Path.of("src/test/web/node_modules/playwright-core")),
                "playwright-core is missing: run scripts/setup (npm ci --prefix src/test/web)");
        Path control = Path.of("target/test-artifacts/control");
        Files.createDirectories(control);
        try (ServerFixture f = new ServerFixture(Scale.small()); BrowserControl c = new BrowserControl(control, f.local, f.remote)) {
            // Its output goes to a file that is printed afterwards: written straight to the test JVM's stdout it
            // bypassed surefire (and its report), and a failure's reasons are put into the assertion message.
            Path log = Path.of("target/test-artifacts/browser-test.log");
            Path errors = Path.of("target/test-artifacts/browser-errors.txt");
            Files.deleteIfExists(errors);
            ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("ARCHON_SYNC_URL", f.base());
            pb.environment().put("ARCHON_SYNC_API_TOKEN", ServerFixture.TOKEN);
            pb.environment().put("ARTIFACTS", "target/test-artifacts");
            pb.environment().put("CONTROL_DIR", control.toString());
            Process p = pb.start();
            boolean finished = p.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly().waitFor();
            }
            System.out.println(Files.readString(log));
            if (!finished) {
                throw new AssertionError("the browser test did not finish within 5 minutes");
            }
            assertEquals(0, p.exitValue(), () -> "browser-test.mjs failed: "
                    + (Files.exists(errors) ? readQuietly(errors) : "it wrote no " + errors + "; its output is above"));
            assertTrue(c.done().containsAll(java.util.List.of("change-remote", "hold-lock", "kill-import", "release-lock", "conflict", "local-kept")),
                    "the page test drove every situation: " + c.done());
        }
        for (String shot : new String[] {"sync-preflight.png", "sync-progress.png", "history.png", "history-phone.png", "sync-phone.png",
                "undo-refused.png", "reload-mid-run.png", "run-phone.png", "killed-run.png", "merge-plan.png",
                "conflicts.png", "conflicts-phone.png", "merge-done.png"}) {
            assertTrue(Files.size(Path.of("target/test-artifacts", shot)) > 0, shot);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "could not read " + file + ": " + e.getMessage();
        }
    }
}
