package dev.archon.sync.server;

import dev.archon.sync.ErrorCode;
import dev.archon.sync.engine.Direction;
import dev.archon.sync.engine.MergeOptions;
import dev.archon.sync.engine.SyncListener;
import dev.archon.sync.engine.SyncResult;
import dev.archon.sync.engine.DiffReport;
import dev.archon.sync.engine.Preflight;
import dev.archon.sync.engine.SyncMode;
import dev.archon.sync.engine.SyncControl;
import dev.archon.sync.engine.SyncEngine;
import dev.archon.sync.engine.SyncIds;
import dev.archon.sync.engine.SyncRequest;
import dev.archon.sync.history.HistoryFilter;
import dev.archon.sync.history.HistoryReader;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The endpoints that start, watch, cancel and undo runs. */
final class SyncApi {
    static final long POLL_MILLIS = 500;
    private static final long HEARTBEAT_MILLIS = 15_000;

    private final SyncEngine engine;
    private final HistoryReader history;
    private final SyncRuns runs;
    private final Path backupDir;

    SyncApi(SyncEngine engine, HistoryReader history, SyncRuns runs, Path backupDir) {
        this.engine = engine;
        this.history = history;
        this.runs = runs;
        this.backupDir = backupDir;
    }

    /** POST /api/database/sync/preflight: the real validation, whatever it says (200). */
    void preflight(Context ctx) {
        Bodies.PreflightBody body = ApiJson.read(ctx.bodyAsBytes(), Bodies.PreflightBody.class, true);
        SyncRequest request = body.request(backupDir);
        Preflight p = engine.preflight(request);
        // What a changes-only sync would write, when it may run at all: the rows that differ, per table.
        DiffReport diff = p.ok() && request.mode() != SyncMode.FULL && request.direction() != Direction.BIDIRECTIONAL
                ? engine.diff(request, p, 0) : null;
        ctx.json(Views.preflight(p, diff));
    }

    /** POST /api/database/sync: 202 with the sync id, 200 with the plan for a dry run, 409/422 otherwise. */
    void start(Context ctx) {
        Bodies.StartBody body = ApiJson.read(ctx.bodyAsBytes(), Bodies.StartBody.class, true);
        SyncRequest request = body.request(backupDir);
        if (request.direction() == Direction.BIDIRECTIONAL) {
            startMerge(ctx, request, body.mergeOptions());
            return;
        }
        if (request.dryRun()) {
            Map<String, Object> plan = Views.preflight(engine.preflight(request));
            plan.put("dry_run", true);
            ctx.json(plan);
            return;
        }
        SyncControl control = runs.claim();
        Preflight preflight;
        try {
            preflight = engine.preflight(request);
        } catch (RuntimeException e) {
            runs.release(control);
            throw e;
        }
        if (!preflight.ok()) {
            runs.release(control);
            throw new ApiError(422, "validation refused the sync; nothing was changed",
                    Map.of("reasons", Views.reasons(preflight), "preflight", Views.preflight(preflight)));
        }
        runs.launch(control, listener -> engine.sync(request, control, listener));
        ctx.status(202).json(Map.of("success", true, "sync_id", control.syncId(), "status", "running"));
    }

    /**
     * A bidirectional start: the merge is previewed first (nothing written); conflicts that the
     * chosen policy leaves unresolved answer 409 with the list, a dry run answers 200 with the plan.
     */
    private void startMerge(Context ctx, SyncRequest request, MergeOptions options) {
        if (request.dryRun()) {
            ctx.json(Views.merge(engine.merge(request, options, SyncControl.create(), SyncListener.NONE)));
            return;
        }
        SyncControl control = runs.claim();
        SyncResult preview;
        try {
            preview = engine.merge(request.withDryRun(true), options, SyncControl.create(), SyncListener.NONE);
        } catch (RuntimeException e) {
            runs.release(control);
            throw e;
        }
        Object count = preview.metrics().get("conflict_count");
        if (count instanceof Number n && n.longValue() > 0) {
            runs.release(control);
            throw new ApiError(ErrorCode.CONFLICTS.httpStatus(), n + " conflict(s): nothing was changed on either database;"
                    + " choose on_conflict local, remote or newer", Map.of("conflicts", preview.metrics().get("conflicts"),
                    "merge", preview.metrics().get("merge"), "exit_code", ErrorCode.CONFLICTS.exitCode()));
        }
        if (preview.metrics().get("constraint_violations") instanceof java.util.List<?> violations && !violations.isEmpty()) {
            runs.release(control);
            throw new ApiError(ErrorCode.REFUSED.httpStatus(), "refused: the merged result would break " + violations.size()
                    + " UNIQUE or foreign key constraint(s); nothing was changed on either database", Map.of("reasons", violations,
                    "merge", preview.metrics().get("merge"), "exit_code", ErrorCode.REFUSED.exitCode()));
        }
        runs.launch(control, listener -> engine.merge(request, options, control, listener));
        ctx.status(202).json(Map.of("success", true, "sync_id", control.syncId(), "status", "running"));
    }

