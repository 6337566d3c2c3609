package rmaplab.oracle;

import rmaplab.rmap.DesignInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import rmaplab.rmap.Designs;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/**
 * Shrinks a failing op sequence by deleting ops while the failure persists:
 * chunks of half the list, then of a quarter, ..., then single ops, over and
 * over until a whole round deletes nothing; then, optionally, replacing
 * single items by simpler ones, and deleting again. Ops that a deletion leaves
 * invalid (a task whose fork was deleted, a mapping that now overlaps) are
 * dropped with it; a candidate that is still invalid is skipped.
 */
public final class Shrinker {
    private Shrinker() {}

    /** Candidates tried at most per shrink (a bound on time; a shrink usually needs far fewer). */
    public static final int MAX_TRIALS = 20_000;

    /**
     * The shortest list found by deletion for which {@code fails} holds.
     *
     * @param items  a list for which {@code fails} holds
     * @param fails  "still fails the same way"; false for an invalid candidate
     * @param repair makes a candidate valid by dropping items (identity when every sublist is valid)
     */
    public static <T> List<T> shrink(List<T> items, Predicate<List<T>> fails, UnaryOperator<List<T>> repair) {
        return shrink(items, fails, repair, x -> List.of());
    }

    /**
     * As {@link #shrink(List, Predicate, UnaryOperator)}, and when deleting
     * gets no further, tries replacing each item by a simpler one (for ops: a
     * fork by a spawn, a range by a part of it), then deletes again.
     */
    public static <T> List<T> shrink(List<T> items, Predicate<List<T>> fails, UnaryOperator<List<T>> repair,
                                     Function<T, List<T>> simpler) {
        List<T> cur = new ArrayList<>(items);
        int[] trials = {0};
        boolean progress = true;
        while (progress && trials[0] < MAX_TRIALS) {
            cur = deleteAll(cur, fails, repair, trials);
            progress = false;
            for (int i = 0; i < cur.size() && trials[0] < MAX_TRIALS; i++) {
                for (T alt : simpler.apply(cur.get(i))) {
                    List<T> cand = new ArrayList<>(cur);
                    cand.set(i, alt);
                    cand = repair.apply(cand);
                    trials[0]++;
                    if (cand.size() <= cur.size() && fails.test(cand)) {
                        cur = cand;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return cur;
    }

    /** Deletes chunks of halving size, then single items, until a whole round deletes nothing. */
    private static <T> List<T> deleteAll(List<T> cur, Predicate<List<T>> fails, UnaryOperator<List<T>> repair,
                                         int[] trials) {
        boolean progress = true;
        while (progress && trials[0] < MAX_TRIALS) {
            progress = false;
            for (int chunk = Math.max(1, cur.size() / 2); trials[0] < MAX_TRIALS; chunk /= 2) {
                int i = 0;
                while (i < cur.size() && trials[0] < MAX_TRIALS) {
                    List<T> cand = new ArrayList<>(cur.subList(0, i));
                    cand.addAll(cur.subList(Math.min(cur.size(), i + chunk), cur.size()));
                    cand = repair.apply(cand);
                    trials[0]++;
                    if (cand.size() < cur.size() && fails.test(cand)) {
                        cur = cand;
                        progress = true;
                    } else {
                        i += chunk;
                    }
                }
                if (chunk == 1) break;
            }
        }
        return cur;
    }

    /**
     * Simpler versions of an op, for the shrinker: a task made by fork, vfork
     * or thread made by spawn instead (so that the parent can go), and a
     * range of more than one page cut to its first or last page or a half.
     */
    public static List<Op> simpler(Op op) {
        return switch (op) {
            case Op.Fork f -> List.of(new Op.Spawn(f.child()));
            case Op.Vfork v -> List.of(new Op.Spawn(v.child()));
            case Op.Thread t -> List.of(new Op.Spawn(t.thread()));
            case Op.Touch t -> ranges(t.addr(), t.len(), (a, l) -> new Op.Touch(t.task(), a, l, t.write()));
            case Op.Walk w -> ranges(w.addr(), w.len(), (a, l) -> new Op.Walk(w.task(), a, l));
            case Op.Migrate m -> ranges(m.addr(), m.len(), (a, l) -> new Op.Migrate(m.task(), a, l));
            case Op.Munmap m -> ranges(m.addr(), m.len(), (a, l) -> new Op.Munmap(m.task(), a, l));
            case Op.Mprotect m -> ranges(m.addr(), m.len(), (a, l) -> new Op.Mprotect(m.task(), a, l, m.prot()));
            case Op.Madvise m -> ranges(m.addr(), m.len(), (a, l) -> new Op.Madvise(m.task(), a, l, m.advice()));
            case Op.Mmap m -> m.len() > 1 ? List.of(new Op.Mmap(m.task(), m.addr(), 1, m.prot(), m.kind())) : List.of();
            default -> List.of();
        };
    }

    private static List<Op> ranges(long addr, long len, BiFunction<Long, Long, Op> make) {
        if (len <= 1) return List.of();
        List<Op> l = new ArrayList<>();
        l.add(make.apply(addr, 1L));
        l.add(make.apply(addr + len - 1, 1L));
        if (len > 3) {
            l.add(make.apply(addr, len / 2));
            l.add(make.apply(addr + len / 2, len - len / 2));
        }
        return l;
    }

    /** A shrunk failing sequence, with what is needed to reproduce and report it. */
    public record Counterexample(String design, long seed, MachineConfig config, int originalLength, List<Op> shrunk,
                          Sequences.Failure failure) {
        /** The failure message: design, seed, lengths, the failure, and the shrunk workload, ready to paste. */
        public String message() {
            return "design " + design + ", seed " + seed + " (" + describe(config) + "): "
                    + failure.kind() + " in a random sequence of " + originalLength + " ops, shrunk to "
                    + shrunk.size() + " ops\n"
                    + "first failure: " + failure.description() + "\n"
                    + "shrunk sequence (a workload file, ready to paste into a regression test):\n"
                    + workload();
        }

        /** The shrunk sequence as a complete workload file. */
        public String workload() {
            return Workloads.toText(shrunk, "random sequence seed " + seed + " on design " + design + ", shrunk from "
                    + originalLength + " ops; " + describe(config) + "; " + failure.kind());
        }
    }

    public static String describe(MachineConfig c) {
        return "zero page " + (c.zeroPage() ? "on" : "off") + ", stack guard gap " + c.stackGuardGap() + " pages";
    }

    /**
     * Shrinks {@code ops}, which fail on {@code design} as {@code failure}
     * says, keeping only candidates that fail the same way (a violation, a
     * mapcount error, or an exception of the same class).
     */
    public static Counterexample shrink(DesignInfo design, MachineConfig cfg, long seed, List<Op> ops,
                                 Sequences.Failure failure) {
        Predicate<List<Op>> same = cand -> {
            try {
                return failure.sameWay(Sequences.check(design, cfg, cand));
            } catch (WorkloadException e) {
                return false; // an invalid candidate
            }
        };
        List<Op> shrunk = shrink(ops, same, cand -> Sequences.dropInvalid(cand, cfg), Shrinker::simpler);
        Sequences.Failure f;
        try {
            f = Sequences.check(design, cfg, shrunk);
        } catch (WorkloadException e) {
            throw new AssertionError("the shrunk sequence is not valid: " + e.getMessage(), e);
        }
        return new Counterexample(design.name(), seed, cfg, ops.size(), shrunk, f != null ? f : failure);
    }
}
