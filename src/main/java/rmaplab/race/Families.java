package rmaplab.race;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rmaplab.gen.GenSpec;
import rmaplab.workload.Op;
import rmaplab.workload.WalkKind;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * A generated family run concurrently: {@code rmaplab race gen:NAME[:K=V,...]}
 * (docs/races.md, "Contention on the built-in families"). The generator's ops
 * keep their order, and runs of consecutive ops are put in {@code together}
 * groups by one rule:
 *
 * <ul>
 *   <li>a walker, a thread of the first task spawned (the family's root: the
 *       linux-mm parent, the fork server, the chain's first process), is made
 *       right after its spawn; every group ends with a full walk (as
 *       remove_migration_ptes walks) of the root's anonymous range, so the
 *       root's folios, shared with every child, are walked while the others
 *       fork, fault, unmap and exit;</li>
 *   <li>a group takes consecutive ops of at most {@link #WIDTH} tasks with
 *       different mms (one op each), and closes before an op of a task created
 *       in it, an op of an mm already in it, a spawn, or the root's exit or
 *       exec (those run alone, and no walk follows them: the walker is gone).
 *       Ops of different mms can run in any order without one refusing what
 *       the other did, so every interleaving is a run the kernel could have.</li>
 * </ul>
 *
 * A group with fewer than two tasks is written as plain ops.
 */
public final class Families {
    private Families() {}

    /** Tasks of the family per group, besides the walker. */
    public static final int WIDTH = 3;

    /** The generated workload with its groups; IllegalArgumentException for a bad spec (GenSpec's message). */
    public static RaceFile of(String spec) throws WorkloadException {
        GenSpec g = GenSpec.parse(spec);
        return RaceFile.parse(spec, text(spec, g.ops()));
    }

    /** The workload text: the ops, grouped as the class documentation says. */
    static String text(String spec, List<Op> ops) {
        StringBuilder b = new StringBuilder("rmaplab-workload 1\n");
        b.append("# ").append(spec).append(" run concurrently (rmaplab.race.Families, docs/races.md)\n");
        Set<String> names = new HashSet<>();
        for (Op op : ops) {
            names.add(op.task());
            String c = created(op);
            if (c != null) names.add(c);
        }
        String walker = "walker";
        for (int i = 2; names.contains(walker); i++) walker = "walker" + i;
        String root = ops.stream().filter(o -> o instanceof Op.Spawn).map(Op::task).findFirst().orElse(null);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Op op : ops)
            if (op instanceof Op.Mmap m && m.task().equals(root) && m.kind() == rmaplab.workload.MapKind.ANON) {
                lo = Math.min(lo, m.addr());
                hi = Math.max(hi, m.addr() + m.len());
            }
        Op walk = lo < hi ? new Op.Walk(walker, lo, hi - lo, WalkKind.FULL) : null;

        Map<String, Integer> mmOf = new HashMap<>();
        int nextMm = 0;
        boolean walking = false;
        List<Op> group = new ArrayList<>();
        Set<Integer> mms = new HashSet<>();
        Set<String> made = new HashSet<>();
        for (Op op : ops) {
            String t = op.task();
            boolean rootGoes = t.equals(root) && (op instanceof Op.Exit || op instanceof Op.Exec);
            Integer mm = mmOf.get(t);
            boolean joins = !(op instanceof Op.Spawn) && !rootGoes && !made.contains(t) && !mms.contains(mm) && mms.size() < WIDTH;
            if (!joins) {
                flush(b, group, walking ? walk : null);
                group.clear();
                mms.clear();
                made.clear();
            }
            if (op instanceof Op.Spawn || rootGoes) {
                b.append(WorkloadWriter.format(op)).append('\n');
                if (rootGoes) walking = false;
                if (op instanceof Op.Spawn && t.equals(root) && walk != null && mmOf.isEmpty()) {
                    mmOf.put(t, nextMm++);
                    b.append(WorkloadWriter.format(new Op.Thread(root, walker))).append('\n');
                    walking = true;
                    continue;
                }
            } else {
                group.add(op);
                mms.add(mm);
                String c = created(op);
                if (c != null) made.add(c);
            }
            // the mm each task uses from now on
            switch (op) {
                case Op.Spawn s -> mmOf.put(s.task(), nextMm++);
                case Op.Fork f -> mmOf.put(f.child(), nextMm++);
                case Op.Vfork v -> mmOf.put(v.child(), mm);
                case Op.Thread th -> mmOf.put(th.thread(), mm);
                case Op.Exec e -> mmOf.put(e.task(), nextMm++);
                default -> { }
            }
        }
        flush(b, group, walking ? walk : null);
        return b.toString();
    }

    /** The task an op creates, or null. */
    private static String created(Op op) {
        return switch (op) {
            case Op.Fork f -> f.child();
            case Op.Vfork v -> v.child();
            case Op.Thread t -> t.thread();
            default -> null;
        };
    }

    private static void flush(StringBuilder b, List<Op> group, Op walk) {
        if (group.isEmpty()) return;
        Set<String> tasks = new LinkedHashSet<>();
        for (Op op : group) tasks.add(op.task());
        if (walk != null) tasks.add(walk.task());
        boolean together = tasks.size() >= 2;
        if (together) b.append("together\n");
        for (Op op : group) b.append(WorkloadWriter.format(op)).append('\n');
        if (together && walk != null) b.append(WorkloadWriter.format(walk)).append('\n');
        if (together) b.append("end\n");
    }
}
