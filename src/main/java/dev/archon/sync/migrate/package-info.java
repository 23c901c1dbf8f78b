/**
 * The migrations archon-sync bundles (Archon's {@code 0.3.0/021_add_sync_history_table} and
 * archon-sync's own hardening) and their registry in Archon's {@code archon_migrations} table.
 * Entry point: {@link dev.archon.sync.migrate.Migrator}.
 */
package dev.archon.sync.migrate;
