package dev.archon.sync.server;

import dev.archon.sync.ArchonSyncException;
import dev.archon.sync.db.Database;
import dev.archon.sync.engine.SyncBusyException;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.history.HistoryReader;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code archon-sync serve}: the JSON API under {@code /api} (token required) and the web page at
 * {@code /}, both over one {@link SyncEngine}. One run at a time per process. Create, {@link #start},
 * then {@link #close} (which cancels a running sync and waits for its rollback).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    public static final int DEFAULT_PORT = 8787;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** triggered_by of runs started through the API when the request names none. */
    public static final String DEFAULT_TRIGGERED_BY = "API";
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final TokenCheck tokens;
    private final SyncRuns runs = new SyncRuns();
    private final SyncApi syncApi;
    private final HistoryApi historyApi;
    private Javalin app;

    /**
     * @param engine    the engine runs go through
     * @param local     the local database (history, health)
     * @param remote    the remote database
     * @param token     the API token (at least 16 characters)
     * @param backupDir where the engine writes backups (listed by the API)
     */
    public ApiServer(SyncEngine engine, Database local, Database remote, String token, Path backupDir) {
        HistoryReader history = new HistoryReader(local, remote);
        this.tokens = new TokenCheck(token);
        this.syncApi = new SyncApi(engine, history, runs, backupDir);
        this.historyApi = new HistoryApi(history, local, remote, backupDir);
    }

    /** Starts listening on bind:port (port 0 picks a free one); returns this. */
    public ApiServer start(String bind, int port) {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
        });
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Content-Security-Policy", SECURITY_POLICY);
            ctx.header("Cache-Control", "no-store");
        });
        app.before("/api/*", this::guard);
        app.get("/health", historyApi::health);
        app.post("/api/database/sync/preflight", syncApi::preflight);
        app.post("/api/database/sync", syncApi::start);
        app.get("/api/database/sync/history", historyApi::list);
        app.get("/api/database/sync/stats", historyApi::stats);
        app.get("/api/database/sync/backups", historyApi::backups);
        app.get("/api/database/sync/running", syncApi::running);
        app.get("/api/database/sync/databases", historyApi::databases);
        app.get("/api/database/sync/{sync_id}/backup", historyApi::backupOf);
        app.get("/api/database/sync/{sync_id}/status", syncApi::status);
        app.get("/api/database/sync/{sync_id}/events", syncApi::events);
        app.post("/api/database/sync/{sync_id}/cancel", syncApi::cancel);
        app.post("/api/database/sync/{sync_id}/undo", syncApi::undo);
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.extra()));
        app.exception(SyncBusyException.class, (e, ctx) -> error(ctx, 409, e.getMessage(),
                e.runningSyncId() == null ? Map.of() : Map.of("running_sync_id", e.runningSyncId())));
        app.exception(dev.archon.sync.engine.TargetChangedException.class, (e, ctx) -> error(ctx, 422, e.reason()
                + " (the current content is backed up first if you undo anyway)", Map.of("force_possible", true,
                "changed_tables", e.changedTables())));
        app.exception(ArchonSyncException.class, (e, ctx) -> error(ctx, e.code().httpStatus(), e.getMessage(),
                e.details().isEmpty() ? Map.of() : Map.of("details", e.details())));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus() == 413 ? 400 : e.getStatus(),
                e.getStatus() == 413 ? "the request body is larger than " + MAX_BODY_BYTES + " bytes" : e.getMessage(), Map.of()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "unexpected server error: " + e.getClass().getSimpleName(), Map.of());
        });
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api") && ctx.result() == null) {
                error(ctx, 404, "no endpoint " + ctx.method() + " " + ctx.path(), Map.of());
            }
        });
        try {
            app.start(bind, port);
        } catch (RuntimeException e) {
            app.stop();
            if (hasCause(e, java.net.BindException.class)) {
                throw new ArchonSyncException(dev.archon.sync.ErrorCode.INVALID_ARGUMENTS, "port " + port + " on " + bind
                        + " is already in use: stop what listens there or choose another with --port", e);
            }
            throw e;
        }
        log.info("serving on {}:{}", bind, app.port());
        return this;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** A new random token: 32 random bytes, URL-safe base64. */
    public static String randomToken() {
        return TokenCheck.random();
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    private void guard(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw ApiError.badRequest("the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String presented = TokenCheck.bearer(ctx.header("Authorization"));
        if (presented == null && ctx.path().endsWith("/events")) {
            presented = ctx.queryParam("token"); // EventSource cannot send headers
        }
        if (!tokens.matches(presented)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, presented == null ? "a token is required: send Authorization: Bearer <token>"
                    : "wrong token");
        }
    }

    private static void error(Context ctx, int status, String message, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", message);
        body.putAll(extra);
        ctx.status(status).json(body);
    }

    /** Cancels a running sync, waits for it to roll back, stops listening. */
    @Override
    public void close() {
        runs.close();
        if (app != null) {
            app.stop();
        }
    }
}
