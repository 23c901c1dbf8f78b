-- An Archon-shaped schema for plain PostgreSQL 15-18, used by the demo, the tests and the benchmark.
-- pgvector is not installable here: every vector(n) column of Archon is a real[] of the same length
-- (embedding_1536). archon_sync_history is not created here: archon-sync's own migrations do that.
-- Indexes: the non-vector index set Archon's migration/complete_setup.sql puts on these tables
-- (primary keys, unique constraints, B-tree, GIN on jsonb and tsvector, trigram GIN), written here
-- from those facts: 60 of its 68 indexes on the synced tables. Its 8 ivfflat vector indexes
-- (embedding_384/768/1024/1536 on crawled pages and code examples) need pgvector and are absent.
-- Tables that complete_setup.sql does not create (task history, LLM pricing, MCP) keep their own.
-- Safe to run twice (IF NOT EXISTS / OR REPLACE / duplicate_object guards); mainly run on empty databases.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$ BEGIN
    CREATE TYPE task_status AS ENUM ('todo', 'doing', 'review', 'done');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

DO $$ BEGIN
    CREATE TYPE task_priority AS ENUM ('low', 'medium', 'high', 'critical');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$;

-- 1. Tables without foreign keys -------------------------------------------------------------

CREATE TABLE IF NOT EXISTS archon_settings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key text NOT NULL UNIQUE,
    value text,
    encrypted_value text,
    is_encrypted boolean DEFAULT false,
    category text,
    description text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_settings_key ON archon_settings (key);
