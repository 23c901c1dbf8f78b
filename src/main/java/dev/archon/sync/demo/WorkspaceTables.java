package dev.archon.sync.demo;

import java.util.List;
import java.util.Locale;

/**
 * Rows of Archon's workspace: settings, projects, tasks (with sub-tasks), their history and
 * document versions, prompts, LLM pricing, migrations and the ephemeral MCP session tables.
 */
final class WorkspaceTables {
    /** Archon's own migrations (version, name); 021 is left out: archon-sync's migrations apply it. */
    static final String[][] MIGRATIONS = {
        {"0.1.0", "001_add_source_url_display_name"}, {"0.1.0", "002_add_hybrid_search_tsvector"},
        {"0.1.0", "003_ollama_add_columns"}, {"0.1.0", "004_ollama_migrate_data"},
        {"0.1.0", "005_ollama_create_functions"}, {"0.1.0", "006_ollama_create_indexes_optional"},
        {"0.1.0", "007_add_priority_column_to_tasks"}, {"0.1.0", "008_add_migration_tracking"},
        {"0.1.0", "009_add_cascade_delete_constraints"}, {"0.1.0", "010_add_provider_placeholders"},
        {"0.1.0", "011_add_page_metadata_table"},
    };
    private static final String[][] SETTINGS = {
        {"OPENAI_API_KEY", "api_keys"}, {"ANTHROPIC_API_KEY", "api_keys"}, {"GOOGLE_API_KEY", "api_keys"},
        {"OPENROUTER_API_KEY", "api_keys"}, {"GROK_API_KEY", "api_keys"}, {"GITHUB_PAT", "api_keys"},
        {"LLM_PROVIDER", "rag_strategy"}, {"MODEL_CHOICE", "rag_strategy"}, {"EMBEDDING_MODEL", "rag_strategy"},
        {"USE_HYBRID_SEARCH", "rag_strategy"}, {"USE_RERANKING", "rag_strategy"}, {"USE_CONTEXTUAL_EMBEDDINGS", "rag_strategy"},
        {"CRAWL_BATCH_SIZE", "rag_strategy"}, {"CRAWL_MAX_CONCURRENT", "rag_strategy"}, {"PROJECTS_ENABLED", "features"},
        {"LOGFIRE_ENABLED", "features"}, {"DISCONNECT_SCREEN_ENABLED", "features"}, {"THEME", "ui"},
    };
    private static final String[] STATUSES = {"todo", "doing", "review", "done"};
    private static final String[] PRIORITIES = {"low", "medium", "high", "critical"};
    private static final String[] ASSIGNEES = {"User", "Archon", "AI IDE Agent", "Coding Agent"};
    private static final String[] PROVIDERS = {"openai", "anthropic", "google", "ollama"};
    private static final String[] METHODS = {"tools/call", "tools/list", "resources/read", "initialize"};
    private static final String[] TOOLS = {"rag_search_knowledge_base", "find_tasks", "manage_task", "find_projects"};

    private final Scale scale;
    private final long seed;
    private final String[] sourceIds;
    private final String[] projectIds;
    private final String[] taskIds;
    private final String[] sessionIds;

    WorkspaceTables(Scale scale, long seed, String[] sourceIds) {
        this.scale = scale;
        this.seed = seed;
        this.sourceIds = sourceIds.clone();
        Fake ids = new Fake(seed, 2);
        projectIds = uuids(ids, scale.projects());
        taskIds = uuids(ids, scale.tasks());
        sessionIds = uuids(ids, scale.mcpSessions());
    }

    List<TableLoad> firstGroup() {
        return List.of(settings(), projects(), migrations(), prompts(), llmPricing(), mcpSessions());
    }

    List<TableLoad> secondGroup() {
        return List.of(tasks(), projectSources(), mcpRequests());
    }

    List<TableLoad> thirdGroup() {
        return List.of(taskHistory(), documentVersions());
    }

