/**
 * Embedded PostgreSQL servers (real {@code postgres} binaries from Maven) and the demo that runs
 * archon-sync between two of them. Used by {@code archon-sync demo}, the tests and the benchmark.
 */
package dev.archon.sync.demo;
