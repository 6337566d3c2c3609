package rmaplab.report;

import java.util.List;

/** Prose for people: lines longer than the terminal wrapped on spaces, with a hanging indent. */
public final class Text {
    private Text() {}

    /**
     * {@code text} with every line longer than {@code width} wrapped at spaces,
     * continuation lines indented two more than the line's own indent. Table
     * rows (lines with " | ") are left alone ({@link Table} fits them), and so
     * is a single word longer than the width (a file name is never split).
     */
    public static String fit(String text, int width) {
        if (width == Table.UNLIMITED) return text;
        StringBuilder b = new StringBuilder(text.length() + 64);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.length() <= width || line.contains(" | ")) b.append(line);
            else wrapLine(b, line, width);
            if (i < lines.length - 1) b.append('\n');
        }
        return b.toString();
    }

    /** The words of {@code s} in lines of at most {@code width} characters; a longer word gets a line of its own. */
    public static List<String> words(String s, int width) { return Table.wrap(s, width); }

    private static void wrapLine(StringBuilder b, String line, int width) {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') indent++;
        String hang = " ".repeat(Math.min(indent + 2, width / 2));
        List<String> parts = Table.wrap(line.substring(indent), width - hang.length());
        // the first line has its own indent and may be a little longer than the continuation lines
        b.append(" ".repeat(indent)).append(parts.get(0));
        for (int i = 1; i < parts.size(); i++) b.append('\n').append(hang).append(parts.get(i));
    }
}
