package rmaplab.workload;

/**
 * A workload that cannot be run: its message is {@code FILE:LINE: what is
 * wrong} (line 0 when the problem is not on one line: the file cannot be
 * opened, is empty, or is not gzip data although its name says so).
 */
public class WorkloadException extends Exception {
    /** The most characters of a token a message quotes. */
    public static final int QUOTE_LIMIT = 60;

    private final String file;
    private final long line;
    private final String problem;

    public WorkloadException(String file, long line, String problem) {
        super(file + ":" + line + ": " + problem, null, false, false);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() { return file; }

    public long line() { return line; }

    /** The message without the FILE:LINE prefix. */
    public String problem() { return problem; }

    /**
     * A token as a message quotes it: in single quotes, control characters,
     * quotes, backslashes and anything outside printable ASCII escaped
     * ({@code \x00}, {@code \u00e9}), and cut to {@value #QUOTE_LIMIT}
     * characters with its full length said when it is longer.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), QUOTE_LIMIT) + 16).append('\'');
        int n = Math.min(s.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) escape(b, s.charAt(i));
        b.append('\'');
        if (s.length() > QUOTE_LIMIT) b.insert(b.length() - 1, "...").append(" (").append(s.length()).append(" characters)");
        return b.toString();
    }

    /** Text that is not a token (a reason from a library) with its characters escaped as {@link #quote} does, unquoted. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) escape(b, s.charAt(i));
        return b.toString();
    }

    private static void escape(StringBuilder b, char c) {
        switch (c) {
            case '\t' -> b.append("\\t");
            case '\r' -> b.append("\\r");
            case '\n' -> b.append("\\n");
            case '\\' -> b.append("\\\\");
            case '\'' -> b.append("\\'");
            default -> {
                if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
                else if (c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
        }
    }
}
