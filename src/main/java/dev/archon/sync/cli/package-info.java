/**
 * The command line: one class per subcommand, shared options as mixins, exceptions mapped to the
 * documented exit codes. A thin face over the engine; it holds no sync logic.
 */
package dev.archon.sync.cli;
