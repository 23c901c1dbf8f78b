package dev.archon.sync.schema;

/**
 * A column of a synced table.
 *
 * @param name      the column's name, unquoted
 * @param type      its type as format_type prints it ("vector(1536)", "task_status")
 * @param typeOid   the type's OID on this server (differs between servers for non-built-in types)
 * @param notNull   whether NOT NULL
 * @param generated whether a stored generated column (never copied: the target computes it)
 * @param identity  whether an identity column (its values are copied)
 * @param binaryOk  whether binary COPY can carry it between two servers of the same major version
 */
public record Column(String name, String type, long typeOid, boolean notNull, boolean generated, boolean identity,
                     boolean binaryOk) {
}
