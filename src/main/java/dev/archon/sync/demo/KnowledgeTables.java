package dev.archon.sync.demo;

import java.util.List;

/**
 * Rows of the knowledge base: sources, page metadata, crawled pages (the bulk) and code examples.
 * Keys are computed up front (a few thousand strings at the largest scale); row content is
 * generated while COPY reads it.
 */
final class KnowledgeTables {
    static final int EMBEDDING_DIMS = 1536;
    private static final String EMBEDDING_MODEL = "text-embedding-3-small";
    private static final String[] CHAT_MODELS = {"gpt-4.1-nano", "gpt-4o-mini", null};
    private static final String[] KNOWLEDGE_TYPES = {"technical", "business"};
    private static final String[] LANGUAGES = {"python", "typescript", "sql", "bash", "java"};

    private final Scale scale;
    private final long seed;
    private final String[] sourceIds;
    private final String[] pageIds;

    KnowledgeTables(Scale scale, long seed) {
        this.scale = scale;
        this.seed = seed;
        Fake ids = new Fake(seed, 1);
        sourceIds = new String[scale.sources()];
        for (int i = 0; i < sourceIds.length; i++) {
            sourceIds[i] = ids.hex(16);
        }
        pageIds = new String[scale.pageMetadata()];
        for (int i = 0; i < pageIds.length; i++) {
            pageIds[i] = ids.uuid();
        }
    }

    String[] sourceIds() {
        return sourceIds.clone();
    }

    List<TableLoad> firstGroup() {
        return List.of(sources());
    }

    List<TableLoad> secondGroup() {
        return List.of(pageMetadata(), codeExamples());
    }

    List<TableLoad> thirdGroup() {
        return List.of(crawledPages());
    }

    private String sourceUrl(int s) {
        return "https://docs.example-" + s + ".dev";
    }

    private int sourceOfPage(int p) {
        return p % sourceIds.length;
    }

    private String pageUrl(int p) {
        return sourceUrl(sourceOfPage(p)) + "/guide/page-" + p;
    }

    private TableLoad sources() {
        Fake f = new Fake(seed, 10);
        CopyRow row = new CopyRow();
        int[] i = {0};
        return new TableLoad("archon_sources",
                "source_id, source_url, source_display_name, summary, total_word_count, title, metadata, created_at, updated_at",
                out -> {
                    int s = i[0]++;
                    if (s >= sourceIds.length) {
                        return false;
                    }
                    String created = f.timestamp();
                    String name = s % 5 == 1 ? Fake.UNICODE_SAMPLE + " docs " + s : "Example " + s + " Docs";
                    Json meta = Json.object().put("knowledge_type", f.pick(KNOWLEDGE_TYPES))
                            .putJson("tags", Json.array().add(f.word()).add(f.word()))
                            .put("source_type", "url").put("update_frequency", f.between(1, 30))
                            .put("original_url", sourceUrl(s));
                    row.start(out).text(sourceIds[s]).text(sourceUrl(s)).text(name)
                            .text(f.chance(0.2) ? null : f.sentence(f.between(12, 40)))
                            .num(f.between(10_000, 2_000_000)).text(f.chance(0.1) ? null : f.sentence(4))
                            .text(meta.toString()).raw(created).raw(f.after(created, 60 * 24 * 30)).end();
                    return true;
                });
    }

    private TableLoad pageMetadata() {
        Fake f = new Fake(seed, 11);
        CopyRow row = new CopyRow();
        StringBuilder content = new StringBuilder(20_000);
        int pages = pageIds.length;
        int[] i = {0};
        return new TableLoad("archon_page_metadata",
                "id, source_id, url, full_content, section_title, section_order, word_count, char_count, chunk_count, metadata, created_at, updated_at",
                out -> {
                    int p = i[0]++;
                    if (p >= pages) {
                        return false;
                    }
                    f.prose(content, 4_000, 16_000);
                    int chunks = scale.crawledPages() / pages + (p < scale.crawledPages() % pages ? 1 : 0);
                    String created = f.timestamp();
                    row.start(out).raw(pageIds[p]).text(sourceIds[sourceOfPage(p)]).text(pageUrl(p)).text(content)
                            .text(f.chance(0.15) ? null : f.sentence(f.between(2, 6))).num(p / sourceIds.length)
                            .num(wordCount(content)).num(content.length()).num(chunks)
                            .text(Json.object().put("crawl_type", "recursive").put("depth", f.between(0, 3)).toString())
                            .raw(created).raw(f.chance(0.3) ? null : f.after(created, 600)).end();
                    return true;
                });
    }

