/**
 * Database access shared by every layer: opening connections with clear errors and retries of
 * transient failures ({@link dev.archon.sync.db.Database}), links that are given up when they go
 * silent ({@link dev.archon.sync.db.LinkTimeout}, the pgjdbc socket factory
 * {@link dev.archon.sync.db.LinkSocketFactory}), the classification of connection failures
 * ({@link dev.archon.sync.db.LinkFailures}), identifier quoting and JDBC helpers
 * ({@link dev.archon.sync.db.Sql}).
 */
package dev.archon.sync.db;
