package dev.archon.sync.delta;

/** PostgreSQL COPY text format: escaping and unescaping of one field. */
public final class CopyText {
    private CopyText() {
    }

    /** The value a COPY text field stands for ({@code \N} is NULL, returned as null). */
    public static String unescape(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\' || i + 1 == field.length()) {
                out.append(ch);
                continue;
            }
            char next = field.charAt(++i);
            switch (next) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> i = hex(field, i, out);
                default -> {
                    if (next >= '0' && next <= '7') {
                        i = octal(field, i, out);
                    } else {
                        out.append(next);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The COPY text field for a value (null becomes {@code \N}). */
    public static String escape(String value) {
        if (value == null) {
            return "\\N";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static int hex(String s, int i, StringBuilder out) {
        int end = i + 1;
        while (end < s.length() && end < i + 3 && Character.digit(s.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == i + 1) {
            out.append('x');
            return i;
        }
        out.append((char) Integer.parseInt(s.substring(i + 1, end), 16));
        return end - 1;
    }

    private static int octal(String s, int i, StringBuilder out) {
        int end = i;
        while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
            end++;
        }
        out.append((char) Integer.parseInt(s.substring(i, end), 8));
        return end - 1;
    }
}
