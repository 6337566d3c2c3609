package rmaplab.gen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import rmaplab.workload.Op;

/**
 * Seeded random sequences of valid workload ops: every op of the format, and
 * on purpose the interleavings where reverse mapping goes wrong (fork then a
 * partial munmap, mremap of ranges shared with children, mprotect splits and
 * re-merges, a middle process of a fork chain exiting, exec after fork,
 * threads, vfork, CoW writes on both sides, stack growth, adjacent mappings
 * that merge, thread stacks (MAP_STACK) beside other mappings, reservations
 * with MAP_NORESERVE committed and uncommitted in pieces, MADV_HUGEPAGE and
 * MADV_NOHUGEPAGE). The same {@link Params} give the same ops.
 *
 * <p>"Valid" means the simulated kernel never throws a
 * {@link rmaplab.sim.WorkloadError} on them: no overlapping mmap, no unknown
 * task, no fork after nofork, no exec while other threads live. Errors Linux
 * itself returns (ENOMEM, EFAULT, SIGSEGV...) are not avoided: they are
 * counted by the run like any other.
 *
 * <p>To stay valid without running a kernel, the generator keeps a light model
 * of its own, the {@link Sketch}: the live tasks, their processes and threads,
 * and per address space page sets over its address window ({@link MmSketch}).
 * Every address it writes lies in the window, which is small (256 pages by
 * default), so that collisions, adjacency and merges are frequent. What it
 * writes is chosen in {@link Steps}: single ops, and the tricky
 * {@link Interleavings}, from the random choices of {@link Choices}.
 */
public final class RandomOps {
    /**
     * What to generate.
     *
     * @param length   ops {@link RandomOps#generate(Params)} returns
     * @param seed     the random seed
     * @param base     first page of the address window
     * @param pages    pages in the window (at least 16)
     * @param maxTasks live tasks at most (at least 3)
     */
    public record Params(int length, long seed, long base, int pages, int maxTasks) {
        public static final long DEFAULT_BASE = 0x100;
        public static final int DEFAULT_PAGES = 0x100, DEFAULT_MAX_TASKS = 12;

        public Params {
            if (length < 0) throw new IllegalArgumentException("length must not be negative");
            if (base < 1) throw new IllegalArgumentException("the window must start above page 0");
            if (pages < 16) throw new IllegalArgumentException("the window needs at least 16 pages");
            if (maxTasks < 3) throw new IllegalArgumentException("maxTasks must be at least 3");
        }

        /** {@code length} ops from {@code seed} in pages 0x100..0x200, at most 12 live tasks. */
        public static Params of(long seed, int length) {
            return new Params(length, seed, DEFAULT_BASE, DEFAULT_PAGES, DEFAULT_MAX_TASKS);
        }

        public Params withLength(int l) { return new Params(l, seed, base, pages, maxTasks); }

        public Params withSeed(long s) { return new Params(length, s, base, pages, maxTasks); }

        public Params withWindow(long b, int p) { return new Params(length, seed, b, p, maxTasks); }

        public Params withMaxTasks(int m) { return new Params(length, seed, base, pages, m); }
    }

    private final Params p;
    private final ArrayDeque<Op> pending = new ArrayDeque<>();
    private final Steps steps;

    public RandomOps(Params p) {
        this.p = p;
        this.steps = new Steps(p, new Sketch(p, pending::add));
    }

    /** The ops for these parameters. */
    public static List<Op> generate(Params p) {
        List<Op> out = new ArrayList<>(p.length());
        new RandomOps(p).generate(out::add);
        return out;
    }

    /** {@code length} ops from {@code seed} with the default window and task bound. */
    public static List<Op> generate(long seed, int length) { return generate(Params.of(seed, length)); }

    /** Writes {@code params.length()} ops to {@code out} (a generator for the gen command streams them). */
    public void generate(Consumer<Op> out) {
        for (int i = 0; i < p.length(); i++) out.accept(next());
    }

    /** The next op of the (unbounded) sequence. */
    public Op next() {
        while (pending.isEmpty()) steps.step();
        return pending.poll();
    }

    public Params params() { return p; }
}
