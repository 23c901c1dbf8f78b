package dev.archon.sync.engine;

import dev.archon.sync.schema.Column;
import dev.archon.sync.schema.TableInfo;
import dev.archon.sync.schema.TableName;
import java.util.List;
import java.util.Map;

/** Compares the synced tables' columns on the source and the target. */
final class SchemaCompatibility {
    private SchemaCompatibility() {
    }

    /** Adds one line per incompatibility to {@code errors} and per tolerable difference to {@code warnings}. */
    static void compare(List<TableInfo> source, Map<TableName, TableInfo> target, List<String> errors, List<String> warnings) {
        for (TableInfo s : source) {
            TableInfo t = target.get(s.name());
            if (t == null) {
                errors.add("table " + s.name() + " is missing on the target: create it there (run Archon's migrations"
                        + " on the target, or pg_dump --schema-only -t " + s.name() + " from the source)");
                continue;
            }
            for (Column sc : s.columns()) {
                Column tc = t.column(sc.name());
                if (tc == null) {
                    errors.add("column " + s.name() + "." + sc.name() + " (" + sc.type() + ") is missing on the target:"
                            + " ALTER TABLE " + s.name().quoted() + " ADD COLUMN " + dev.archon.sync.db.Sql.ident(sc.name())
                            + " " + sc.type());
                } else if (!tc.type().equals(sc.type())) {
                    errors.add("column " + s.name() + "." + sc.name() + " is " + sc.type() + " on the source but "
                            + tc.type() + " on the target: make the types equal");
                } else if (tc.generated() != sc.generated()) {
                    errors.add("column " + s.name() + "." + sc.name() + " is " + (sc.generated() ? "" : "not ")
                            + "generated on the source but " + (tc.generated() ? "" : "not ") + "on the target");
                }
            }
            for (Column tc : t.columns()) {
                if (s.column(tc.name()) == null && !tc.generated()) {
                    if (tc.notNull()) {
                        errors.add("column " + s.name() + "." + tc.name() + " exists only on the target and is NOT NULL:"
                                + " the source's rows cannot fill it; drop it or give it a default");
                    } else {
                        warnings.add("column " + s.name() + "." + tc.name() + " exists only on the target: it will be"
                                + " NULL (or its default) in every synced row");
                    }
                }
            }
        }
    }
}
