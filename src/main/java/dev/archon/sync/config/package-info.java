/**
 * Configuration: where the local and remote databases are ({@link dev.archon.sync.config.ConfigResolver},
 * {@link dev.archon.sync.config.DatabaseConfig}). Values are validated once, here, and frozen.
 */
package dev.archon.sync.config;
