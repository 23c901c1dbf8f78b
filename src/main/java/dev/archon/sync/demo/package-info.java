/**
 * Embedded PostgreSQL servers (real {@code postgres} binaries from Maven), an Archon-shaped schema
 * with a deterministic data generator ({@link dev.archon.sync.demo.ArchonDataset}), and what the
 * demo runs between two such servers. Used by {@code archon-sync demo}, the tests and the benchmark.
 */
package dev.archon.sync.demo;