    private static String[] uuids(Fake f, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = f.uuid();
        }
        return out;
    }

    /** A table of {@code count} rows, each written by {@code writer} with its index. */
    private static TableLoad rows(String table, String columns, int count, RowWriter writer) {
        CopyRow row = new CopyRow();
        int[] i = {0};
        return new TableLoad(table, columns, out -> {
            if (i[0] >= count) {
                return false;
            }
            writer.write(row.start(out), i[0]++);
            row.end();
            return true;
        });
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(CopyRow row, int index);
    }

    private TableLoad settings() {
        Fake f = new Fake(seed, 20);
        return rows("archon_settings", "id, key, value, encrypted_value, is_encrypted, category, description, created_at, updated_at",
                Scale.SETTINGS, (row, i) -> {
                    String key = i < SETTINGS.length ? SETTINGS[i][0] : "CUSTOM_SETTING_" + i;
                    String category = i < SETTINGS.length ? SETTINGS[i][1] : (i % 7 == 0 ? null : "custom");
                    boolean secret = "api_keys".equals(category);
                    String created = f.timestamp();
                    row.raw(f.uuid()).text(key)
                            .text(secret ? null : (i % 9 == 4 ? Fake.UNICODE_SAMPLE : f.word()))
                            .text(secret ? "sk-test-" + f.hex(40) : null).bool(secret).text(category)
                            .text(f.chance(0.25) ? null : f.sentence(f.between(4, 12)))
                            .raw(created).raw(f.after(created, 60 * 24));
                });
    }

    private TableLoad projects() {
        Fake f = new Fake(seed, 21);
        return rows("archon_projects", "id, title, description, docs, features, data, github_repo, pinned, created_at, updated_at",
                projectIds.length, (row, i) -> {
                    Json docs = Json.array().add(Json.object().put("id", f.uuid()).put("document_type", "prd")
                            .put("title", f.sentence(3)).putJson("content", Json.object().put("goals", f.sentence(10))));
                    String created = f.timestamp();
                    row.raw(projectIds[i]).text(i == 1 ? "Projet café 日本 🚀" : "Project " + f.sentence(2))
                            .text(f.chance(0.2) ? null : f.sentence(f.between(8, 30))).text(docs.toString())
                            .text(Json.array().add(f.word()).add(f.word()).toString())
                            .text(f.chance(0.5) ? "[]" : null)
                            .text(f.chance(0.4) ? null : "https://github.com/example/repo-" + i)
                            .bool(i == 0).raw(created).raw(f.after(created, 60 * 24 * 60));
                });
    }

    private TableLoad migrations() {
        Fake f = new Fake(seed, 22);
        return rows("archon_migrations", "id, version, migration_name, applied_at, checksum", MIGRATIONS.length,
                (row, i) -> row.raw(f.uuid()).text(MIGRATIONS[i][0]).text(MIGRATIONS[i][1])
                        .raw(f.timestamp()).text(i % 3 == 0 ? null : f.hex(32)));
    }

    private TableLoad prompts() {
        Fake f = new Fake(seed, 23);
        String[] names = {"document_builder", "feature_builder", "data_builder", "code_reviewer", "task_planner", "summarizer"};
        return rows("archon_prompts", "id, prompt_name, prompt, description, created_at, updated_at", Scale.PROMPTS,
                (row, i) -> {
                    String created = f.timestamp();
                    row.raw(f.uuid()).text(names[i]).text("You are a helpful assistant.\n\n" + f.sentence(30) + ".\n")
                            .text(i == 5 ? null : f.sentence(6)).raw(created).raw(f.after(created, 60));
                });
    }

    private TableLoad llmPricing() {
        Fake f = new Fake(seed, 24);
        return rows("archon_llm_pricing", "provider, model_name, input_cost_per_1k, output_cost_per_1k, currency, effective_date, created_at",
                Scale.LLM_PRICING, (row, i) -> {
                    int in = f.between(0, 15_000);
                    row.text(PROVIDERS[i % PROVIDERS.length]).text("model-" + i).raw(String.format(Locale.ROOT, "%d.%06d", in / 1000, in % 1000))
                            .raw(String.format(Locale.ROOT, "0.%06d", f.between(0, 999_999))).text(i % 8 == 7 ? null : "USD")
                            .raw(i % 5 == 0 ? null : "2025-0" + (1 + i % 9) + "-01").raw(f.timestamp());
                });
    }

    private TableLoad mcpSessions() {
        Fake f = new Fake(seed, 25);
        return rows("archon_mcp_sessions", "session_id, client_name, client_version, connected_at, disconnected_at, last_activity, status",
                sessionIds.length, (row, i) -> {
                    String connected = f.timestamp();
                    boolean gone = i % 2 == 0;
                    row.raw(sessionIds[i]).text(i % 3 == 0 ? null : "claude-code").text("1." + i)
                            .raw(connected).raw(gone ? f.after(connected, 240) : null).raw(f.after(connected, 120))
                            .text(gone ? "disconnected" : "active");
                });
    }

    private TableLoad tasks() {
        Fake f = new Fake(seed, 26);
        int projects = projectIds.length;
        return rows("archon_tasks", "id, project_id, parent_task_id, title, description, status, assignee, task_order, feature, priority, sources, code_examples, archived, created_at, updated_at",
                taskIds.length, (row, i) -> {
                    // A sub-task points at an earlier task of the same project (i - k * projects).
                    String parent = i >= projects && f.chance(0.3) ? taskIds[i - projects * f.between(1, i / projects)] : null;
                    Json sources = f.chance(0.5) ? Json.array()
                            : Json.array().add(Json.object().put("url", "https://docs.example-" + f.between(0, 9) + ".dev")
                                    .put("type", "documentation").put("relevance", f.sentence(3)));
                    String created = f.timestamp();
                    row.raw(taskIds[i]).raw(projectIds[i % projects]).raw(parent)
                            .text(i % 11 == 3 ? "Réparer l'index 日本 🚀 #" + i : f.sentence(f.between(3, 8)))
                            .text(f.chance(0.15) ? null : f.sentence(f.between(10, 40)) + ".\n- " + f.sentence(4))
                            .raw(f.pick(STATUSES)).text(f.chance(0.1) ? null : f.pick(ASSIGNEES)).num(f.between(0, 100))
                            .text(f.chance(0.3) ? null : f.word()).raw(f.pick(PRIORITIES)).text(sources.toString())
                            .text(f.chance(0.3) ? null : "[]").bool(f.chance(0.05))
                            .raw(created).raw(f.after(created, 60 * 24 * 14));
                });
    }

    private TableLoad projectSources() {
        Fake f = new Fake(seed, 27);
        int perProject = Math.min(2, sourceIds.length);
        return rows("archon_project_sources", "id, project_id, source_id, linked_at, created_by, notes",
                scale.projectSources(), (row, i) -> {
                    int project = i / perProject;
                    int source = (project + i % perProject) % sourceIds.length;
                    row.raw(f.uuid()).raw(projectIds[project]).text(sourceIds[source]).raw(f.timestamp())
                            .text(f.chance(0.2) ? null : "system").text(f.chance(0.6) ? null : f.sentence(5));
                });
    }

    private TableLoad mcpRequests() {
        Fake f = new Fake(seed, 28);
        return rows("archon_mcp_requests", "request_id, session_id, method, tool_name, prompt_tokens, completion_tokens, estimated_cost, requested_at, duration_ms, status, error_message",
                scale.mcpRequests(), (row, i) -> {
                    boolean failed = i % 13 == 5;
                    row.raw(f.uuid()).raw(sessionIds[i % sessionIds.length]).text(f.pick(METHODS))
                            .text(f.chance(0.2) ? null : f.pick(TOOLS)).num(f.between(0, 4_000)).num(f.between(0, 2_000))
                            .raw("0.00" + f.between(1_000, 9_999)).raw(f.timestamp()).num(f.between(3, 9_000))
                            .text(failed ? "error" : "success").text(failed ? "tool failed: \"timeout\"\n\tat step 2" : null);
                });
    }

    private TableLoad taskHistory() {
        Fake f = new Fake(seed, 29);
        return rows("archon_task_history", "id, task_id, field_name, old_value, new_value, changed_by, changed_at",
                scale.taskHistory(), (row, i) -> row.raw(f.uuid()).raw(taskIds[f.between(0, taskIds.length - 1)])
                        .text("status").text(i % 4 == 0 ? null : f.pick(STATUSES)).text(f.pick(STATUSES))
                        .text(f.pick(ASSIGNEES)).raw(f.timestamp()));
    }

    private TableLoad documentVersions() {
        Fake f = new Fake(seed, 30);
        return rows("archon_document_versions", "id, project_id, task_id, field_name, version_number, content, change_summary, change_type, document_id, created_by, created_at",
                scale.documentVersions(), (row, i) -> {
                    boolean ofProject = i % 3 != 2;
                    Json content = Json.object().put("title", f.sentence(3)).put("body", f.sentence(20) + "\n" + Fake.UNICODE_SAMPLE);
                    row.raw(f.uuid()).raw(ofProject ? projectIds[i % projectIds.length] : null)
                            .raw(ofProject ? null : taskIds[i % taskIds.length]).text(ofProject ? "docs" : "description")
                            .num(1 + i / projectIds.length).text(content.toString()).text(f.chance(0.3) ? null : f.sentence(6))
                            .text("update").text(f.chance(0.5) ? null : f.uuid()).text("Archon").raw(f.timestamp());
                });
    }
}
