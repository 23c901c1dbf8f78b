/**
 * The HTTP face of archon-sync: {@link dev.archon.sync.server.ApiServer} serves the JSON API and the
 * web page (assets under {@code resources/web}) over the same {@link dev.archon.sync.engine.SyncEngine}
 * as the command line. Everything else in the package is package-private.
 */
package dev.archon.sync.server;
