package rmaplab.race;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadReader;

/**
 * A race workload: its ops, each with its {@code together} group (0 for an op
 * that runs alone), and the {@code #race} lines a counterexample carries
 * (docs/races.md): {@code #race design NAME}, {@code #race bug OPTION} and
 * {@code #race switch POINT TASK}. Other files simply have none.
 */
public record RaceFile(String name, String text, List<Unit> units, String design, List<String> bugs,
                       TreeMap<Integer, String> switches) {
    /** One op and its group. */
    public record Unit(Op op, int group, long line) {}

    static final String DIRECTIVE = "#race ";

    /** Reads a file (plain text: a race file is small and written by hand or by {@code race}). */
    public static RaceFile read(Path p) throws IOException, WorkloadException {
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new WorkloadException(p.toString(), 0, "not UTF-8 text (a race file is plain text)");
        }
        return parse(p.toString(), text);
    }

    /** Reads workload text held in memory. */
    public static RaceFile parse(String name, String text) throws WorkloadException {
        List<Unit> units = new ArrayList<>();
        try (WorkloadReader r = WorkloadReader.open(name, new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            Op op;
            while ((op = r.next()) != null) units.add(new Unit(op, r.group(), r.line()));
        }
        String design = null;
        List<String> bugs = new ArrayList<>();
        TreeMap<Integer, String> switches = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.startsWith(DIRECTIVE)) continue;
            String[] t = l.substring(DIRECTIVE.length()).strip().split("[ \t]+");
            long line = i + 1;
            switch (t[0]) {
                case "design" -> {
                    if (t.length != 2) throw new WorkloadException(name, line, "#race design: expected one NAME");
                    if (design != null) throw new WorkloadException(name, line, "#race design given twice");
                    design = t[1];
                }
                case "bug" -> {
                    if (t.length != 2) throw new WorkloadException(name, line, "#race bug: expected one OPTION");
                    bugs.add(t[1]);
                }
                case "switch" -> {
                    if (t.length != 3) throw new WorkloadException(name, line, "#race switch: expected POINT TASK");
                    int point;
                    try {
                        point = Integer.parseInt(t[1]);
                    } catch (NumberFormatException e) {
                        throw new WorkloadException(name, line, "#race switch: bad POINT " + WorkloadException.quote(t[1]));
                    }
                    if (point < 0) throw new WorkloadException(name, line, "#race switch: POINT must be 0 or more");
                    if (switches.put(point, t[2]) != null)
                        throw new WorkloadException(name, line, "#race switch: point " + point + " given twice");
                }
                case "violation", "shrunk" -> { } // what the writer noted; replay finds it again
                default -> throw new WorkloadException(name, line, "unknown #race line " + WorkloadException.quote(t[0])
                        + " (design, bug, switch)");
            }
        }
        return new RaceFile(name, text, List.copyOf(units), design, List.copyOf(bugs), switches);
    }

    /** Whether any op runs in a group (otherwise there is nothing to interleave). */
    public boolean hasGroups() { return units.stream().anyMatch(u -> u.group() != 0); }

    /** The workload text without its #race lines (what a counterexample file repeats). */
    public String workloadText() {
        StringBuilder b = new StringBuilder();
        for (String l : text.split("\n", -1)) if (!l.strip().startsWith(DIRECTIVE)) b.append(l).append('\n');
        String s = b.toString();
        while (s.endsWith("\n\n")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
