package dev.archon.sync.migrate;

/** What {@link Migrator} did with one migration on one database. */
public record MigrationOutcome(Migration migration, Status status, String registeredChecksum) {
    /** The state of a migration in a database's registry. */
    public enum Status {
        /** Applied and registered by this run. */
        APPLIED("applied"),
        /** Registered earlier with the same checksum: nothing to do. */
        ALREADY_APPLIED("already applied"),
        /** Registered earlier without a checksum (as Archon registers its own): counts as applied. */
        ALREADY_APPLIED_UNKNOWN_CHECKSUM("already applied (registered without checksum)"),
        /** Registered earlier with another checksum: the bundled text changed; not re-applied. */
        DRIFT("DRIFT: registered checksum differs from the bundled text"),
        /** Not registered (only reported by a check, never by migrate). */
        PENDING("not applied");

        private final String text;

        Status(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public boolean ok() {
        return status != Status.DRIFT && status != Status.PENDING;
    }
}
