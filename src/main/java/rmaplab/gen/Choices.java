package rmaplab.gen;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import rmaplab.gen.Sketch.Task;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * The random generator's vocabulary: random choices over the {@link Sketch}
 * (a task, a page, a range over mapped pages, a free place, a protection, a
 * kind of mapping) and the small ops built from them (an mmap somewhere free,
 * a touch of a mapped range, a fork), each emitted through the sketch. Every
 * choice draws from the one random stream, in a fixed order: the same
 * parameters give the same ops.
 */
abstract class Choices {
    static final String[] FILES = {"libc.so", "data.bin", "db"};

    final RandomOps.Params p;
    final SplittableRandom rnd;
    final Sketch sketch;
    private int names;

    Choices(RandomOps.Params p, Sketch sketch) {
        this.p = p;
        this.rnd = new SplittableRandom(p.seed());
        this.sketch = sketch;
    }

    /** Emits the op when the sketch says it is valid, and applies it to the sketch. */
    final boolean emit(Op op) { return sketch.emit(op); }

    final int idx(long page) { return sketch.idx(page); }

    final boolean chance(int percent) { return rnd.nextInt(100) < percent; }

    final <X> X pick(List<X> l) { return l.isEmpty() ? null : l.get(rnd.nextInt(l.size())); }

    final String fresh(String prefix) { return prefix + (names++); }

    final Task task(Predicate<Task> ok) {
        List<Task> l = new ArrayList<>();
        for (Task t : sketch.live()) if (ok.test(t)) l.add(t);
        return pick(l);
    }

    final Task anyTask() { return task(t -> true); }

    /** A task that may fork, with room for {@code more} new tasks. */
    final Task forker(int more) {
        if (sketch.count() + more > p.maxTasks()) return null;
        return task(t -> !t.proc.nofork);
    }

    final long page(int i) { return p.base() + i; }

    /** A random page of the set, or -1. */
    final int pageOf(BitSet set) {
        int n = set.cardinality();
        if (n == 0) return -1;
        int k = rnd.nextInt(n), i = set.nextSetBit(0);
        while (k-- > 0) i = set.nextSetBit(i + 1);
        return i;
    }

    /** A random page that may be mapped, or -1. */
    final int mappedPage(MmSketch s) { return pageOf(s.maybe); }

    /** The run of maybe-mapped pages containing i: {from, to}. */
    final int[] run(MmSketch s, int i) { return run(s.maybe, i); }

    final int[] run(BitSet set, int i) {
        int from = set.previousClearBit(i) + 1;
        int to = set.nextClearBit(i);
        return new int[] {from, Math.min(to, p.pages())};
    }

    /**
     * A range over mapped pages, as {addr, len} in pages: a whole run, part of
     * one, or a range straddling its edges; mostly over pages surely mapped;
     * anywhere in the window when nothing is mapped.
     */
    final long[] mappedRange(MmSketch s) {
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
    final long[] vmaRange(MmSketch s) {
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
    final long[] moveSource(MmSketch s) {
        long[] r = chance(75) ? vmaRange(s) : null;
        return r != null ? r : mappedRange(s);
    }

    /** A part of the run at i, strictly inside it when the run is long enough: {addr, len}. */
    final long[] partOfRun(MmSketch s) {
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
    final long freePlace(MmSketch s, int len, int adjacentPercent, long avoidFrom, long avoidTo) {
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

    final Prot prot() {
        int c = rnd.nextInt(23);
        return c < 13 ? Prot.RW : c < 16 ? Prot.R : c < 18 ? Prot.RX : c < 19 ? Prot.RWX : c < 20 ? Prot.NONE
                : c == 20 ? Prot.W : c == 21 ? Prot.WX : Prot.X; // without read: no VM_READ, no merge with readable
    }

    final MapKind kind(long addr) {
        int c = rnd.nextInt(20);
        if (c < 12) return MapKind.ANON;
        if (c < 14) return MapKind.STACK;
        if (c < 15) return MapKind.SHARED;
        String f = FILES[rnd.nextInt(FILES.length)];
        // mostly the offset that lets neighbouring mappings of the file merge
        long off = chance(70) ? addr - p.base() : rnd.nextInt(32);
        return c < 19 ? MapKind.file(f, off) : MapKind.sharedFile(f, off);
    }

    final Advice advice() { return Advice.values()[rnd.nextInt(Advice.values().length)]; }

    /** Mostly no extra mmap flags; sometimes MAP_NORESERVE, MAP_STACK or both. */
    final Set<MapFlag> mapFlags() {
        int c = rnd.nextInt(20);
        return c < 15 ? Set.of() : c < 17 ? Set.of(MapFlag.NORESERVE) : c < 19 ? Set.of(MapFlag.STACK)
                : Set.of(MapFlag.NORESERVE, MapFlag.STACK);
    }

    // ------------------------------------------------------------------ ops built from choices

    /** mmap somewhere free (usually next to a mapping), with random extra flags; returns {addr, len} or null. */
    final long[] mmap(Task t, int len, Prot prot, MapKind kind) { return mmap(t, len, prot, kind, null); }

    /** As {@link #mmap(Task, int, Prot, MapKind)}, with these extra flags (null: random ones). */
    final long[] mmap(Task t, int len, Prot prot, MapKind kind, Set<MapFlag> flags) {
        long a = freePlace(t.mm, len, 70, 0, 0);
        if (a < 0) return null;
        MapKind k = kind != null ? kind : kind(a);
        Set<MapFlag> f = flags != null ? flags : mapFlags();
        return emit(new Op.Mmap(t.name, a, len, prot != null ? prot : prot(), k, f)) ? new long[] {a, len} : null;
    }

    /**
     * mmap with MAP_FIXED over part of what the task maps (the FLAG fixed): the old VMAs in the range
     * are gathered, split at the edges and freed after the new mapping is made or merged.
     */
    final void mmapFixed(Task t) {
        long[] r = mappedRange(t.mm);
        Set<MapFlag> f = java.util.EnumSet.of(MapFlag.FIXED);
        f.addAll(mapFlags());
        emit(new Op.Mmap(t.name, r[0], r[1], prot(), kind(r[0]), f));
    }

    /** A mapping to work on: one the task has, or a new one. */
    final long[] someMapping(Task t, boolean write) {
        long[] r = mappedRange(t.mm);
        if (t.mm.maybe.isEmpty()) {
            r = mmap(t, 1 + rnd.nextInt(6), Prot.RW, MapKind.ANON);
            if (r == null) return null;
        }
        if (write) emit(new Op.Touch(t.name, r[0], r[1], true));
        return r;
    }

    final void touch(Task t) {
        long[] r = mappedRange(t.mm);
        emit(new Op.Touch(t.name, r[0], r[1], chance(60)));
    }

    final String fork(Task t) {
        String c = fresh("C");
        return emit(new Op.Fork(t.name, c)) ? c : null;
    }
}
