package rmaplab.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CSV as rmaplab writes it (RFC 4180 quoting), and JSON documents flattened to figure,value rows. */
public final class Csv {
    private Csv() {}

    /** A field, quoted when it holds a comma, a quote or a line break. */
    public static String field(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Every leaf of a JSON-like tree as "a.b.c" → value (lists by index), the version field and timings left out. */
    public static Map<String, Object> flat(Map<String, Object> doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : doc.entrySet()) {
            if (e.getKey().equals(Json.VERSION_FIELD) || e.getKey().equals(Json.TIMINGS_FIELD)) continue;
            flatten(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    static void flatten(String prefix, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            for (var e : m.entrySet())
                flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) flatten(prefix + "." + i, l.get(i), out);
        } else {
            out.put(prefix, v);
        }
    }

    /** A flattened document as figure,value rows, with a header. */
    public static String figures(Map<String, Object> doc) {
        StringBuilder b = new StringBuilder("figure,value\n");
        for (var e : flat(doc).entrySet())
            b.append(field(e.getKey())).append(',').append(field(e.getValue() == null ? "" : String.valueOf(e.getValue())))
                    .append('\n');
        return b.toString();
    }
}
