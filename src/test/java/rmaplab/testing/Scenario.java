package rmaplab.testing;

import java.util.ArrayList;
import java.util.List;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;
import rmaplab.workload.Workloads;

/**
 * A test scenario written as workload text (docs/workload-format.md) and read
 * by the product's reader, {@link Workloads#parse}: a test states its steps
 * in the words a workload file, the CLI and the live-kernel probe use, and
 * every rule of the reader (the header, task life, argument checks) holds for
 * it too. A scenario can grow a step at a time ({@link #then}): the text so
 * far is read again with the new lines, so a step may use the tasks the
 * earlier ones made, and an error names its line in the whole text. Ops a
 * test builds in Java join the text through the product's writer
 * ({@link #append}), and the next read must give them back unchanged.
 *
 * <pre>
 * Scenario s = Scenario.of("""
 *         rmaplab-workload 1
 *         P spawn
 *         P mmap 0x0 0xa rw- anon
 *         """);
 * List&lt;Op&gt; step = s.then("P mprotect 0x3 0x3 r--");
 * </pre>
 */
public final class Scenario {
    private final String name;
    private final StringBuilder text = new StringBuilder();
    private final List<Op> ops = new ArrayList<>();

    private Scenario(String name) { this.name = name; }

    /** The scenario of a complete workload text (header first); a reader's error fails the test. */
    public static Scenario of(String text) { return of("scenario", text); }

    /** The same, with errors naming the text {@code name}. */
    public static Scenario of(String name, String text) {
        Scenario s = new Scenario(name);
        s.then(text);
        return s;
    }

    /** The ops of a complete workload text. */
    public static List<Op> ops(String text) { return of(text).ops(); }

    /**
     * Appends workload lines (the header is the first text's) and returns
     * the ops they add. The whole text is read again, so the lines may name
     * tasks made before.
     */
    public List<Op> then(String lines) {
        String before = text.toString();
        text.append(lines);
        if (!lines.endsWith("\n")) text.append('\n');
        List<Op> all;
        try {
            all = Workloads.parse(name, text.toString());
        } catch (WorkloadException e) {
            text.setLength(0);
            text.append(before);
            throw new IllegalArgumentException(e.getMessage() + "\n" + numbered(before + lines), e);
        }
        if (all.size() < ops.size() || !all.subList(0, ops.size()).equals(ops))
            throw new IllegalStateException("the workload writer and reader disagree:\n" + numbered(text.toString()));
        List<Op> added = List.copyOf(all.subList(ops.size(), all.size()));
        ops.addAll(added);
        return added;
    }

    /**
     * Appends an op built in Java, as the product's writer spells it
     * (WorkloadWriter.format); it is read back, and checked, with the next
     * {@link #then}.
     */
    public void append(Op op) {
        text.append(WorkloadWriter.format(op)).append('\n');
        ops.add(op);
    }

    /** How many ops so far. */
    public int size() { return ops.size(); }

    /** Every op so far, in order. */
    public List<Op> ops() { return List.copyOf(ops); }

    /** The workload text so far. */
    public String text() { return text.toString(); }

    private static String numbered(String text) {
        StringBuilder b = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) b.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return b.toString();
    }
}
