package rmaplab.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kernel's own count of anon_vma, anon_vma_chain and vm_area_struct allocations and frees in a
 * recording, by workload op and by kernel call site, with what was left out and why: the truth file
 * PREFIX.truth.json beside PREFIX.rmw.gz. The importer fills one in and {@link #write}s it;
 * {@code kernel-check}, {@code run} and {@code compare} {@link #read} it.
 *
 * <p>Formats: "rmaplab-truth 1" is a file without damage; "rmaplab-truth 2" adds {@code damage}, the
 * signs that the recording is not whole (cut short, lines missing, out of order or repeated). A
 * truth without damage is written as 1, byte for byte as before damage was checked, so every reader
 * reads it; one with damage is written as 2, so that a reader that does not know {@code damage}
 * refuses it rather than compare half a program. Both are read; a 1 file has no damage.
 */
public final class Truth {
    public static final String FORMAT = "rmaplab-truth 1";
    /** The format of a truth with {@code damage}. */
    public static final String FORMAT_DAMAGED = "rmaplab-truth 2";
    public static final List<String> KINDS = List.of("anon_vma", "anon_vma_chain", "vm_area_struct");
    /** The op under which the importer puts a kernel event it could not attribute to any op. */
    public static final String UNATTRIBUTED = "unattributed";
    /**
     * The op under which the importer puts what a syscall made and freed again before failing (an mmap
     * that mapped nothing): the workload has no op for it, so it is compared with nothing.
     */
    public static final String FAILED = "failed";
    /** Keys allowed in byOp: the workload op keywords, {@link #UNATTRIBUTED} and {@link #FAILED}. */
    static final Set<String> OPS = Set.of("spawn", "fork", "thread", "vfork", "exec", "exit", "nofork", "mmap", "munmap",
            "mprotect", "mremap", "madvise", "touch", "walk", "migrate", UNATTRIBUTED, FAILED);

    /** Allocations or frees of one kind: the total, by op keyword, by kernel call site. */
    public static final class Counts {
        long total;
        final Map<String, Long> byOp = new TreeMap<>();
        final Map<String, Long> bySite = new TreeMap<>();

        void add(String op, String site) {
            total++;
            byOp.merge(op, 1L, Long::sum);
            bySite.merge(site, 1L, Long::sum);
        }

        public long total() { return total; }

        public Map<String, Long> byOp() { return Collections.unmodifiableMap(byOp); }

        public Map<String, Long> bySite() { return Collections.unmodifiableMap(bySite); }

        public long op(String op) { return byOp.getOrDefault(op, 0L); }
    }

    public static final class Kind {
        final Counts allocated = new Counts(), freed = new Counts();

        public Counts allocated() { return allocated; }

        public Counts freed() { return freed; }
    }

    /** A sign that the recording is not whole: what, how many times, and the line it was first seen at. */
    public record Damage(String what, long count, long line) {}

    /** A truth file that cannot be used; the message is {@code FILE:LINE: what is wrong} or {@code FILE: what is wrong}. */
    public static final class BadTruthException extends Exception {
        BadTruthException(String msg) { super(msg, null, false, false); }
    }

    /** The file read, or null for a truth the importer is filling in. */
    Path file;
    String recording = "", workload = "";
    boolean exitFreesRecorded = false;
    /**
     * anon_vmas made by read faults: each shows that the recorded kernel made a folio on an
     * anonymous read fault instead of mapping the zero page (zeroPage "off"); none leaves it unknown.
     */
    long readFaultAnonVmas;
    /** The zeroPage of a file read ("on", "off", "unknown"); null: told by readFaultAnonVmas. */
    String zeroPageRead;
    final Map<String, Kind> kinds = new LinkedHashMap<>();
    final Map<String, Long> excluded = new TreeMap<>();
    final Map<String, Long> unrepresented = new TreeMap<>();
    final List<String> notes = new ArrayList<>();
    /** By what, in the order first seen. */
    final Map<String, Damage> damage = new LinkedHashMap<>();

    public Truth() {
        for (String k : KINDS) kinds.put(k, new Kind());
    }

    // ------------------------------------------------------------------ reading it

    public Path file() { return file; }

    public String recording() { return recording; }

    public String workload() { return workload; }

    public boolean exitFreesRecorded() { return exitFreesRecorded; }

    public long readFaultAnonVmas() { return readFaultAnonVmas; }

    public Map<String, Kind> kinds() { return Collections.unmodifiableMap(kinds); }

    public Map<String, Long> excluded() { return Collections.unmodifiableMap(excluded); }

    public Map<String, Long> unrepresented() { return Collections.unmodifiableMap(unrepresented); }

    public List<String> notes() { return Collections.unmodifiableList(notes); }

    /** The signs that the recording is not whole, in the order first seen; empty for a whole one. */
    public List<Damage> damage() { return List.copyOf(damage.values()); }

    public boolean damaged() { return !damage.isEmpty(); }

    /**
     * "off" when a read fault made an anon_vma, else "unknown" (the model's default, the zero page,
     * then applies); a file read may also say "on".
     */
    public String zeroPage() {
        if (zeroPageRead != null) return zeroPageRead;
        return readFaultAnonVmas > 0 ? "off" : "unknown";
    }

    /** The recorded kernel's zero-page mode: TRUE = it maps the zero page on an anonymous read fault, null = unknown. */
    public Boolean zeroPageOn() {
        return switch (zeroPage()) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The truth file beside a workload (X.rmw.gz or X.rmw → X.truth.json), or null when there is none. */
    public static Path besideWorkload(Path workload) {
        String n = workload.getFileName().toString();
        String prefix = n.endsWith(".rmw.gz") ? n.substring(0, n.length() - 7)
                : n.endsWith(".rmw") ? n.substring(0, n.length() - 4) : null;
        if (prefix == null || prefix.isEmpty()) return null;
        Path t = workload.resolveSibling(prefix + ".truth.json");
        return Files.isRegularFile(t) ? t : null;
    }

    /** Reads a truth file (format 1 or 2), checking its shape and arithmetic. */
    public static Truth read(Path file) throws BadTruthException { return TruthReader.read(file); }

    /** Parses a truth file's text; {@code file} names it in messages. */
    public static Truth parse(String text, Path file) throws BadTruthException { return TruthReader.parse(text, file); }

    // ------------------------------------------------------------------ filling it in (the importer)

    void count(String kind, boolean alloc, String op, String site) {
        Kind k = kinds.get(kind);
        (alloc ? k.allocated : k.freed).add(op, site);
    }

    void exclude(String site) { excluded.merge(site, 1L, Long::sum); }

    void unrepresented(String what) { unrepresented(what, 1); }

    void unrepresented(String what, long n) { if (n > 0) unrepresented.merge(what, n, Long::sum); }

    /** One more sign of damage, seen at {@code line}. */
    void damage(String what, long line) {
        damage.merge(what, new Damage(what, 1, line), (a, b) -> new Damage(what, a.count() + 1, Math.min(a.line(), b.line())));
    }

    // ------------------------------------------------------------------ writing it

    /** The JSON document, keys in the documented order. */
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", damaged() ? FORMAT_DAMAGED : FORMAT);
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
        if (damaged()) {
            List<Map<String, Object>> ds = new ArrayList<>();
            for (Damage d : damage.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", d.line());
                m.put("what", d.what());
                m.put("count", d.count());
                ds.add(m);
            }
            doc.put("damage", ds);
        }
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
