package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain text table: a label column and one column per design (or other
 * subject), with section headings. {@link #render(int)} keeps this layout
 * when it fits the width; when it does not, each section is turned so that
 * the subjects are rows and the section's figures are columns (headers
 * wrapped on spaces), and a section whose figures still do not fit is split
 * into groups of figures, each a table of its own.
 */
public final class Table {
    /** The width of a terminal that all default text output fits. */
    public static final int COLUMNS = 120;

    /** Render without any width limit: the side-by-side layout, however wide ('--wide'). */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();

    public Table(List<String> columns) { this.columns = columns; }

    public void section(String title) { rows.add(new String[] {null, title}); }

    public void row(String label, List<String> values) {
        String[] r = new String[values.size() + 1];
        r[0] = label;
        for (int i = 0; i < values.size(); i++) r[i + 1] = values.get(i);
        rows.add(r);
    }

    public static String bytes(long b) {
        if (b < 10 * 1024) return b + " B";
        if (b < 10L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 10L * 1024 * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    /** The table in {@link #COLUMNS} columns. */
    public String render() { return render(COLUMNS); }

    /** The side-by-side layout when its lines fit {@code width}, else the turned layout (class comment). */
    public String render(int width) {
        String side = sideBySide(false);
        if (width == UNLIMITED || maxLine(side) <= width) return side;
        String wrapped = sideBySide(true); // the same layout with its column headers on several lines
        if (maxLine(wrapped) <= width) return wrapped;
        return turned(width);
    }

    private String sideBySide(boolean wrapHeaders) {
        int n = columns.size();
        int[] w = new int[n + 1];
        for (String[] r : rows) {
            if (r[0] == null) continue;
            for (int i = 0; i <= n && i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        }
        List<List<String>> heads = new ArrayList<>();
        int lines = 1;
        for (int i = 0; i < n; i++) {
            String c = columns.get(i);
            if (!wrapHeaders) {
                w[i + 1] = Math.max(w[i + 1], c.length());
                heads.add(List.of(c));
                continue;
            }
            for (String word : c.split(" ")) w[i + 1] = Math.max(w[i + 1], word.length());
            heads.add(wrap(c, w[i + 1]));
            lines = Math.max(lines, heads.get(i).size());
        }
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < lines; l++) {
            StringBuilder line = new StringBuilder(pad("", w[0]));
            for (int i = 0; i < n; i++) {
                List<String> h = heads.get(i);
                int k = l - (lines - h.size()); // headers sit just above the values
                line.append(" | ").append(lpad(k >= 0 ? h.get(k) : "", w[i + 1]));
            }
            b.append(lines > 1 ? line.toString().stripTrailing() : line.toString()).append('\n');
        }
        for (String[] r : rows) {
            if (r[0] == null) {
                b.append("-- ").append(r[1]).append('\n');
                continue;
            }
            b.append(pad(r[0], w[0]));
            for (int i = 1; i <= n; i++) b.append(" | ").append(lpad(r[i], w[i]));
            b.append('\n');
        }
        return b.toString();
    }

    /** Each section with the subjects as rows and its figures as columns, split into groups that fit. */
    private String turned(int width) {
        StringBuilder b = new StringBuilder();
        int subjectWidth = columns.stream().mapToInt(String::length).max().orElse(0);
        String title = null;
        List<String[]> section = new ArrayList<>();
        for (String[] r : rows) {
            if (r[0] == null) {
                turnedSection(b, title, section, subjectWidth, width);
                title = r[1];
                section = new ArrayList<>();
            } else {
                section.add(r);
            }
        }
        turnedSection(b, title, section, subjectWidth, width);
        return b.toString();
    }

    private void turnedSection(StringBuilder b, String title, List<String[]> figures, int subjectWidth, int width) {
        if (title != null) b.append("-- ").append(title).append('\n');
        if (figures.isEmpty()) return;
        // a figure's column: as wide as its widest value or the longest word of its label
        int[] w = new int[figures.size()];
        for (int f = 0; f < figures.size(); f++) {
            String[] r = figures.get(f);
            for (int i = 1; i < r.length; i++) w[f] = Math.max(w[f], r[i].length());
            for (String word : r[0].strip().split(" ")) w[f] = Math.max(w[f], word.length());
            // a label of many short words: widen a little rather than stack it in many lines
            while (wrap(r[0].strip(), w[f]).size() > 3) w[f]++;
        }
        int from = 0;
        while (from < figures.size()) {
            int to = from, used = subjectWidth;
            do {
                used += 3 + w[to];
                to++;
            } while (to < figures.size() && used + 3 + w[to] <= width);
            group(b, figures.subList(from, to), java.util.Arrays.copyOfRange(w, from, to), subjectWidth);
            from = to;
        }
    }

    private void group(StringBuilder b, List<String[]> figures, int[] w, int subjectWidth) {
        List<List<String>> heads = new ArrayList<>();
        int lines = 0;
        for (int f = 0; f < figures.size(); f++) {
            heads.add(wrap(figures.get(f)[0].strip(), w[f]));
            lines = Math.max(lines, heads.get(f).size());
        }
        for (int l = 0; l < lines; l++) {
            StringBuilder line = new StringBuilder(pad("", subjectWidth));
            for (int f = 0; f < figures.size(); f++) {
                List<String> h = heads.get(f);
                int k = l - (lines - h.size()); // headers sit on the line just above the values
                line.append(" | ").append(lpad(k >= 0 ? h.get(k) : "", w[f]));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        for (int s = 0; s < columns.size(); s++) {
            StringBuilder line = new StringBuilder(pad(columns.get(s), subjectWidth));
            for (int f = 0; f < figures.size(); f++) {
                String[] r = figures.get(f);
                line.append(" | ").append(lpad(s + 1 < r.length ? r[s + 1] : "", w[f]));
            }
            b.append(line).append('\n');
        }
    }

    /** The table as an HTML table (the side-by-side layout; a section is a heading row). */
    public String html() {
        StringBuilder b = new StringBuilder("<table>\n<thead><tr><th></th>");
        for (String c : columns) b.append("<th>").append(Html.escape(c)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (String[] r : rows) {
            if (r[0] == null) {
                b.append("<tr class=\"section\"><th colspan=\"").append(columns.size() + 1).append("\">")
                        .append(Html.escape(r[1])).append("</th></tr>\n");
                continue;
            }
            b.append("<tr><th>").append(Html.escape(r[0].strip())).append("</th>");
            for (int i = 1; i <= columns.size(); i++) b.append("<td>").append(Html.escape(i < r.length ? r[i] : "")).append("</td>");
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    /** Words of {@code s} in lines of at most {@code w} characters (a longer word gets a line of its own). */
    static List<String> wrap(String s, int w) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ")) {
            if (word.isEmpty()) continue;
            if (line.length() > 0 && line.length() + 1 + word.length() > w) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0 || out.isEmpty()) out.add(line.toString());
        return out;
    }

    static int maxLine(String text) {
        int max = 0;
        for (String l : text.split("\n", -1)) max = Math.max(max, l.length());
        return max;
    }

    private static String pad(String s, int w) { return s + " ".repeat(Math.max(0, w - s.length())); }

    private static String lpad(String s, int w) { return " ".repeat(Math.max(0, w - s.length())) + s; }
}
