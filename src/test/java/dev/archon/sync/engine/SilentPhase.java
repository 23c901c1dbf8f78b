package dev.archon.sync.engine;

/**
 * The phases {@link LinkDownIT} silences the remote link in: what kind of run, which way, what the
 * namespace server must be seen doing when the link goes down (a condition on its
 * {@code pg_stat_activity}), an optional gate (a transaction of the test holding a lock, so the
 * run waits on the server in that phase), and what the run's message must say.
 */
enum SilentPhase {
    /** Validation counts a target table's rows while the test holds it locked (it waits up to 1.5 s). */
    VALIDATION(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, Gate.EXCLUSIVE,
            "application_name = 'archon-sync validation' AND wait_event_type = 'Lock'", "during validation"),
    /** The run waits for its ACCESS EXCLUSIVE lock on the target, which the test's transaction holds. */
    EXPORT_LOCK_WAIT(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, Gate.SHARE,
            "application_name = 'archon-sync import' AND wait_event_type = 'Lock'", "during the export phase"),
    /** The target streams its rows into the backup. */
    BACKUP(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND query LIKE 'COPY %TO STDOUT%'",
            "during the export phase (writing the backup)"),
    /** COPY data flows into the target. */
    IMPORT(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND query LIKE 'COPY %FROM STDIN%'",
            "during the import phase of public.archon_big"),
    /** The target rebuilds an index (the client waits, the server is busy). */
    INDEXING(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND query LIKE 'CREATE INDEX%'", "during the indexing phase"),
    /** The target hashes a table's rows (for its checksum and the base) or computes a keyless table's checksum. */
    VERIFICATION(Layout.FULL_COPY, SyncMode.FULL, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND (query LIKE '%substr(h, 1, 16)%' OR query LIKE 'COPY (%md5(%TO STDOUT%')",
            "during the verification phase"),
    /** Changes-only: the target hashes its rows. */
    CHANGES_HASHING(Layout.CHANGES, SyncMode.AUTO, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND query LIKE 'COPY (%md5(%TO STDOUT%'", "during the export phase"),
    /** Changes-only: the changed rows are staged and applied on the target. */
    CHANGES_APPLY(Layout.CHANGES, SyncMode.AUTO, Direction.LOCAL_TO_REMOTE, null,
            "application_name = 'archon-sync import' AND (query LIKE 'COPY %\\_stage%FROM STDIN%' OR query LIKE 'UPDATE ONLY%'"
                    + " OR query LIKE 'INSERT INTO%')", "during the import phase"),
    /** The remote is the source: its rows stream out in a full copy. */
    SOURCE_COPY(Layout.FULL_COPY, SyncMode.FULL, Direction.REMOTE_TO_LOCAL, null,
            "application_name = 'archon-sync export' AND query LIKE 'COPY %TO STDOUT%'",
            "during the import phase of public.archon_big"),
    /** The remote is the source: it hashes its rows for a changes-only sync. */
    SOURCE_HASHING(Layout.CHANGES, SyncMode.AUTO, Direction.REMOTE_TO_LOCAL, null,
            "application_name = 'archon-sync export' AND query LIKE 'COPY (%md5(%TO STDOUT%'", "during the export phase"),
    /** Bidirectional: the remote hashes its rows. */
    MERGE_HASHING(Layout.EXTRA_LOCAL, SyncMode.AUTO, Direction.BIDIRECTIONAL, null,
            "application_name = 'archon-sync merge' AND query LIKE 'COPY (%md5(%TO STDOUT%'", "during the export phase"),
    /** Bidirectional: the local side's new rows are staged and inserted on the remote. */
    MERGE_APPLY(Layout.EXTRA_LOCAL, SyncMode.AUTO, Direction.BIDIRECTIONAL, null,
            "application_name = 'archon-sync merge' AND (query LIKE 'COPY %\\_stage%FROM STDIN%' OR query LIKE 'INSERT INTO%')",
            "during the import phase");

    /** How the two sides' rows differ before the run. */
    enum Layout {
        /** Every row differs (a full copy). */
        FULL_COPY,
        /** The target holds the source's rows with a fifth of them changed (a changes-only sync). */
        CHANGES,
        /** Local holds the remote's rows and a fifth more (a merge carries them to the remote). */
        EXTRA_LOCAL
    }

    /** A transaction of the test holding a lock on the remote's table while the run goes. */
    enum Gate {
        EXCLUSIVE("ACCESS EXCLUSIVE"), SHARE("ACCESS SHARE");

        final String mode;

        Gate(String mode) {
            this.mode = mode;
        }

        String sql() {
            return "BEGIN; LOCK TABLE archon_big IN " + mode + " MODE; SELECT pg_sleep(600); COMMIT";
        }

        /** How pg_locks names the mode. */
        String lockName() {
            return mode.equals("ACCESS SHARE") ? "AccessShareLock" : "AccessExclusiveLock";
        }
    }

    final Layout layout;
    final SyncMode mode;
    final Direction direction;
    final Gate gate;
    final String serverDoing;
    final String said;

    SilentPhase(Layout layout, SyncMode mode, Direction direction, Gate gate, String serverDoing, String said) {
        this.layout = layout;
        this.mode = mode;
        this.direction = direction;
        this.gate = gate;
        this.serverDoing = serverDoing;
        this.said = said;
    }
}
