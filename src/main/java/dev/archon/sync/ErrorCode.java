package dev.archon.sync;

/**
 * What went wrong, as one code shared by every face of archon-sync: the CLI exits with
 * {@link #exitCode()}, the HTTP API answers with {@link #httpStatus()}.
 */
public enum ErrorCode {
    /** Bad options, a malformed configuration value, a refused confirmation. */
    INVALID_ARGUMENTS(1, 400),
    /** A database could not be reached or refused the credentials. */
    CONNECTION_FAILED(2, 502),
    /** Export, import, backup or restore failed; the target was rolled back. */
    TRANSFER_FAILED(3, 500),
    /** The target's content did not match the source; the target was rolled back. */
    VERIFICATION_FAILED(4, 500),
    /** The run was cancelled (Ctrl-C, SIGTERM, the API); the target was rolled back. */
    CANCELLED(5, 409),
    /** Validation refused the run; nothing was changed. */
    REFUSED(6, 422),
    /** The connection broke during COMMIT and the server could not be asked whether it committed. */
    OUTCOME_UNKNOWN(8, 500);

    private final int exitCode;
    private final int httpStatus;

    ErrorCode(int exitCode, int httpStatus) {
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
    }

    /** The process exit code documented in the README. */
    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status the API answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
