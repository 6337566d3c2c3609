package rmaplab.record;

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
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rmaplab.record.Truth.BadTruthException;

/**
 * Reads a truth file into a {@link Truth} (its {@code read} and {@code parse}), checking its shape
 * and its arithmetic and naming the line of what is wrong: {@code FILE:LINE: key.path: what is wrong}.
 */
final class TruthReader {
    private final Path file;
    private final Map<String, Integer> lines;

    private TruthReader(Path file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    static Truth read(Path file) throws BadTruthException {
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

    static Truth parse(String text, Path file) throws BadTruthException {
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
        return new TruthReader(file, lines).truth(root);
    }

    private Truth truth(JsonNode root) throws BadTruthException {
        object(root, "");
        JsonNode f = root.get("format");
        if (f == null || !f.isTextual() || !List.of(Truth.FORMAT, Truth.FORMAT_DAMAGED).contains(f.asText()))
            throw bad(f == null ? "" : "/format", "not a truth file: 'format' should be \"" + Truth.FORMAT + "\" or \""
                    + Truth.FORMAT_DAMAGED + "\"" + (f == null ? "" : ", not " + f));
        Truth t = new Truth();
        t.file = file;
        t.recording = text(root, "", "recording");
        t.workload = text(root, "", "workload");
        JsonNode ex = need(root, "", "exitFreesRecorded");
        if (!ex.isBoolean()) throw bad("/exitFreesRecorded", "should be true or false, not " + ex);
        t.exitFreesRecorded = ex.asBoolean();
        t.zeroPageRead = root.has("zeroPage") ? text(root, "", "zeroPage") : "unknown";
        if (!Set.of("on", "off", "unknown").contains(t.zeroPageRead))
            throw bad("/zeroPage", "should be \"on\", \"off\" or \"unknown\", not \"" + t.zeroPageRead + "\"");
        if (root.has("readFaultAnonVmas")) t.readFaultAnonVmas = count(root.get("readFaultAnonVmas"), "/readFaultAnonVmas");
        JsonNode ks = object(need(root, "", "kinds"), "/kinds");
        for (String k : Truth.KINDS) {
            String p = "/kinds/" + k;
            JsonNode kn = object(need(ks, "/kinds", k), p);
            Truth.Kind kind = t.kinds.get(k);
            counts(need(kn, p, "allocated"), p + "/allocated", kind.allocated);
            counts(need(kn, p, "freed"), p + "/freed", kind.freed);
        }
        Iterator<String> names = ks.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!Truth.KINDS.contains(k))
                throw bad("/kinds/" + k, "unknown kind '" + k + "' (expected " + String.join(", ", Truth.KINDS) + ")");
        }
        if (root.has("excluded")) counts(root.get("excluded"), "/excluded", null, t.excluded);
        if (root.has("unrepresented")) counts(root.get("unrepresented"), "/unrepresented", null, t.unrepresented);
        if (root.has("damage")) damage(root.get("damage"), t);
        if (root.has("notes")) {
            JsonNode ns = root.get("notes");
            if (!ns.isArray()) throw bad("/notes", "should be a list of strings");
            for (int i = 0; i < ns.size(); i++) {
                if (!ns.get(i).isTextual()) throw bad("/notes/" + i, "should be a string, not " + ns.get(i));
                t.notes.add(ns.get(i).asText());
            }
        }
        return t;
    }

    /** "damage": [{"line": N, "what": "...", "count": N}, ...] */
    private void damage(JsonNode ds, Truth t) throws BadTruthException {
        if (!ds.isArray()) throw bad("/damage", "should be a list of {\"line\", \"what\", \"count\"}");
        for (int i = 0; i < ds.size(); i++) {
            String p = "/damage/" + i;
            JsonNode d = object(ds.get(i), p);
            String what = text(d, p, "what");
            long line = count(need(d, p, "line"), p + "/line"), n = count(need(d, p, "count"), p + "/count");
            if (n == 0) throw bad(p + "/count", "should be at least 1");
            if (t.damage.containsKey(what)) throw bad(p + "/what", "'" + what + "' is listed twice");
            t.damage.put(what, new Truth.Damage(what, n, line));
        }
    }

    // ------------------------------------------------------------------ checks

    private BadTruthException bad(String pointer, String what) {
        Integer l = null;
        for (String p = pointer; l == null; p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
            l = lines.get(p);
            if (p.isEmpty()) break;
        }
        String name = pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.') + ": ";
        return new BadTruthException(file + (l != null ? ":" + l : "") + ": " + name + what);
    }

    private JsonNode need(JsonNode parent, String pointer, String key) throws BadTruthException {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) throw bad(pointer, "'" + key + "' is missing");
        return n;
    }

    private ObjectNode object(JsonNode n, String pointer) throws BadTruthException {
        if (!(n instanceof ObjectNode o)) throw bad(pointer, "should be a JSON object");
        return o;
    }

    private String text(JsonNode parent, String pointer, String key) throws BadTruthException {
        JsonNode n = need(parent, pointer, key);
        if (!n.isTextual()) throw bad(pointer + "/" + key, "should be a string, not " + n);
        return n.asText();
    }

    private long count(JsonNode n, String pointer) throws BadTruthException {
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw bad(pointer, "should be a whole number, not " + n);
        long v = n.asLong();
        if (v < 0) throw bad(pointer, "should not be negative (" + v + ")");
        return v;
    }

    /** A map of counts into {@code into}; keys limited to {@code allowed} unless it is null. */
    private void counts(JsonNode n, String pointer, Set<String> allowed, Map<String, Long> into) throws BadTruthException {
        Iterator<Map.Entry<String, JsonNode>> it = object(n, pointer).fields();
        while (it.hasNext()) {
            var e = it.next();
            String p = pointer + "/" + e.getKey();
            if (allowed != null && !allowed.contains(e.getKey()))
                throw bad(p, "'" + e.getKey() + "' is not a workload op keyword nor '" + Truth.UNATTRIBUTED + "' nor '"
                        + Truth.FAILED + "'");
            into.put(e.getKey(), count(e.getValue(), p));
        }
    }

    /** Allocations or frees of one kind, whose byOp and bySite must each add up to the total. */
    private void counts(JsonNode n, String pointer, Truth.Counts into) throws BadTruthException {
        object(n, pointer);
        into.total = count(need(n, pointer, "total"), pointer + "/total");
        counts(need(n, pointer, "byOp"), pointer + "/byOp", Truth.OPS, into.byOp);
        counts(need(n, pointer, "bySite"), pointer + "/bySite", null, into.bySite);
        long a = into.byOp.values().stream().mapToLong(Long::longValue).sum();
        if (a != into.total) throw bad(pointer + "/byOp", "adds up to " + a + ", not the total " + into.total);
        long b = into.bySite.values().stream().mapToLong(Long::longValue).sum();
        if (b != into.total) throw bad(pointer + "/bySite", "adds up to " + b + ", not the total " + into.total);
    }

    // ------------------------------------------------------------------ line numbers

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
