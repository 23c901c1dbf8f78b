package dev.archon.sync.schema;

/**
 * A foreign key constraint.
 *
 * @param name       constraint name
 * @param table      the referencing table
 * @param referenced the referenced table
 * @param onDelete   the ON DELETE action as pg_constraint encodes it (a, r, c, n, d)
 * @param definition the constraint's definition as pg_get_constraintdef prints it
 */
public record ForeignKey(String name, TableName table, TableName referenced, char onDelete, String definition) {
    public boolean cascades() {
        return onDelete == 'c' || onDelete == 'n' || onDelete == 'd';
    }
}
