/**
 * Table transfer: streaming COPY from one connection (or a backup entry) into another, with the
 * source read ahead on its own thread. No table is ever held in memory.
 */
package dev.archon.sync.copy;
