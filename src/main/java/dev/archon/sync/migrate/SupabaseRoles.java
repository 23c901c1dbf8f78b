package dev.archon.sync.migrate;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.ErrorCode;
import dev.archon.sync.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Supabase's API roles, which the migrations' policies and grants name. Supabase has them; a plain
 * PostgreSQL does not, and gets them created NOLOGIN when the connecting role may create roles.
 */
final class SupabaseRoles {
    static final List<String> NAMES = List.of("anon", "authenticated", "service_role");

    private SupabaseRoles() {
    }

    /** Creates the missing roles and returns their names; refuses when the connecting role may not. */
    static List<String> ensure(Connection c, String database) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String role : NAMES) {
            if (!Sql.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)", role)) {
                missing.add(role);
            }
        }
        if (missing.isEmpty()) {
            return missing;
        }
        boolean mayCreate = Sql.queryBoolean(c, "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user");
        if (!mayCreate) {
            String statements = String.join(" ", missing.stream().map(r -> "CREATE ROLE " + r + " NOLOGIN;").toList());
            throw new ArchonSyncException(ErrorCode.REFUSED, "the " + database + " database lacks the Supabase role(s) "
                    + String.join(", ", missing) + " and the connecting role may not create roles; ask an administrator to run: "
                    + statements + " then run archon-sync migrate again");
        }
        for (String role : missing) {
            Sql.execute(c, "CREATE ROLE " + Sql.ident(role) + " NOLOGIN");
        }
        return missing;
    }
}
