package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain text table: a label column and one column per design, with section headings. */
public final class Table {
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

    public String render() {
        int n = columns.size();
        int[] w = new int[n + 1];
        for (String[] r : rows) {
            if (r[0] == null) continue;
            for (int i = 0; i <= n && i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        }
        for (int i = 0; i < n; i++) w[i + 1] = Math.max(w[i + 1], columns.get(i).length());
        StringBuilder b = new StringBuilder();
        b.append(pad("", w[0]));
        for (int i = 0; i < n; i++) b.append(" | ").append(lpad(columns.get(i), w[i + 1]));
        b.append('\n');
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

    private static String pad(String s, int w) { return s + " ".repeat(Math.max(0, w - s.length())); }

    private static String lpad(String s, int w) { return " ".repeat(Math.max(0, w - s.length())) + s; }
}
