package rmaplab.kernel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The kernel's own counts for a recorded workload (PREFIX.truth.json, written
 * by {@code rmaplab import} beside PREFIX.rmw.gz): for anon_vma,
 * anon_vma_chain and vm_area_struct, the objects allocated and freed during
 * the recording, from the kmem tracepoints, per workload op the importer
 * attributed each event to and per kernel call site.
 * See docs/notes/recording.md for what a recording holds.
 */
public record Truth(Path file, String recording, String workload, boolean exitFreesRecorded, String zeroPage,
                    Map<String, Kind> kinds, Map<String, Long> excluded, Map<String, Long> unrepresented,
                    List<String> notes) {
    public static final String FORMAT = "rmaplab-truth 1";
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

    /** The recorded kernel's zero-page mode: TRUE = it maps the zero page on an anonymous read fault, null = unknown. */
    public Boolean zeroPageOn() {
        return switch (zeroPage) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Allocations or frees of one kind: the total, by op keyword, by kernel call site. */
    public record Counts(long total, Map<String, Long> byOp, Map<String, Long> bySite) {
        public long op(String op) { return byOp.getOrDefault(op, 0L); }
    }

    public record Kind(Counts allocated, Counts freed) {}

    /** A truth file that cannot be used; the message is {@code FILE:LINE: what is wrong} or {@code FILE: what is wrong}. */
    public static final class BadTruthException extends Exception {
        BadTruthException(String msg) { super(msg, null, false, false); }
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

    public static Truth read(Path file) throws BadTruthException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadTruthException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BadTruthException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses a truth file's text; {@code file} names it in messages. */
    public static Truth parse(String text, Path file) throws BadTruthException {
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = new ObjectMapper().readTree(text);
            lines = lines(text);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            int nl = m.indexOf('\n');
            if (nl >= 0) m = m.substring(0, nl);
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new BadTruthException(file + (line > 0 ? ":" + line : "") + ": not valid JSON: " + m);
        }
        if (root == null || root.isMissingNode()) throw new BadTruthException(file + ": empty, not a truth file");
        return new Reader(file, lines).truth(root);
    }

    /** Checks the shape and the arithmetic of the tree, naming the line of what is wrong. */
    private record Reader(Path file, Map<String, Integer> lines) {
        BadTruthException bad(String pointer, String what) {
            Integer l = null;
            for (String p = pointer; l == null; p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
                l = lines.get(p);
                if (p.isEmpty()) break;
            }
            String name = pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.') + ": ";
            return new BadTruthException(file + (l != null ? ":" + l : "") + ": " + name + what);
        }

        JsonNode need(JsonNode parent, String pointer, String key) throws BadTruthException {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) throw bad(pointer, "'" + key + "' is missing");
            return n;
        }

        ObjectNode object(JsonNode n, String pointer) throws BadTruthException {
            if (!(n instanceof ObjectNode o)) throw bad(pointer, "should be a JSON object");
            return o;
        }

        long count(JsonNode n, String pointer) throws BadTruthException {
            if (!n.isIntegralNumber() || !n.canConvertToLong()) throw bad(pointer, "should be a whole number, not " + n);
            long v = n.asLong();
            if (v < 0) throw bad(pointer, "should not be negative (" + v + ")");
            return v;
        }

        Map<String, Long> counts(JsonNode n, String pointer, Set<String> allowed) throws BadTruthException {
            Map<String, Long> m = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = object(n, pointer).fields();
            while (it.hasNext()) {
                var e = it.next();
                String p = pointer + "/" + e.getKey();
                if (allowed != null && !allowed.contains(e.getKey()))
                    throw bad(p, "'" + e.getKey() + "' is not a workload op keyword nor '" + UNATTRIBUTED + "' nor '" + FAILED + "'");
                m.put(e.getKey(), count(e.getValue(), p));
            }
            return Collections.unmodifiableMap(m);
        }

        Counts counts(JsonNode n, String pointer) throws BadTruthException {
            object(n, pointer);
            long total = count(need(n, pointer, "total"), pointer + "/total");
            Map<String, Long> byOp = counts(need(n, pointer, "byOp"), pointer + "/byOp", OPS);
            Map<String, Long> bySite = counts(need(n, pointer, "bySite"), pointer + "/bySite", null);
            long a = byOp.values().stream().mapToLong(Long::longValue).sum();
            if (a != total) throw bad(pointer + "/byOp", "adds up to " + a + ", not the total " + total);
            long b = bySite.values().stream().mapToLong(Long::longValue).sum();
            if (b != total) throw bad(pointer + "/bySite", "adds up to " + b + ", not the total " + total);
            return new Counts(total, byOp, bySite);
        }

        String text(JsonNode parent, String pointer, String key) throws BadTruthException {
            JsonNode n = need(parent, pointer, key);
            if (!n.isTextual()) throw bad(pointer + "/" + key, "should be a string, not " + n);
            return n.asText();
        }

        Truth truth(JsonNode root) throws BadTruthException {
            object(root, "");
            JsonNode f = root.get("format");
            if (f == null || !f.isTextual() || !f.asText().equals(FORMAT))
                throw bad(f == null ? "" : "/format", "not a truth file: 'format' should be \"" + FORMAT + "\""
                        + (f == null ? "" : ", not " + f));
            String recording = text(root, "", "recording"), workload = text(root, "", "workload");
            JsonNode ex = need(root, "", "exitFreesRecorded");
            if (!ex.isBoolean()) throw bad("/exitFreesRecorded", "should be true or false, not " + ex);
            String zero = root.has("zeroPage") ? text(root, "", "zeroPage") : "unknown";
            if (!Set.of("on", "off", "unknown").contains(zero))
                throw bad("/zeroPage", "should be \"on\", \"off\" or \"unknown\", not \"" + zero + "\"");
            JsonNode ks = object(need(root, "", "kinds"), "/kinds");
            Map<String, Kind> kinds = new LinkedHashMap<>();
            for (String k : Probe.KINDS) {
                String p = "/kinds/" + k;
                JsonNode kn = object(need(ks, "/kinds", k), p);
                kinds.put(k, new Kind(counts(need(kn, p, "allocated"), p + "/allocated"), counts(need(kn, p, "freed"), p + "/freed")));
            }
            Iterator<String> names = ks.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (!kinds.containsKey(k)) throw bad("/kinds/" + k, "unknown kind '" + k + "' (expected " + String.join(", ", Probe.KINDS) + ")");
            }
            Map<String, Long> excluded = root.has("excluded") ? counts(root.get("excluded"), "/excluded", null) : Map.of();
            Map<String, Long> unrep = root.has("unrepresented") ? counts(root.get("unrepresented"), "/unrepresented", null) : Map.of();
            List<String> notes = new ArrayList<>();
            if (root.has("notes")) {
                JsonNode ns = root.get("notes");
                if (!ns.isArray()) throw bad("/notes", "should be a list of strings");
                for (int i = 0; i < ns.size(); i++) {
                    if (!ns.get(i).isTextual()) throw bad("/notes/" + i, "should be a string, not " + ns.get(i));
                    notes.add(ns.get(i).asText());
                }
            }
            return new Truth(file, recording, workload, ex.asBoolean(), zero, Collections.unmodifiableMap(kinds), excluded, unrep,
                    List.copyOf(notes));
        }
    }

    /** The line each value starts on, by JSON pointer ("" for the root, "/kinds/anon_vma" ...). */
    static Map<String, Integer> lines(String text) throws JsonProcessingException {
        Map<String, Integer> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            Deque<String[]> frames = new ArrayDeque<>(); // per open container: {key or index, array? "a" : "o"}
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    frames.peek()[0] = p.currentName();
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    frames.pop();
                    next(frames);
                    continue;
                }
                out.putIfAbsent(pointer(frames), (int) p.currentTokenLocation().getLineNr());
                if (t == JsonToken.START_OBJECT) frames.push(new String[] {"", "o"});
                else if (t == JsonToken.START_ARRAY) frames.push(new String[] {"0", "a"});
                else next(frames);
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e); // a String source does no I/O
        }
        return out;
    }

    private static void next(Deque<String[]> frames) {
        String[] f = frames.peek();
        if (f != null && f[1].equals("a")) f[0] = Integer.toString(Integer.parseInt(f[0]) + 1);
    }

    private static String pointer(Deque<String[]> frames) {
        StringBuilder b = new StringBuilder();
        Iterator<String[]> it = frames.descendingIterator();
        while (it.hasNext()) b.append('/').append(it.next()[0]);
        return b.toString();
    }
}