CREATE INDEX IF NOT EXISTS idx_archon_settings_category ON archon_settings (category);
CREATE OR REPLACE TRIGGER update_archon_settings_updated_at
    BEFORE UPDATE ON archon_settings FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE IF NOT EXISTS archon_sources (
    source_id text PRIMARY KEY,
    source_url text,
    source_display_name text,
    summary text,
    total_word_count integer DEFAULT 0,
    title text,
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_sources_title ON archon_sources (title);
CREATE INDEX IF NOT EXISTS idx_archon_sources_url ON archon_sources (source_url);
CREATE INDEX IF NOT EXISTS idx_archon_sources_display_name ON archon_sources (source_display_name);
CREATE INDEX IF NOT EXISTS idx_archon_sources_metadata ON archon_sources USING gin (metadata);
CREATE INDEX IF NOT EXISTS idx_archon_sources_knowledge_type ON archon_sources ((metadata ->> 'knowledge_type'));

CREATE TABLE IF NOT EXISTS archon_projects (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    description text DEFAULT '',
    docs jsonb DEFAULT '[]'::jsonb,
    features jsonb DEFAULT '[]'::jsonb,
    data jsonb DEFAULT '[]'::jsonb,
    github_repo text,
    pinned boolean DEFAULT false,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE OR REPLACE TRIGGER update_archon_projects_updated_at
    BEFORE UPDATE ON archon_projects FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE IF NOT EXISTS archon_migrations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version varchar(20) NOT NULL,
    migration_name varchar(255) NOT NULL,
    applied_at timestamptz DEFAULT now(),
    checksum varchar(32),
    UNIQUE (version, migration_name)
);

CREATE TABLE IF NOT EXISTS archon_prompts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prompt_name text NOT NULL UNIQUE,
    prompt text NOT NULL,
    description text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_prompts_name ON archon_prompts (prompt_name);
CREATE OR REPLACE TRIGGER update_archon_prompts_updated_at
    BEFORE UPDATE ON archon_prompts FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE IF NOT EXISTS archon_llm_pricing (
    id serial PRIMARY KEY,
    provider text NOT NULL,
    model_name text NOT NULL,
    input_cost_per_1k numeric(12, 6) NOT NULL,
    output_cost_per_1k numeric(12, 6) NOT NULL,
    currency text DEFAULT 'USD',
    effective_date date,
    created_at timestamptz DEFAULT now(),
    UNIQUE (provider, model_name)
);

CREATE TABLE IF NOT EXISTS archon_mcp_sessions (
    session_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_name text,
    client_version text,
    connected_at timestamptz NOT NULL DEFAULT now(),
    disconnected_at timestamptz,
    last_activity timestamptz,
    status text DEFAULT 'active' CHECK (status IN ('active', 'idle', 'disconnected'))
);

-- 2. Tables that reference the first group ---------------------------------------------------

CREATE TABLE IF NOT EXISTS archon_page_metadata (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_id text NOT NULL REFERENCES archon_sources (source_id) ON DELETE CASCADE,
    url text NOT NULL UNIQUE,
    full_content text NOT NULL,
    section_title text,
    section_order integer DEFAULT 0,
    word_count integer NOT NULL,
    char_count integer NOT NULL,
    chunk_count integer NOT NULL DEFAULT 0,
    metadata jsonb DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_page_metadata_source_id ON archon_page_metadata (source_id);
CREATE INDEX IF NOT EXISTS idx_archon_page_metadata_url ON archon_page_metadata (url);
CREATE INDEX IF NOT EXISTS idx_archon_page_metadata_section ON archon_page_metadata (source_id, section_title, section_order);
CREATE INDEX IF NOT EXISTS idx_archon_page_metadata_created_at ON archon_page_metadata (created_at);
CREATE INDEX IF NOT EXISTS idx_archon_page_metadata_metadata ON archon_page_metadata USING gin (metadata);

CREATE TABLE IF NOT EXISTS archon_code_examples (
    id bigserial PRIMARY KEY,
    url varchar NOT NULL,
    chunk_number integer NOT NULL,
    content text NOT NULL,
    summary text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_id text NOT NULL REFERENCES archon_sources (source_id) ON DELETE CASCADE,
    embedding_1536 real[],
    embedding_model text,
    embedding_dimension integer,
    llm_chat_model text,
    content_search_vector tsvector GENERATED ALWAYS AS
        (to_tsvector('english', coalesce(content, '') || ' ' || coalesce(summary, ''))) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (url, chunk_number)
);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_source_id ON archon_code_examples (source_id);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_metadata ON archon_code_examples USING gin (metadata);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_content_search ON archon_code_examples USING gin (content_search_vector);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_content_trgm ON archon_code_examples USING gin (content gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_summary_trgm ON archon_code_examples USING gin (summary gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_embedding_model ON archon_code_examples (embedding_model);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_embedding_dimension ON archon_code_examples (embedding_dimension);
CREATE INDEX IF NOT EXISTS idx_archon_code_examples_llm_chat_model ON archon_code_examples (llm_chat_model);

CREATE TABLE IF NOT EXISTS archon_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid REFERENCES archon_projects (id) ON DELETE CASCADE,
    parent_task_id uuid REFERENCES archon_tasks (id) ON DELETE CASCADE,
    title text NOT NULL,
    description text DEFAULT '',
    status task_status DEFAULT 'todo',
    assignee text DEFAULT 'User',
    task_order integer DEFAULT 0,
    feature text,
    priority task_priority NOT NULL DEFAULT 'medium',
    sources jsonb DEFAULT '[]'::jsonb,
    code_examples jsonb DEFAULT '[]'::jsonb,
    archived boolean DEFAULT false,
    archived_at timestamptz,
    archived_by text,
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_project_id ON archon_tasks (project_id);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_parent_task_id ON archon_tasks (parent_task_id);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_status ON archon_tasks (status);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_assignee ON archon_tasks (assignee);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_order ON archon_tasks (task_order);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_priority ON archon_tasks (priority);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_archived ON archon_tasks (archived);
CREATE INDEX IF NOT EXISTS idx_archon_tasks_archived_at ON archon_tasks (archived_at);
-- A user trigger: a sync that copies rows must not let it rewrite updated_at.
CREATE OR REPLACE TRIGGER update_archon_tasks_updated_at
    BEFORE UPDATE ON archon_tasks FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

CREATE TABLE IF NOT EXISTS archon_project_sources (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES archon_projects (id) ON DELETE CASCADE,
    source_id text NOT NULL REFERENCES archon_sources (source_id) ON DELETE CASCADE,
    linked_at timestamptz DEFAULT now(),
    created_by text DEFAULT 'system',
    notes text,
    UNIQUE (project_id, source_id)
);
CREATE INDEX IF NOT EXISTS idx_archon_project_sources_project_id ON archon_project_sources (project_id);
CREATE INDEX IF NOT EXISTS idx_archon_project_sources_source_id ON archon_project_sources (source_id);

CREATE TABLE IF NOT EXISTS archon_mcp_requests (
    request_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL REFERENCES archon_mcp_sessions (session_id) ON DELETE CASCADE,
    method text NOT NULL,
    tool_name text,
    prompt_tokens integer DEFAULT 0,
    completion_tokens integer DEFAULT 0,
    total_tokens integer GENERATED ALWAYS AS (coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)) STORED,
    estimated_cost numeric(10, 6) DEFAULT 0,
    requested_at timestamptz NOT NULL DEFAULT now(),
    duration_ms integer,
    status text NOT NULL DEFAULT 'success' CHECK (status IN ('success', 'error', 'timeout')),
    error_message text
);
CREATE INDEX IF NOT EXISTS idx_archon_mcp_requests_session ON archon_mcp_requests (session_id);

-- 3. Tables that reference the second group --------------------------------------------------

CREATE TABLE IF NOT EXISTS archon_crawled_pages (
    id bigserial PRIMARY KEY,
    url varchar NOT NULL,
    chunk_number integer NOT NULL,
    content text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    source_id text NOT NULL REFERENCES archon_sources (source_id) ON DELETE CASCADE,
    page_id uuid REFERENCES archon_page_metadata (id) ON DELETE SET NULL,
    embedding_1536 real[],
    embedding_model text,
    embedding_dimension integer,
    llm_chat_model text,
    content_search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(content, ''))) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (url, chunk_number)
);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_source_id ON archon_crawled_pages (source_id);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_page_id ON archon_crawled_pages (page_id);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_metadata ON archon_crawled_pages USING gin (metadata);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_content_search ON archon_crawled_pages USING gin (content_search_vector);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_content_trgm ON archon_crawled_pages USING gin (content gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_embedding_model ON archon_crawled_pages (embedding_model);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_embedding_dimension ON archon_crawled_pages (embedding_dimension);
CREATE INDEX IF NOT EXISTS idx_archon_crawled_pages_llm_chat_model ON archon_crawled_pages (llm_chat_model);

CREATE TABLE IF NOT EXISTS archon_task_history (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    task_id uuid NOT NULL REFERENCES archon_tasks (id) ON DELETE CASCADE,
    field_name text NOT NULL,
    old_value text,
    new_value text,
    changed_by text DEFAULT 'system',
    changed_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_archon_task_history_task_id ON archon_task_history (task_id);

CREATE TABLE IF NOT EXISTS archon_document_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid REFERENCES archon_projects (id) ON DELETE CASCADE,
    task_id uuid REFERENCES archon_tasks (id) ON DELETE CASCADE,
    field_name text NOT NULL,
    version_number integer NOT NULL,
    content jsonb NOT NULL,
    change_summary text,
    change_type text DEFAULT 'update',
    document_id text,
    created_by text DEFAULT 'system',
    created_at timestamptz DEFAULT now(),
    CONSTRAINT chk_project_or_task CHECK ((project_id IS NULL) <> (task_id IS NULL)),
    UNIQUE (project_id, task_id, field_name, version_number)
);
CREATE INDEX IF NOT EXISTS idx_archon_document_versions_project_id ON archon_document_versions (project_id);
CREATE INDEX IF NOT EXISTS idx_archon_document_versions_task_id ON archon_document_versions (task_id);
CREATE INDEX IF NOT EXISTS idx_archon_document_versions_field_name ON archon_document_versions (field_name);
CREATE INDEX IF NOT EXISTS idx_archon_document_versions_version_number ON archon_document_versions (version_number);
CREATE INDEX IF NOT EXISTS idx_archon_document_versions_created_at ON archon_document_versions (created_at);
