package rmaplab.workload;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The reader's part of concurrency (docs/workload-format.md, "Ops that run
 * together"): a line {@code together} opens a group of ops, a line {@code
 * end} closes it. The ops of one task in a group run in its order, the tasks
 * of a group at the same time (rmaplab race explores how they interleave; a
 * sequential run applies them in file order). Groups do not nest, hold ops of
 * at least two tasks, and may not use a task the group itself creates.
 */
final class Together {
    static final String OPEN = "together", CLOSE = "end";

    private final Function<String, WorkloadException> error;
    private int groups, current;
    private long openLine;
    private final Set<String> tasks = new LinkedHashSet<>();
    private final Set<String> created = new LinkedHashSet<>();

    Together(Function<String, WorkloadException> error) { this.error = error; }

    /** Handles a one-token line: true when it was {@code together} or {@code end}. */
    boolean marker(String word, long line) throws WorkloadException {
        if (word.equals(OPEN)) {
            if (current != 0) throw error.apply("'together' inside the group opened at line " + openLine + " (groups do not nest)");
            current = ++groups;
            openLine = line;
            tasks.clear();
            created.clear();
            return true;
        }
        if (word.equals(CLOSE)) {
            if (current == 0) throw error.apply("'end' without 'together'");
            if (tasks.size() < 2)
                throw error.apply("the group opened at line " + openLine + " has ops of " + tasks.size()
                        + " task(s); a group runs ops of at least two tasks at the same time");
            current = 0;
            return true;
        }
        return false;
    }

    /** Checks an op read inside a group (or outside: nothing to check). */
    void op(Op op) throws WorkloadException {
        if (current == 0) return;
        if (created.contains(op.task()))
            throw error.apply("task " + WorkloadReader.q(op.task()) + " is created in this group (line " + openLine
                    + "); use it after 'end'");
        tasks.add(op.task());
        switch (op) {
            case Op.Fork f -> created.add(f.child());
            case Op.Vfork v -> created.add(v.child());
            case Op.Thread t -> created.add(t.thread());
            case Op.Spawn s -> throw error.apply("spawn in a group: a new task has nothing to race with; spawn it before 'together'");
            default -> { }
        }
    }

    /** At the end of the file: an open group is an error. */
    void atEnd() throws WorkloadException {
        if (current != 0) throw error.apply("the group opened at line " + openLine + " has no 'end'");
    }

    /** The group of the op last checked: 1, 2, ... in file order, or 0 outside any group. */
    int current() { return current; }
}
