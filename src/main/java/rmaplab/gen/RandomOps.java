package rmaplab.gen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

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
 * of its own: the live tasks, their processes and threads, and per address
 * space page sets over its address window: pages that may be mapped (a
 * superset of the truth, so that an mmap on pages outside it never overlaps),
 * pages that surely are mapped (a subset: they bound how far a stack can grow
 * down), pages that may belong to a stack or to a VM_DONTCOPY mapping, and
 * pages where a VMA may begin or end (hints for ranges within one VMA).
 * Where the outcome of an op depends on things the model does not track (an
 * mremap may fail with EFAULT, a stack may be refused growth by the guard gap)
 * the model assumes the worst for each set. Every address it writes lies in
 * the window, which is small (256 pages by default), so that collisions,
 * adjacency and merges are frequent.
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

    // ------------------------------------------------------------------ the model

    /**
     * One address space; page sets are indexed by page - base. {@code edges}
     * holds every page where a VMA may begin or end (a superset: merges are
     * not tracked), so a range of sure pages without an edge inside lies in
     * one VMA.
     */
    private static final class Space {
        final BitSet maybe = new BitSet(), sure = new BitSet(), stack = new BitSet(), dontcopy = new BitSet(),
                edges = new BitSet();

        /** dup_mmap: the child gets every VMA but the VM_DONTCOPY ones (and none of them is VM_DONTCOPY). */
        Space forkCopy() {
            Space c = new Space();
            c.maybe.or(maybe);
            c.sure.or(sure);
            c.sure.andNot(dontcopy);
            c.stack.or(stack);
            c.edges.or(edges);
            return c;
        }

        void unmap(int from, int to) {
            maybe.clear(from, to);
            sure.clear(from, to);
            stack.clear(from, to);
            dontcopy.clear(from, to);
        }
    }

    private static final class Proc {
        final List<T> threads = new ArrayList<>();
        boolean nofork;
    }

    private static final class T {
        final String name;
        final Proc proc;
        Space mm;

        T(String name, Proc proc, Space mm) {
            this.name = name;
            this.proc = proc;
            this.mm = mm;
        }
    }

    private static final String[] FILES = {"libc.so", "data.bin", "db"};

    private final Params p;
    private final SplittableRandom rnd;
    private final ArrayDeque<Op> pending = new ArrayDeque<>();
    private final Map<String, T> tasks = new LinkedHashMap<>();
    private int names;

    public RandomOps(Params p) {
        this.p = p;
        this.rnd = new SplittableRandom(p.seed());
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
        while (pending.isEmpty()) step();
        return pending.poll();
    }

    public Params params() { return p; }

    // ------------------------------------------------------------------ emitting ops

    /** Emits the op when the model says it is valid, and applies it to the model. */
    private boolean emit(Op op) {
        if (!admissible(op)) return false;
        apply(op);
        pending.add(op);
        return true;
    }

    private boolean inWindow(long addr, long len) { return len > 0 && addr >= p.base() && addr + len <= p.base() + p.pages(); }

    private int idx(long page) { return (int) (page - p.base()); }

    private boolean admissible(Op op) {
        if (op instanceof Op.Spawn) return tasks.size() < p.maxTasks();
        T t = tasks.get(op.task());
        if (t == null) return false;
        return switch (op) {
            case Op.Fork f -> !t.proc.nofork && tasks.size() < p.maxTasks();
            case Op.Vfork v -> !t.proc.nofork && tasks.size() < p.maxTasks();
            case Op.Thread th -> tasks.size() < p.maxTasks();
            case Op.Exec e -> t.proc.threads.size() == 1;
            case Op.Mmap m -> inWindow(m.addr(), m.len())
                    && clear(t.mm.maybe.nextSetBit(idx(m.addr())), idx(m.addr() + m.len()));
            case Op.Mremap m -> inWindow(m.addr(), m.len()) && inWindow(m.newAddr(), m.newLen());
            case Op.Munmap m -> inWindow(m.addr(), m.len());
            case Op.Mprotect m -> inWindow(m.addr(), m.len());
            case Op.Madvise m -> inWindow(m.addr(), m.len());
            case Op.Touch m -> inWindow(m.addr(), m.len());
            case Op.Walk m -> inWindow(m.addr(), m.len());
            case Op.Migrate m -> inWindow(m.addr(), m.len());
            default -> true;
        };
    }

    /** -1 (no set bit) or a set bit at or past {@code end}: the range before end is clear. */
    private static boolean clear(int nextSet, int end) { return nextSet < 0 || nextSet >= end; }

    private void apply(Op op) {
        T t = tasks.get(op.task());
        switch (op) {
            case Op.Mmap m -> edges(t.mm, m.addr(), m.len());
            case Op.Munmap m -> edges(t.mm, m.addr(), m.len());
            case Op.Mprotect m -> edges(t.mm, m.addr(), m.len());
            case Op.Madvise m -> edges(t.mm, m.addr(), m.len());
            case Op.Mremap m -> {
                edges(t.mm, m.addr(), m.len());
                edges(t.mm, m.newAddr(), m.newLen());
                edges(t.mm, m.addr(), Math.min(m.len(), m.newLen()));
            }
            default -> { }
        }
        switch (op) {
            case Op.Spawn s -> {
                Proc pr = new Proc();
                addTask(s.task(), pr, new Space());
            }
            case Op.Fork f -> addTask(f.child(), new Proc(), t.mm.forkCopy());
            case Op.Vfork v -> addTask(v.child(), new Proc(), t.mm);
            case Op.Thread th -> addTask(th.thread(), t.proc, t.mm);
            case Op.Exec e -> {
                t.mm = new Space();
                t.proc.nofork = false; // a new program has made no promise
            }
            case Op.Exit e -> {
                tasks.remove(t.name);
                t.proc.threads.remove(t);
            }
            case Op.NoFork n -> t.proc.nofork = true;
            case Op.Mmap m -> {
                int a = idx(m.addr()), b = idx(m.addr() + m.len());
                t.mm.maybe.set(a, b);
                t.mm.sure.set(a, b);
                if (m.kind().type() == MapKind.Type.STACK) t.mm.stack.set(a, b);
            }
            case Op.Munmap m -> t.mm.unmap(idx(m.addr()), idx(m.addr() + m.len()));
            case Op.Mremap m -> applyMremap(t.mm, m);
            case Op.Madvise m -> {
                int a = idx(m.addr()), b = idx(m.addr() + m.len());
                if (m.advice() == Advice.DONTFORK) t.mm.dontcopy.set(a, b);
                if (m.advice() == Advice.DOFORK) t.mm.dontcopy.clear(a, b); // applied to every VMA in the range
            }
            case Op.Touch m -> {
                for (long vp = m.addr(); vp < m.addr() + m.len(); vp++) touched(t.mm, idx(vp));
            }
            default -> { }
        }
    }

    private void edges(Space s, long addr, long len) {
        s.edges.set(idx(addr));
        if (idx(addr + len) < p.pages()) s.edges.set(idx(addr + len));
    }

    private void addTask(String name, Proc pr, Space mm) {
        T c = new T(name, pr, mm);
        pr.threads.add(c);
        tasks.put(name, c);
    }

    /**
     * A touch of a page that may be unmapped may grow a stack down to it
     * (expand_downwards): the first VMA above the page, which starts at or
     * below the first page surely mapped, may be a stack. Everything from the
     * page up to the highest page that may be a stack's start may now be mapped.
     */
    private void touched(Space s, int i) {
        if (s.sure.get(i)) return;
        int d = s.sure.nextSetBit(i + 1);
        if (d < 0) d = p.pages() - 1;
        int q = s.stack.previousSetBit(d);
        if (q <= i) return;
        s.maybe.set(i, q);
        s.stack.set(i, q);
        s.edges.set(i);
        if (!s.dontcopy.get(i, q + 1).isEmpty()) s.dontcopy.set(i, q);
    }

    /**
     * mremap: which pages end up mapped depends on where the VMAs begin and
     * end, which the model does not know, and on whether the kernel checks the
     * source before it unmaps the destination. So pages that may be unmapped
     * leave the sure set, pages that may become mapped join the maybe set, and
     * only ranges unmapped whatever happens leave it.
     */
    private void applyMremap(Space s, Op.Mremap m) {
        int a = idx(m.addr()), oldEnd = idx(m.addr() + m.len());
        boolean src = s.maybe.get(a); // no VMA at addr: EFAULT, nothing happens
        boolean srcSure = s.sure.get(a);
        boolean stack = !s.stack.get(a, oldEnd).isEmpty(), dontcopy = !s.dontcopy.get(a, oldEnd).isEmpty();
        if (m.newAddr() == m.addr()) {
            int newEnd = idx(m.addr() + m.newLen());
            if (newEnd < oldEnd) { // shrink: munmap of the tail
                if (srcSure) s.unmap(newEnd, oldEnd);
                else s.sure.clear(newEnd, oldEnd);
            } else if (newEnd > oldEnd && src) { // growth in place, if the pages after the VMA are free
                s.maybe.set(oldEnd, newEnd);
                if (stack) s.stack.set(oldEnd, newEnd);
                if (dontcopy) s.dontcopy.set(oldEnd, newEnd);
            }
            return;
        }
        int n = idx(m.newAddr()), newEnd = idx(m.newAddr() + m.newLen());
        if (n < oldEnd && a < newEnd) return; // the ranges overlap: EINVAL
        s.sure.clear(n, newEnd);
        s.sure.clear(a, oldEnd);
        if (src) {
            s.maybe.set(n, newEnd);
            if (stack) s.stack.set(n, newEnd);
            if (dontcopy) s.dontcopy.set(n, newEnd);
            // a same-size move takes every VMA in the range along (remap_move): so do their edges
            if (m.len() == m.newLen())
                for (int e = s.edges.nextSetBit(a + 1); e >= 0 && e < oldEnd; e = s.edges.nextSetBit(e + 1))
                    s.edges.set(n + (e - a));
        }
    }

    // ------------------------------------------------------------------ choosing

    private boolean chance(int percent) { return rnd.nextInt(100) < percent; }

    private <X> X pick(List<X> l) { return l.isEmpty() ? null : l.get(rnd.nextInt(l.size())); }

    private String fresh(String prefix) { return prefix + (names++); }

    private T task(Predicate<T> ok) {
        List<T> l = new ArrayList<>();
        for (T t : tasks.values()) if (ok.test(t)) l.add(t);
        return pick(l);
    }

    private T anyTask() { return task(t -> true); }

    /** A task that may fork, with room for {@code more} new tasks. */
    private T forker(int more) {
        if (tasks.size() + more > p.maxTasks()) return null;
        return task(t -> !t.proc.nofork);
    }

    private long page(int i) { return p.base() + i; }

    /** A random page of the set, or -1. */
    private int pageOf(BitSet set) {
        int n = set.cardinality();
        if (n == 0) return -1;
        int k = rnd.nextInt(n), i = set.nextSetBit(0);
        while (k-- > 0) i = set.nextSetBit(i + 1);
        return i;
    }

    /** A random page that may be mapped, or -1. */
    private int mappedPage(Space s) { return pageOf(s.maybe); }

    /** The run of maybe-mapped pages containing i: {from, to}. */
    private int[] run(Space s, int i) { return run(s.maybe, i); }

    private int[] run(BitSet set, int i) {
        int from = set.previousClearBit(i) + 1;
        int to = set.nextClearBit(i);
        return new int[] {from, Math.min(to, p.pages())};
    }

    /**
     * A range over mapped pages, as {addr, len} in pages: a whole run, part of
     * one, or a range straddling its edges; mostly over pages surely mapped;
     * anywhere in the window when nothing is mapped.
     */
    private long[] mappedRange(Space s) {
        BitSet set = !s.sure.isEmpty() && chance(65) ? s.sure : s.maybe;
        int i = pageOf(set);
        if (i < 0) {
            int len = 1 + rnd.nextInt(4);
            return new long[] {page(rnd.nextInt(p.pages() - len)), len};
        }
        int[] r = run(set, i);
        int from, to;
        int c = rnd.nextInt(10);
        if (c < 3) {
            from = r[0];
            to = r[1];
        } else if (c < 8) {
            from = Math.max(r[0], i - rnd.nextInt(2));
            to = Math.min(r[1], from + 1 + rnd.nextInt(4));
        } else {
            from = Math.max(0, i - rnd.nextInt(4));
            to = Math.min(p.pages(), from + 2 + rnd.nextInt(7));
        }
        return new long[] {page(from), to - from};
    }

    /**
     * A range of pages surely mapped by one VMA, as {addr, len}: the whole VMA
     * as far as the model knows it, its tail, or a part; null when no page is
     * surely mapped.
     */
    private long[] vmaRange(Space s) {
        int i = pageOf(s.sure);
        if (i < 0) return null;
        int[] r = run(s.sure, i);
        int from = Math.max(r[0], s.edges.previousSetBit(i));
        int ne = s.edges.nextSetBit(i + 1);
        int to = ne < 0 ? r[1] : Math.min(r[1], ne);
        int c = rnd.nextInt(4);
        if (c == 1) from += rnd.nextInt(to - from); // a tail
        else if (c == 2) { // a part
            from += rnd.nextInt(to - from);
            to = from + 1 + rnd.nextInt(to - from);
        }
        return new long[] {page(from), to - from};
    }

    /** Mostly {@link #vmaRange}, sometimes any {@link #mappedRange}. */
    private long[] moveSource(Space s) {
        long[] r = chance(75) ? vmaRange(s) : null;
        return r != null ? r : mappedRange(s);
    }

    /** A part of the run at i, strictly inside it when the run is long enough: {addr, len}. */
    private long[] partOfRun(Space s) {
        int i = mappedPage(s);
        if (i < 0) return null;
        int[] r = run(s, i);
        int len = r[1] - r[0];
        if (len < 2) return new long[] {page(r[0]), len};
        int k = 1 + rnd.nextInt(len - 1); // a proper part
        int off = rnd.nextInt(len - k + 1);
        return new long[] {page(r[0] + off), k};
    }

    /**
     * A free place for {@code len} pages (no page may be mapped), next to a
     * mapping when {@code adjacentPercent} says so and there is one; -1 when
     * nothing fits. Pages in [avoidFrom, avoidTo) are not used.
     */
    private long freePlace(Space s, int len, int adjacentPercent, long avoidFrom, long avoidTo) {
        List<Integer> all = new ArrayList<>(), adjacent = new ArrayList<>();
        int af = (int) (avoidFrom - p.base()), at = (int) (avoidTo - p.base());
        for (int i = 0; i + len <= p.pages(); i++) {
            int set = s.maybe.nextSetBit(i);
            if (set >= 0 && set < i + len) {
                i = set; // the loop's i++ moves past it
                continue;
            }
            if (i < at && af < i + len) continue;
            all.add(i);
            if ((i > 0 && s.maybe.get(i - 1)) || (i + len < p.pages() && s.maybe.get(i + len))) adjacent.add(i);
        }
        Integer i = !adjacent.isEmpty() && chance(adjacentPercent) ? pick(adjacent) : pick(all);
        return i == null ? -1 : page(i);
    }

    private Prot prot() {
        int c = rnd.nextInt(23);
        return c < 13 ? Prot.RW : c < 16 ? Prot.R : c < 18 ? Prot.RX : c < 19 ? Prot.RWX : c < 20 ? Prot.NONE
                : c == 20 ? Prot.W : c == 21 ? Prot.WX : Prot.X; // without read: no VM_READ, no merge with readable
    }

    private MapKind kind(long addr) {
        int c = rnd.nextInt(20);
        if (c < 12) return MapKind.ANON;
        if (c < 14) return MapKind.STACK;
        if (c < 15) return MapKind.SHARED;
        String f = FILES[rnd.nextInt(FILES.length)];
        // mostly the offset that lets neighbouring mappings of the file merge
        long off = chance(70) ? addr - p.base() : rnd.nextInt(32);
        return c < 19 ? MapKind.file(f, off) : MapKind.sharedFile(f, off);
    }

    private Advice advice() { return Advice.values()[rnd.nextInt(Advice.values().length)]; }

    /** Mostly no extra mmap flags; sometimes MAP_NORESERVE, MAP_STACK or both. */
    private Set<MapFlag> mapFlags() {
        int c = rnd.nextInt(20);
        return c < 15 ? Set.of() : c < 17 ? Set.of(MapFlag.NORESERVE) : c < 19 ? Set.of(MapFlag.STACK)
                : Set.of(MapFlag.NORESERVE, MapFlag.STACK);
    }

    // ------------------------------------------------------------------ single ops

    /** mmap somewhere free (usually next to a mapping), with random extra flags; returns {addr, len} or null. */
    private long[] mmap(T t, int len, Prot prot, MapKind kind) { return mmap(t, len, prot, kind, null); }

    /** As {@link #mmap(T, int, Prot, MapKind)}, with these extra flags (null: random ones). */
    private long[] mmap(T t, int len, Prot prot, MapKind kind, Set<MapFlag> flags) {
        long a = freePlace(t.mm, len, 70, 0, 0);
        if (a < 0) return null;
        MapKind k = kind != null ? kind : kind(a);
        Set<MapFlag> f = flags != null ? flags : mapFlags();
        return emit(new Op.Mmap(t.name, a, len, prot != null ? prot : prot(), k, f)) ? new long[] {a, len} : null;
    }

    /** A mapping to work on: one the task has, or a new one. */
    private long[] someMapping(T t, boolean write) {
        long[] r = mappedRange(t.mm);
        if (t.mm.maybe.isEmpty()) {
            r = mmap(t, 1 + rnd.nextInt(6), Prot.RW, MapKind.ANON);
            if (r == null) return null;
        }
        if (write) emit(new Op.Touch(t.name, r[0], r[1], true));
        return r;
    }

    private void touch(T t) {
        long[] r = mappedRange(t.mm);
        emit(new Op.Touch(t.name, r[0], r[1], chance(60)));
    }

    private void mremap(T t) {
        Space s = t.mm;
        int c = rnd.nextInt(10);
        if (c < 2) { // shrink in place
            long[] r = moveSource(s);
            if (r[1] < 2) return;
            emit(new Op.Mremap(t.name, r[0], r[1], r[0], 1 + rnd.nextInt((int) r[1] - 1)));
        } else if (c < 4) { // grow in place: a range ending where a VMA ends
            long[] r = vmaRange(s);
            if (r == null) return;
            int e = idx(r[0] + r[1]);
            int ne = s.edges.nextSetBit(e); // the VMA may go on past the sure pages: up to the next edge
            if (ne > e && s.maybe.nextClearBit(e) >= ne) e = ne;
            long len = page(e) - r[0];
            emit(new Op.Mremap(t.name, r[0], len, r[0], len + 1 + rnd.nextInt(4)));
        } else { // move, maybe resizing
            long[] r = moveSource(s);
            long newLen = chance(70) ? r[1] : Math.max(1, r[1] + rnd.nextInt(5) - 2);
            long d = chance(80) ? freePlace(s, (int) newLen, 70, r[0], r[0] + r[1]) : -1;
            if (d < 0 && newLen < p.pages()) // over whatever is there (MREMAP_FIXED unmaps it)
                d = page(rnd.nextInt(p.pages() - (int) newLen + 1));
            if (d < 0) return;
            emit(new Op.Mremap(t.name, r[0], r[1], d, newLen));
        }
    }

    private void single() {
        T t = anyTask();
        int c = rnd.nextInt(100);
        if (c < 14) mmap(t, 1 + rnd.nextInt(8), null, null);
        else if (c < 20) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Munmap(t.name, r[0], r[1]));
        } else if (c < 26) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Mprotect(t.name, r[0], r[1], prot()));
        } else if (c < 34) mremap(t);
        else if (c < 39) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Madvise(t.name, r[0], r[1], advice()));
        } else if (c < 62) touch(t);
        else if (c < 67) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Walk(t.name, r[0], r[1]));
        } else if (c < 71) {
            long[] r = mappedRange(t.mm);
            emit(new Op.Migrate(t.name, r[0], r[1]));
        } else if (c < 80) {
            T f = forker(1);
            if (f != null) emit(new Op.Fork(f.name, fresh("C")));
        } else if (c < 83) emit(new Op.Thread(t.name, fresh("T")));
        else if (c < 85) emit(new Op.Exec(t.name));
        else if (c < 91) emit(new Op.Exit(t.name));
        else if (c < 93) emit(new Op.NoFork(t.name));
        else if (c < 95) spawn();
        else if (c < 97) vfork();
        else stackBelow(t);
    }

    private void spawn() {
        String n = fresh("P");
        if (!emit(new Op.Spawn(n))) return;
        T t = tasks.get(n);
        for (int i = rnd.nextInt(3); i >= 0; i--) mmap(t, 1 + rnd.nextInt(6), null, null);
    }

    /** Exit one of the older tasks (live tasks are kept in creation order). */
    private void exitOld() {
        List<T> l = new ArrayList<>(tasks.values());
        T t = l.get(rnd.nextInt((l.size() + 1) / 2));
        emit(new Op.Exit(t.name));
    }

    private void step() {
        if (tasks.isEmpty()) {
            spawn();
            return;
        }
        if (tasks.size() >= p.maxTasks() - 1 && chance(60)) {
            exitOld();
            return;
        }
        if (chance(55)) {
            single();
            return;
        }
        switch (rnd.nextInt(15)) {
            case 0 -> forkThenPartialMunmap();
            case 1 -> mremapShared();
            case 2 -> mprotectSplitRemerge();
            case 3 -> chainMiddleExit();
            case 4 -> execAfterFork();
            case 5 -> threads();
            case 6 -> vfork();
            case 7 -> cowWrites();
            case 8 -> stackGrowth();
            case 9 -> adjacentMmaps();
            case 10 -> mremapResize();
            case 11 -> forkAdvice();
            case 12 -> moveOutAndBack();
            case 13 -> reserveCommit();
            default -> migrateShared();
        }
    }

    // ------------------------------------------------------------------ the tricky interleavings

    private String fork(T t) {
        String c = fresh("C");
        return emit(new Op.Fork(t.name, c)) ? c : null;
    }

    /** fork, then munmap part of a shared range in the parent or the child, then write and walk. */
    private void forkThenPartialMunmap() {
        T par = forker(1);
        if (par == null || someMapping(par, chance(70)) == null) return;
        String cn = fork(par);
        if (cn == null) return;
        T ch = tasks.get(cn);
        T who = chance(50) ? par : ch, other = who == par ? ch : par;
        long[] r = partOfRun(who.mm);
        if (r != null) emit(new Op.Munmap(who.name, r[0], r[1]));
        long[] w = mappedRange(other.mm);
        emit(new Op.Touch(other.name, w[0], w[1], true));
        long[] v = mappedRange(par.mm);
        emit(new Op.Walk(par.name, v[0], v[1]));
    }

    /**
     * mremap (move) of a range shared with a child, faulted or not, to a place
     * next to another mapping; writes at the new place; sometimes a move back.
     */
    private void mremapShared() {
        T par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, false);
        if (r == null) return;
        r = moveSource(par.mm);
        if (chance(60)) emit(new Op.Touch(par.name, r[0], r[1], chance(80)));
        String cn = fork(par);
        if (cn == null) return;
        T ch = tasks.get(cn);
        if (chance(50)) emit(new Op.Touch(ch.name, r[0], r[1], true));
        T who = chance(50) ? par : ch, other = who == par ? ch : par;
        long newLen = chance(75) ? r[1] : Math.max(1, r[1] + rnd.nextInt(3) - 1);
        long d = freePlace(who.mm, (int) newLen, 90, r[0], r[0] + r[1]);
        if (d < 0) return;
        if (!emit(new Op.Mremap(who.name, r[0], r[1], d, newLen))) return;
        if (chance(60)) emit(new Op.Touch(who.name, d, newLen, chance(70)));
        emit(new Op.Walk(other.name, r[0], r[1]));
        if (chance(50)) {
            emit(new Op.Mremap(who.name, d, newLen, r[0], newLen));
            if (chance(50)) emit(new Op.Touch(who.name, r[0], newLen, true));
        }
        emit(new Op.Walk(who.name, Math.min(r[0], d), Math.max(r[0] + r[1], d + newLen) - Math.min(r[0], d)));
    }

    /**
     * A reservation as the JVM makes one (--- with MAP_NORESERVE, or without),
     * committed (rw-) and written in pieces, some uncommitted again (---), maybe
     * forked, maybe given MADV_HUGEPAGE / MADV_NOHUGEPAGE on a part: whether the
     * pieces merge back depends on VM_NORESERVE (never VM_ACCOUNT) and on the
     * huge page flags.
     */
    private void reserveCommit() {
        T t = anyTask();
        int len = 4 + rnd.nextInt(9);
        Set<MapFlag> f = chance(70) ? Set.of(MapFlag.NORESERVE) : mapFlags();
        long[] r = mmap(t, len, Prot.NONE, MapKind.ANON, f);
        if (r == null) return;
        for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
            long a = r[0] + rnd.nextInt(len), n = 1 + rnd.nextInt((int) (r[0] + len - a));
            emit(new Op.Mprotect(t.name, a, n, Prot.RW));
            if (chance(80)) emit(new Op.Touch(t.name, a, n, true));
        }
        if (chance(30)) fork(t);
        if (chance(40)) {
            long a = r[0] + rnd.nextInt(len);
            emit(new Op.Madvise(t.name, a, 1 + rnd.nextInt((int) (r[0] + len - a)),
                    chance(50) ? Advice.HUGEPAGE : Advice.NOHUGEPAGE));
        }
        long a = r[0] + rnd.nextInt(len);
        emit(new Op.Mprotect(t.name, a, 1 + rnd.nextInt((int) (r[0] + len - a)), Prot.NONE));
        if (chance(50)) emit(new Op.Mprotect(t.name, r[0], len, chance(50) ? Prot.NONE : Prot.RW));
        emit(new Op.Walk(t.name, r[0], len));
    }

    /** rw- → r-- → rw- of a sub-range: a split, then a re-merge. */
    private void mprotectSplitRemerge() {
        T t = anyTask();
        if (someMapping(t, false) == null) return;
        long[] r = partOfRun(t.mm);
        if (r == null) return;
        if (chance(60)) emit(new Op.Touch(t.name, r[0] > p.base() ? r[0] - 1 : r[0], r[1] + 1, true));
        emit(new Op.Mprotect(t.name, r[0], r[1], Prot.R));
        if (chance(50)) emit(new Op.Touch(t.name, r[0], r[1], chance(30)));
        if (chance(40)) fork(t); // the split VMAs are copied
        emit(new Op.Mprotect(t.name, r[0], r[1], Prot.RW));
        if (chance(60)) emit(new Op.Touch(t.name, r[0], r[1], true));
        long[] w = mappedRange(t.mm);
        emit(new Op.Walk(t.name, w[0], w[1]));
    }

    /** P → C → G (and maybe G2), everybody writes, C exits while its children live. */
    private void chainMiddleExit() {
        T par = forker(3);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String cn = fork(par);
        if (cn == null) return;
        T c = tasks.get(cn);
        emit(new Op.Touch(cn, r[0], r[1], true));
        String gn = fork(c);
        if (gn == null) return;
        if (chance(50)) emit(new Op.Touch(gn, r[0], r[1], true));
        if (chance(40)) fork(c);
        emit(new Op.Exit(cn));
        T g = tasks.get(gn);
        if (g == null) return;
        emit(new Op.Touch(gn, r[0], r[1], chance(70)));
        emit(new Op.Walk(par.name, r[0], r[1]));
        long[] part = partOfRun(g.mm);
        if (part != null && chance(50)) emit(new Op.Munmap(gn, part[0], part[1]));
        emit(new Op.Walk(gn, r[0], r[1]));
    }

    private void execAfterFork() {
        T par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, true);
        String cn = fork(par);
        if (cn == null) return;
        if (r != null && chance(50)) emit(new Op.Touch(cn, r[0], r[1], true));
        emit(new Op.Exec(cn));
        T c = tasks.get(cn);
        long[] m = mmap(c, 1 + rnd.nextInt(4), null, null);
        if (m != null) emit(new Op.Touch(cn, m[0], m[1], chance(70)));
        if (r != null) emit(new Op.Walk(par.name, r[0], r[1]));
    }

    /** A thread maps and writes; the thread or the main task exits; sometimes a fork in between. */
    private void threads() {
        if (tasks.size() >= p.maxTasks()) return;
        T t = anyTask();
        String tn = fresh("T");
        if (!emit(new Op.Thread(t.name, tn))) return;
        T th = tasks.get(tn);
        // half the time a thread stack as glibc maps it (MAP_STACK: VM_NOHUGEPAGE), usually beside a mapping
        long[] m = chance(50) ? mmap(th, 1 + rnd.nextInt(4), Prot.RW, MapKind.ANON, Set.of(MapFlag.STACK))
                : mmap(th, 1 + rnd.nextInt(4), Prot.RW, chance(70) ? MapKind.ANON : null);
        if (m != null) emit(new Op.Touch(tn, m[0], m[1], true));
        touch(t);
        if (chance(30)) fork(th);
        emit(new Op.Exit(chance(70) ? tn : t.name));
    }

    /** vfork, maybe an access by the child to the shared mm, then exec (and a new mapping) or exit. */
    private void vfork() {
        T par = forker(1);
        if (par == null) return;
        String vn = fresh("V");
        if (!emit(new Op.Vfork(par.name, vn))) return;
        T v = tasks.get(vn);
        if (chance(30)) touch(v);
        if (chance(60)) {
            emit(new Op.Exec(vn));
            long[] m = mmap(v, 1 + rnd.nextInt(4), null, null);
            if (m != null) emit(new Op.Touch(vn, m[0], m[1], true));
        } else {
            emit(new Op.Exit(vn));
        }
    }

    /** CoW writes in the parent and the child of parts of a written range, walks and a migration. */
    private void cowWrites() {
        T par = forker(1);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String cn = fork(par);
        if (cn == null) return;
        long a = r[0] + rnd.nextInt((int) r[1]);
        emit(new Op.Touch(cn, a, 1 + rnd.nextInt((int) (r[0] + r[1] - a)), true));
        a = r[0] + rnd.nextInt((int) r[1]);
        emit(new Op.Touch(par.name, a, 1 + rnd.nextInt((int) (r[0] + r[1] - a)), true));
        emit(new Op.Walk(par.name, r[0], r[1]));
        emit(new Op.Migrate(chance(50) ? cn : par.name, r[0], r[1]));
        emit(new Op.Walk(cn, r[0], r[1]));
    }

    /** A touch just below a stack's lowest page (expand_downwards when the guard gap allows). */
    private void stackBelow(T t) {
        BitSet st = t.mm.stack;
        List<Integer> starts = new ArrayList<>();
        for (int i = st.nextSetBit(1); i >= 0; i = st.nextSetBit(i + 1)) if (!st.get(i - 1)) starts.add(i);
        Integer s = pick(starts);
        if (s == null) return;
        int k = Math.min(s, 1 + rnd.nextInt(3));
        emit(new Op.Touch(t.name, page(s - k), chance(50) ? k : 1, chance(60)));
    }

    /** A new stack with room below it, touched below, forked, and touched below again in the child. */
    private void stackGrowth() {
        T t = anyTask();
        int len = 1 + rnd.nextInt(3), room = 1 + rnd.nextInt(4);
        long a = freePlace(t.mm, len + room, 30, 0, 0);
        if (a < 0) return;
        long s = a + room;
        if (!emit(new Op.Mmap(t.name, s, len, Prot.RW, MapKind.STACK))) return;
        emit(new Op.Touch(t.name, s, len, chance(60)));
        int k = 1 + rnd.nextInt(room);
        emit(new Op.Touch(t.name, s - k, 1, chance(60)));
        if (chance(50)) {
            String cn = fork(t);
            if (cn != null) {
                emit(new Op.Touch(cn, a, 1, true));
                emit(new Op.Walk(t.name, a, len + room));
            }
        }
    }

    /**
     * Mappings at adjacent addresses: equal ones merge; a written mapping then
     * a different neighbour that is written too (Linux reuses the neighbour's
     * anon_vma) and made equal by mprotect (a merge of two faulted VMAs).
     */
    private void adjacentMmaps() {
        T t = anyTask();
        int l1 = 1 + rnd.nextInt(3), l2 = 1 + rnd.nextInt(3);
        long a = freePlace(t.mm, l1 + l2, 50, 0, 0);
        if (a < 0) return;
        boolean twoStep = chance(50);
        // mostly plain; sometimes MAP_NORESERVE or MAP_STACK on one or both, which decides the merges
        Set<MapFlag> f1 = chance(75) ? Set.of() : mapFlags(), f2 = chance(50) ? f1 : chance(75) ? Set.of() : mapFlags();
        if (!emit(new Op.Mmap(t.name, a, l1, Prot.RW, MapKind.ANON, f1))) return;
        if (chance(70)) emit(new Op.Touch(t.name, a, l1, true));
        Prot p2 = twoStep ? Prot.R : Prot.RW;
        if (!emit(new Op.Mmap(t.name, a + l1, l2, p2, MapKind.ANON, f2))) return;
        if (twoStep) {
            emit(new Op.Touch(t.name, a + l1, l2, false));
            emit(new Op.Mprotect(t.name, a + l1, l2, Prot.RW));
        }
        emit(new Op.Touch(t.name, a, l1 + l2, true));
        if (chance(40)) fork(t);
        if (chance(50)) emit(new Op.Mprotect(t.name, a + l1 - 1, 2, chance(50) ? Prot.R : Prot.RWX));
        emit(new Op.Walk(t.name, a, l1 + l2));
    }

    /** In-place growth and shrink, and a move that grows, of a written range. */
    private void mremapResize() {
        T t = anyTask();
        if (someMapping(t, chance(60)) == null) return;
        long[] r = vmaRange(t.mm);
        if (r == null) return;
        long from = r[0], len = r[1];
        long grow = 1 + rnd.nextInt(3);
        if (emit(new Op.Mremap(t.name, from, len, from, len + grow))) {
            emit(new Op.Touch(t.name, from + len, grow, true));
            len += grow;
        }
        if (len > 1 && chance(60)) emit(new Op.Mremap(t.name, from, len, from, --len));
        long newLen = len + 1 + rnd.nextInt(2);
        long d = freePlace(t.mm, (int) newLen, 60, from, from + len);
        if (d >= 0) {
            emit(new Op.Mremap(t.name, from, len, d, newLen));
            emit(new Op.Touch(t.name, d, newLen, true));
            emit(new Op.Walk(t.name, d, newLen));
        }
    }

    /**
     * A part of a mapping moved out, written there (a CoW folio of a private
     * file mapping, or an anonymous one), maybe forked, and moved back into
     * its hole: the moved VMA, faulted now, merges with neighbours that may
     * be unfaulted (vma_merge_copied_range, the mremap merge cases of
     * mm/vma.c); the file kinds keep their pgoff so the merge can happen.
     */
    private void moveOutAndBack() {
        T t = anyTask();
        int n = 3 + rnd.nextInt(4);
        long a = freePlace(t.mm, n, 30, 0, 0);
        if (a < 0) return;
        MapKind k = chance(50) ? MapKind.file(FILES[rnd.nextInt(FILES.length)], a - p.base()) : MapKind.ANON;
        if (!emit(new Op.Mmap(t.name, a, n, Prot.RW, k))) return;
        if (k == MapKind.ANON && chance(50)) emit(new Op.Touch(t.name, a, 1, true));
        int c = rnd.nextInt(3);
        long from = c == 0 ? a : c == 1 ? a + 1 : a + n - 1 - rnd.nextInt(2);
        long len = c == 1 ? 1 + rnd.nextInt(n - 2) : a + n - from;
        if (c == 0) len = 1 + rnd.nextInt(n - 1);
        long d = freePlace(t.mm, (int) len, 50, a, a + n);
        if (d < 0) return;
        if (!emit(new Op.Mremap(t.name, from, len, d, len))) return;
        if (chance(80)) emit(new Op.Touch(t.name, d, len, true));
        if (chance(30)) fork(t);
        emit(new Op.Mremap(t.name, d, len, from, len));
        if (chance(50)) emit(new Op.Touch(t.name, a, n, chance(50)));
        emit(new Op.Walk(t.name, a, n));
    }

    /** madvise that changes what fork copies, then a fork, writes and walks, then the advice undone. */
    private void forkAdvice() {
        T par = forker(1);
        if (par == null) return;
        if (someMapping(par, true) == null) return;
        long[] r = mappedRange(par.mm);
        Advice adv = chance(50) ? Advice.DONTFORK : Advice.WIPEONFORK;
        emit(new Op.Madvise(par.name, r[0], r[1], adv));
        String cn = fork(par);
        if (cn == null) return;
        emit(new Op.Touch(cn, r[0], r[1], true));
        emit(new Op.Walk(par.name, r[0], r[1]));
        emit(new Op.Madvise(par.name, r[0], r[1], adv == Advice.DONTFORK ? Advice.DOFORK : Advice.KEEPONFORK));
        if (chance(50)) emit(new Op.Madvise(cn, r[0], r[1], Advice.DONTNEED));
    }

    /** Migration of folios shared by a parent and its children, then walks from each. */
    private void migrateShared() {
        T par = forker(2);
        if (par == null) return;
        long[] r = someMapping(par, true);
        if (r == null) return;
        String c1 = fork(par);
        String c2 = chance(50) ? fork(par) : null;
        if (c1 == null) return;
        if (chance(50)) emit(new Op.Touch(c1, r[0], 1, true));
        emit(new Op.Migrate(chance(50) ? c1 : par.name, r[0], r[1]));
        emit(new Op.Walk(par.name, r[0], r[1]));
        if (c2 != null) emit(new Op.Walk(c2, r[0], r[1]));
    }
}