    private TableLoad crawledPages() {
        Fake f = new Fake(seed, 12);
        CopyRow row = new CopyRow();
        StringBuilder content = new StringBuilder(5_000);
        int pages = pageIds.length;
        int[] i = {0};
        return new TableLoad("archon_crawled_pages",
                "url, chunk_number, content, metadata, source_id, page_id, embedding_1536, embedding_model, embedding_dimension, llm_chat_model, created_at",
                out -> {
                    int n = i[0]++;
                    if (n >= scale.crawledPages()) {
                        return false;
                    }
                    int p = n % pages;
                    int chunk = n / pages;
                    f.prose(content, 1_500, 4_000);
                    String source = sourceIds[sourceOfPage(p)];
                    Json meta = Json.object().put("url", pageUrl(p)).put("source_id", source)
                            .put("chunk_index", chunk).put("char_count", content.length())
                            .put("word_count", wordCount(content)).put("headers", f.chance(0.3) ? null : "# " + f.sentence(3))
                            .put("crawl_type", "recursive").put("knowledge_type", f.pick(KNOWLEDGE_TYPES));
                    row.start(out).text(pageUrl(p)).num(chunk).text(content).text(meta.toString()).text(source)
                            .raw(f.chance(0.05) ? null : pageIds[p]);
                    embeddingColumns(f, row);
                    row.raw(f.timestamp()).end();
                    return true;
                });
    }

    private TableLoad codeExamples() {
        Fake f = new Fake(seed, 13);
        CopyRow row = new CopyRow();
        int pages = pageIds.length;
        int[] i = {0};
        return new TableLoad("archon_code_examples",
                "url, chunk_number, content, summary, metadata, source_id, embedding_1536, embedding_model, embedding_dimension, llm_chat_model, created_at",
                out -> {
                    int n = i[0]++;
                    if (n >= scale.codeExamples()) {
                        return false;
                    }
                    int p = n % pages;
                    String language = f.pick(LANGUAGES);
                    String code = codeSnippet(f, language);
                    Json meta = Json.object().put("language", language).put("example_name", f.sentence(3))
                            .put("char_count", code.length()).put("url", pageUrl(p));
                    row.start(out).text(pageUrl(p)).num(n / pages).text(code).text(f.sentence(f.between(8, 25)))
                            .text(meta.toString()).text(sourceIds[sourceOfPage(p)]);
                    embeddingColumns(f, row);
                    row.raw(f.timestamp()).end();
                    return true;
                });
    }

    private static void embeddingColumns(Fake f, CopyRow row) {
        if (f.chance(0.02)) {
            row.nul().nul().nul();
        } else {
            f.embedding(row.column(), EMBEDDING_DIMS);
            row.text(EMBEDDING_MODEL).num(EMBEDDING_DIMS);
        }
        row.text(f.pick(CHAT_MODELS));
    }

    /** Code with the characters COPY and JSON must escape: backslashes, tabs, quotes, newlines. */
    static String codeSnippet(Fake f, String language) {
        String name = f.word() + "_" + f.word();
        String body = switch (language) {
            case "python" -> "def " + name + "(text):\n\t# " + f.sentence(5) + "\n\treturn re.findall(r\"\\d+\\s\\w*\", text)\n";
            case "typescript" -> "export function " + name + "(s: string): string[] {\n\treturn s.split(/\\r?\\n/).map(l => `\"${l}\"`);\n}\n";
            case "sql" -> "SELECT id, content\nFROM archon_crawled_pages\nWHERE content ~ '\\m" + f.word() + "\\M'\nLIMIT " + f.between(1, 50) + ";\n";
            case "bash" -> "#!/usr/bin/env bash\nset -euo pipefail\necho \"" + f.sentence(4) + "\" | sed 's/\\t/ /g' > \"$HOME/" + name + ".txt\"\n";
            default -> "public static String " + name + "(String s) {\n\treturn s.replace(\"\\\\\", \"/\"); // " + f.sentence(4) + "\n}\n";
        };
        StringBuilder sb = new StringBuilder(body);
        int extra = f.between(0, 6);
        for (int k = 0; k < extra; k++) {
            sb.append("// ").append(f.sentence(f.between(5, 12))).append('\n');
        }
        return sb.toString();
    }

    static int wordCount(CharSequence text) {
        int words = 0;
        boolean inWord = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }
}
