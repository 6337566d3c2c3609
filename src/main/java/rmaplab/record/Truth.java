package rmaplab.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's own count of anon_vma, anon_vma_chain and vm_area_struct
 * allocations and frees in a recording, by workload op and by kernel call
 * site, with what was left out and why. Written as PREFIX.truth.json in the
 * shape "rmaplab-truth 1" (see package-info).
 */
public final class Truth {
    public static final String FORMAT = "rmaplab-truth 1";
    public static final List<String> KINDS = List.of("anon_vma", "anon_vma_chain", "vm_area_struct");

    /** Allocations or frees of one kind. */
    public static final class Counts {
        public long total;
        public final Map<String, Long> byOp = new TreeMap<>();
        public final Map<String, Long> bySite = new TreeMap<>();

        void add(String op, String site) {
            total++;
            byOp.merge(op, 1L, Long::sum);
            bySite.merge(site, 1L, Long::sum);
        }
    }

    public static final class Kind {
        public final Counts allocated = new Counts(), freed = new Counts();
    }

    public String recording = "", workload = "";
    public boolean exitFreesRecorded = false;
    /**
     * anon_vmas made by read faults: each shows that the recorded kernel made a folio on an
     * anonymous read fault instead of mapping the zero page (zeroPage "off"); none leaves it unknown.
     */
    public long readFaultAnonVmas;
    public final Map<String, Kind> kinds = new LinkedHashMap<>();
    public final Map<String, Long> excluded = new TreeMap<>();
    public final Map<String, Long> unrepresented = new TreeMap<>();
    public final List<String> notes = new ArrayList<>();

    public Truth() {
        for (String k : KINDS) kinds.put(k, new Kind());
    }

    /** "off" when a read fault made an anon_vma, else "unknown" (the model's default, the zero page, then applies). */
    public String zeroPage() { return readFaultAnonVmas > 0 ? "off" : "unknown"; }

    void count(String kind, boolean alloc, String op, String site) {
        Kind k = kinds.get(kind);
        (alloc ? k.allocated : k.freed).add(op, site);
    }

    void exclude(String site) { excluded.merge(site, 1L, Long::sum); }

    void unrepresented(String what) { unrepresented(what, 1); }

    void unrepresented(String what, long n) { if (n > 0) unrepresented.merge(what, n, Long::sum); }

    /** The JSON document, keys in the documented order. */
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", FORMAT);
        doc.put("recording", recording);
        doc.put("workload", workload);
        doc.put("exitFreesRecorded", exitFreesRecorded);
        doc.put("zeroPage", zeroPage());
        doc.put("readFaultAnonVmas", readFaultAnonVmas);
        Map<String, Object> ks = new LinkedHashMap<>();
        for (var e : kinds.entrySet()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("allocated", counts(e.getValue().allocated));
            k.put("freed", counts(e.getValue().freed));
            ks.put(e.getKey(), k);
        }
        doc.put("kinds", ks);
        doc.put("excluded", excluded);
        doc.put("unrepresented", unrepresented);
        doc.put("notes", notes);
        return doc;
    }

    private static Map<String, Object> counts(Counts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", c.total);
        m.put("byOp", c.byOp);
        m.put("bySite", c.bySite);
        return m;
    }

    private static ObjectMapper mapper() { return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT); }

    public String toJson() {
        try {
            return mapper().writeValueAsString(json()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path p) throws IOException { mapper().writeValue(p.toFile(), json()); }
}
