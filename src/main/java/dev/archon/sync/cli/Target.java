package dev.archon.sync.cli;

import dev.archon.sync.config.DatabaseRole;
import java.util.List;

/** The value of {@code --target}: one database or both. */
enum Target {
    local(List.of(DatabaseRole.LOCAL)), remote(List.of(DatabaseRole.REMOTE)), both(List.of(DatabaseRole.LOCAL, DatabaseRole.REMOTE));

    private final List<DatabaseRole> roles;

    Target(List<DatabaseRole> roles) {
        this.roles = roles;
    }

    List<DatabaseRole> roles() {
        return roles;
    }
}