    /**
     * GET /api/database/sync/running: {success, sync_id, record}: the run going on now, started by this
     * process or another (the CLI), so a page loaded mid-run can show it; sync_id null when none runs.
     */
    void running(Context ctx) {
        String id = runs.activeSyncId();
        if (id == null) {
            id = history.list(new HistoryFilter(1, 0, "running", null, null, HistoryFilter.DEFAULT_SORT, false)).records()
                    .stream().map(r -> String.valueOf(r.get("sync_id"))).findFirst().orElse(null);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("sync_id", id);
        m.put("record", id == null ? null : snapshot(id).map(SyncApi::record).orElse(null));
        ctx.json(m);
    }

    /** GET /api/database/sync/{sync_id}/status. */
    void status(Context ctx) {
        String id = ctx.pathParam("sync_id");
        ctx.json(snapshot(id).orElseThrow(() -> ApiError.notFound(id)));
    }

    /** POST /api/database/sync/{sync_id}/cancel. */
    void cancel(Context ctx) {
        String id = ctx.pathParam("sync_id");
        SyncRuns.Run run = runs.get(id);
        if (run != null && !run.done) {
            run.control.cancel();
            ctx.status(202).json(Map.of("success", true, "sync_id", id, "status", "cancelling"));
            return;
        }
        Map<String, Object> record = record(snapshot(id).orElseThrow(() -> ApiError.notFound(id)));
        if ("running".equals(record.get("status"))) {
            throw new ApiError(409, "sync " + id + " was started by another process (triggered by "
                    + record.get("triggered_by") + "): cancel it there");
        }
        throw new ApiError(409, "sync " + id + " has already ended (" + record.get("status") + ")");
    }

    /** POST /api/database/sync/{sync_id}/undo {force?, triggered_by?}: 202 with the undo run's id. */
    void undo(Context ctx) {
        String id = ctx.pathParam("sync_id");
        Bodies.UndoBody body = ApiJson.read(ctx.bodyAsBytes(), Bodies.UndoBody.class, false);
        if (!SyncIds.valid(id) || history.find(id).isEmpty()) {
            throw ApiError.notFound(id);
        }
        SyncControl control = runs.claim();
        runs.launch(control, listener -> engine.undo(id, body.forced(),
                SyncRequest.of(Direction.into(engine.targetOf(id))).withTriggeredBy(body.by()).withBackup(true, backupDir),
                control, listener));
        ctx.status(202).json(Map.of("success", true, "sync_id", control.syncId(), "undo_of", id, "status", "running"));
    }

    /** GET /api/database/sync/{sync_id}/events: the status as server-sent events until the run ends. */
    void events(Context ctx) throws Exception {
        String id = ctx.pathParam("sync_id");
        if (snapshot(id).isEmpty()) {
            throw ApiError.notFound(id);
        }
        if (!"text/event-stream".equals(ctx.header("Accept"))) {
            throw new ApiError(406, "this endpoint streams server-sent events: send Accept: text/event-stream (EventSource does)");
        }
        new SseHandler(client -> stream(client, id)).handle(ctx);
    }

    private void stream(SseClient client, String id) {
        String last = null;
        long lastSent = 0;
        while (!client.terminated()) {
            Optional<Map<String, Object>> snap = snapshot(id);
            if (snap.isPresent()) {
                String json = ApiJson.write(snap.get());
                boolean ended = !"running".equals(record(snap.get()).get("status"));
                if (ended) {
                    client.sendEvent("end", json);
                    break;
                }
                if (!json.equals(last)) {
                    client.sendEvent("progress", json);
                    last = json;
                    lastSent = System.currentTimeMillis();
                }
            }
            if (System.currentTimeMillis() - lastSent > HEARTBEAT_MILLIS) {
                client.sendComment("waiting");
                lastSent = System.currentTimeMillis();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        client.close();
    }

    /**
     * {success, recorded, record, live}: the history row as it stands (or, for a run of this
     * process whose row is not written yet or was never written, what is known of it) and the
     * latest progress the engine reported to this process.
     */
    Optional<Map<String, Object>> snapshot(String id) {
        if (!SyncIds.valid(id)) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> row = history.find(id);
        SyncRuns.Run run = runs.get(id);
        if (row.isEmpty() && run == null) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("recorded", row.isPresent());
        m.put("record", row.orElseGet(() -> unrecorded(run)));
        m.put("live", run == null || run.progress == null ? null : Views.progress(run.progress));
        return Optional.of(m);
    }

    private static Map<String, Object> unrecorded(SyncRuns.Run run) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sync_id", run.control.syncId());
        String status = !run.done ? "running" : run.failure != null ? "failed"
                : run.result != null ? run.result.status() : "failed";
        r.put("status", status);
        r.put("current_phase", run.progress == null ? "validation" : run.progress.phase());
        r.put("percent_complete", run.progress == null ? 0 : run.progress.percent());
        r.put("started_at", run.started);
        r.put("error_message", run.failure == null ? null : run.failure.getMessage());
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> record(Map<String, Object> snapshot) {
        return (Map<String, Object>) snapshot.get("record");
    }
}
