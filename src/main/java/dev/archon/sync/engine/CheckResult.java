package dev.archon.sync.engine;

import java.util.List;

/**
 * One validation check of a preflight.
 *
 * @param name    short name ("database_connectivity")
 * @param status  ok, warning or error
 * @param message one line for people
 * @param details further lines (every missing column, ...)
 */
public record CheckResult(String name, Status status, String message, List<String> details) {
    public enum Status { OK, WARNING, ERROR }

    public CheckResult {
        details = List.copyOf(details);
    }

    static CheckResult ok(String name, String message) {
        return new CheckResult(name, Status.OK, message, List.of());
    }

    static CheckResult warning(String name, String message, List<String> details) {
        return new CheckResult(name, Status.WARNING, message, details);
    }

    static CheckResult error(String name, String message, List<String> details) {
        return new CheckResult(name, Status.ERROR, message, details);
    }
}
