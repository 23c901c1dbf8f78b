package dev.archon.sync.demo;

/** A tiny JSON writer for generated jsonb values (objects and arrays of strings and numbers). */
final class Json {
    private final StringBuilder sb = new StringBuilder(128);
    private boolean needComma;

    static Json object() {
        Json j = new Json();
        j.sb.append('{');
        return j;
    }

    static Json array() {
        Json j = new Json();
        j.sb.append('[');
        return j;
    }

    Json put(String key, String value) {
        key(key);
        if (value == null) {
            sb.append("null");
        } else {
            string(value);
        }
        return this;
    }

    Json put(String key, long value) {
        key(key);
        sb.append(value);
        return this;
    }

    Json put(String key, boolean value) {
        key(key);
        sb.append(value);
        return this;
    }

    /** A nested object or array, written as is. */
    Json putJson(String key, Json value) {
        key(key);
        sb.append(value.toString());
        return this;
    }

    Json add(String value) {
        comma();
        string(value);
        return this;
    }

    Json add(Json value) {
        comma();
        sb.append(value.toString());
        return this;
    }

    @Override
    public String toString() {
        char open = sb.charAt(0);
        return sb + (open == '{' ? "}" : "]");
    }

    private void key(String key) {
        comma();
        string(key);
        sb.append(':');
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
        }
        needComma = true;
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
