package dev.archon.sync.schema;

import dev.archon.sync.db.Sql;

/** A schema-qualified table name, unquoted; {@link #quoted()} for SQL, {@link #toString()} for people. */
public record TableName(String schema, String name) implements Comparable<TableName> {
    public String quoted() {
        return Sql.qualified(schema, name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }

    @Override
    public int compareTo(TableName o) {
        return toString().compareTo(o.toString());
    }
}
