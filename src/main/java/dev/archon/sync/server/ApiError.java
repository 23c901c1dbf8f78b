package dev.archon.sync.server;

import java.util.Map;

/** An answer other than success, decided by the HTTP layer itself (401, 404, 409, ...). */
final class ApiError extends RuntimeException {
    private final int status;
    private final Map<String, Object> extra;

    ApiError(int status, String message) {
        this(status, message, Map.of());
    }

    ApiError(int status, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.extra = Map.copyOf(extra);
    }

    int status() {
        return status;
    }

    /** Fields added to the error body ("running_sync_id"). */
    Map<String, Object> extra() {
        return extra;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String syncId) {
        return new ApiError(404, "no sync '" + syncId + "' in the history of either database");
    }
}
