/**
 * Database access shared by every layer: opening connections with clear errors
 * ({@link dev.archon.sync.db.Database}), identifier quoting and JDBC helpers ({@link dev.archon.sync.db.Sql}).
 */
package dev.archon.sync.db;
