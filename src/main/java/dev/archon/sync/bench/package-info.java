/**
 * The benchmark harness of issue 4: {@link dev.archon.sync.bench.Benchmark} generates an
 * Archon-shaped dataset on two embedded PostgreSQL 15 servers and times {@code archon-sync sync}
 * against {@code pg_dump | pg_restore}, {@code pgcopydb} and a server-side COPY floor, checking
 * the target's content after every run. Not a test and not part of the CLI: nothing in the
 * application depends on this package (it uses {@code demo}, {@code db} and {@code migrate}).
 */
package dev.archon.sync.bench;
