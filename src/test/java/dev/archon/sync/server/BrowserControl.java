package dev.archon.sync.server;

import dev.archon.sync.db.Database;
import dev.archon.sync.db.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the page test cannot do from a browser, done for real on the remote database when the test
 * asks (it writes {@code NAME.req} in the control directory; this answers {@code NAME.done}):
 * hold a table's lock as Archon would, kill the sync's import backend, change a row behind a run's
 * back. Runs on its own thread until closed.
 */
final class BrowserControl implements AutoCloseable {
    private static final List<String> COMMANDS = List.of("change-remote", "hold-lock", "kill-import", "release-lock", "activity",
            "conflict", "local-kept");

    private final Path dir;
    private final Database local;
    private final Database remote;
    private final Thread thread;
    private final List<String> done = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Connection holder;

    BrowserControl(Path dir, Database local, Database remote) throws IOException {
        this.dir = dir;
        this.local = local;
        this.remote = remote;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        thread = new Thread(this::loop, "browser test control");
        thread.setDaemon(true);
        thread.start();
    }

    List<String> done() {
        return done;
    }

    private void loop() {
        while (!closed) {
            for (String command : COMMANDS) {
                Path request = dir.resolve(command + ".req");
                if (Files.exists(request)) {
                    String outcome;
                    try {
                        run(command);
                        outcome = "ok";
                        done.add(command);
                    } catch (SQLException | RuntimeException e) {
                        outcome = "error: " + e.getMessage();
                    }
                    try {
                        Files.delete(request);
                        Files.writeString(dir.resolve(command + ".done"), outcome);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void run(String command) throws SQLException {
        switch (command) {
            case "change-remote" -> {
                try (Connection c = remote.open("test change")) {
                    Sql.execute(c, "UPDATE archon_sources SET title = coalesce(title, '') || ' (edited later)'"
                            + " WHERE source_id = (SELECT min(source_id) FROM archon_sources)");
                }
            }
            case "hold-lock" -> {
                holder = remote.open("Archon (test lock holder)");
                holder.setAutoCommit(false);
                // what a long Archon transaction writing to the table holds: readers pass, the sync's lock waits
                Sql.execute(holder, "LOCK TABLE archon_sources IN ROW EXCLUSIVE MODE");
            }
            case "kill-import" -> {
                try (Connection c = remote.open("test kill")) {
                    long killed = Sql.queryLong(c, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            + " WHERE application_name = 'archon-sync import'");
                    if (killed == 0) {
                        throw new IllegalStateException("no import backend to kill");
                    }
                }
            }
            case "release-lock" -> {
                if (holder != null) {
                    holder.rollback();
                    holder.close();
                    holder = null;
                }
            }
            case "conflict" -> {
                for (Database db : List.of(local, remote)) {
                    try (Connection c = db.open("test conflict")) {
                        int n = c.createStatement().executeUpdate("UPDATE archon_sources SET title = '" + db.label() + " title'"
                                + " WHERE source_id = (SELECT min(source_id) FROM archon_sources)");
                        if (n != 1) {
                            throw new IllegalStateException("no archon_sources row to edit on the " + db.label() + " database");
                        }
                    }
                }
            }
            case "local-kept" -> {
                for (Database db : List.of(local, remote)) {
                    try (Connection c = db.open("test check")) {
                        String title = Sql.queryString(c, "SELECT title FROM archon_sources ORDER BY source_id LIMIT 1");
                        if (!"local title".equals(title)) {
                            throw new IllegalStateException("the " + db.label() + " database has title " + title);
                        }
                    }
                }
            }
            case "activity" -> {
                try (Connection c = remote.open("test activity")) {
                    String text = Sql.queryString(c, "SELECT string_agg(application_name || ' | ' || state || ' | '"
                            + " || coalesce(wait_event_type, '') || ' | ' || left(query, 120), E'\\n') FROM pg_stat_activity"
                            + " WHERE datname = current_database()");
                    Files.writeString(dir.resolve("activity.txt"), String.valueOf(text));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new IllegalArgumentException(command);
        }
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        thread.interrupt();
        if (holder != null) {
            holder.close();
        }
    }
}
