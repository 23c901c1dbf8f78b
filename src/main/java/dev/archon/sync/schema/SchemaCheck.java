package dev.archon.sync.schema;

import java.util.List;

/**
 * One item of the schema checklist.
 *
 * @param name     short name ("indexes")
 * @param summary  what was found ("7/7")
 * @param problems what is missing or wrong, one line each; empty when the item holds
 * @param fix      how to fix it, or null when the item holds
 */
public record SchemaCheck(String name, String summary, List<String> problems, String fix) {
    public SchemaCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    static SchemaCheck of(String name, int found, int expected, List<String> problems, String fix) {
        return new SchemaCheck(name, found + "/" + expected, problems, problems.isEmpty() ? null : fix);
    }
}
