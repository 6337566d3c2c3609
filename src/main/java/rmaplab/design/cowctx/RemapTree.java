package rmaplab.design.cowctx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rmaplab.ledger.ObjectLedger;

/**
 * One context's {@code remap_mt}: a maple tree from pgoff ranges to remap
 * entries (sets of offsets), with the PoC's primitives add_new_remap,
 * find_and_unmap_existing and find_and_remap_existing (mm/cow_context.c @
 * a4ac1966, read for this model; notes/cow_context.md §2.2).
 *
 * <p>An entry is <em>simple</em> (one offset, stored in the slot itself) or
 * <em>multi</em> (a {@link Dynarray} on the heap). Adjacent entries with equal
 * values are never coalesced: a maple tree keeps every range it was given.
 *
 * <p>Costs: a multi entry is one "remap_offsets" object of 8 + 8 × capacity
 * bytes; the tree is charged ceil(entries / 16) "maple_node"s of 256 bytes
 * (a maple_range_64 node holds 16 slots; see the package documentation for
 * what this approximation leaves out).
 */
final class RemapTree {
    static final String MAPLE_NODE = "maple_node";
    static final long MAPLE_NODE_BYTES = 256;
    static final int RANGES_PER_NODE = 16;
    static final String REMAP_OFFSETS = "remap_offsets";

    static long dynarrayBytes(int cap) { return 8 + 8L * cap; }

    /** One maple-tree range [first, last] and its value. */
    static final class Range {
        long first, last;
        /** Simple entry: the one offset. Unused when {@link #multi} is set. */
        long offset;
        /** Multi entry, or null for a simple one. */
        Dynarray multi;

        Range(long first, long last) {
            this.first = first;
            this.last = last;
        }

        boolean simple() { return multi == null; }

        /** nr_remaps. */
        int nr() { return multi == null ? 1 : multi.nr; }

        /** get_remap. */
        long get(int i) { return multi == null ? offset : multi.contents[i]; }

        @Override public String toString() {
            return "[" + Long.toHexString(first) + "," + Long.toHexString(last) + "]="
                    + (multi == null ? "simple " + offset : "multi " + multi);
        }
    }

    /** What the tree charges and locks outside itself. */
    interface Env {
        ObjectLedger objects();

        /** spin_lock(&context->concurrent_unmap_lock) in shrink_remaps. */
        void concurrentUnmapLock();
    }

    private final TreeMap<Long, Range> ranges = new TreeMap<>();
    private final Env env;
    private final Fixes fixes;
    private int nodes;

    RemapTree(Env env, Fixes fixes) {
        this.env = env;
        this.fixes = fixes;
    }

    int entries() { return ranges.size(); }

    int nodes() { return nodes; }

    /** The entries, in pgoff order (for tests and reports). */
    List<Range> all() { return new ArrayList<>(ranges.values()); }

    // ------------------------------------------------------------------ the maple tree itself

    /** mas_walk: the entry containing p, or null. */
    Range at(long p) {
        Map.Entry<Long, Range> e = ranges.floorEntry(p);
        return e != null && e.getValue().last >= p ? e.getValue() : null;
    }

    /** mas_for_each over [lo, hi]: the entries overlapping it, in order. */
    List<Range> overlapping(long lo, long hi) {
        List<Range> l = new ArrayList<>();
        Range first = at(lo);
        long from = first != null ? first.first : lo;
        for (Range r : ranges.subMap(from, true, hi, true).values()) l.add(r);
        return l;
    }

    private void insert(Range r) {
        if (!overlapping(r.first, r.last).isEmpty()) throw new IllegalStateException("remap store over a live range " + r);
        ranges.put(r.first, r);
        rebalance();
    }

    /** A store of NULL over the entry's exact range; frees a multi array. */
    private void erase(Range r) {
        ranges.remove(r.first);
        freeMulti(r.multi);
        rebalance();
    }

    /** Charge ceil(entries / 16) maple nodes. */
    private void rebalance() {
        int want = (ranges.size() + RANGES_PER_NODE - 1) / RANGES_PER_NODE;
        for (; nodes < want; nodes++) env.objects().alloc(MAPLE_NODE, MAPLE_NODE_BYTES);
        for (; nodes > want; nodes--) env.objects().free(MAPLE_NODE, MAPLE_NODE_BYTES);
    }

    private Dynarray newMulti(Dynarray d) {
        env.objects().alloc(REMAP_OFFSETS, dynarrayBytes(d.cap()));
        return d;
    }

    private void freeMulti(Dynarray d) {
        if (d != null) env.objects().free(REMAP_OFFSETS, dynarrayBytes(d.cap()));
    }

    /** delete_remaps + mtree_destroy, when the context is freed. */
    void destroy() {
        for (Range r : ranges.values()) freeMulti(r.multi);
        ranges.clear();
        rebalance();
    }

    // ------------------------------------------------------------------ remap entries

    /**
     * split_remap: the entry containing {@code pgoff} is cut at pgoff; the part
     * outside ([split, pgoff-1] when split < pgoff, else [pgoff+1, split]) gets a
     * duplicate of the value (a new array for a multi entry).
     */
    private void split(long pgoff, long split) {
        Range r = at(pgoff);
        Range dup;
        if (split < pgoff) {
            dup = new Range(r.first, pgoff - 1);
            ranges.remove(r.first);
            r.first = pgoff;
            ranges.put(r.first, r);
        } else {
            dup = new Range(pgoff + 1, r.last);
            r.last = pgoff;
        }
        if (r.simple()) dup.offset = r.offset;
        else dup.multi = newMulti(Dynarray.dup(r.multi, r.multi.cap()));
        ranges.put(dup.first, dup);
        rebalance();
    }

    /** The splits add_new_remap makes at both ends of [pgoff, last]. */
    private void splitEdges(long pgoff, long last) {
        Range r = at(pgoff);
        if (r != null && r.first < pgoff) split(pgoff, r.first);
        r = at(last);
        if (r != null && r.last > last) split(last, r.last);
    }

    /** add_new_remap: split at the edges, then add_overlapping_remap. */
    void addNew(long pgoff, long nrPages, long offset) {
        long last = pgoff + nrPages - 1;
        splitEdges(pgoff, last);
        // add_overlapping_remap: fill the gaps with simple entries, append to the rest
        long prev = pgoff;
        for (Range r : overlapping(pgoff, last)) {
            if (r.first > prev) insertSimple(prev, r.first - 1, offset);
            append(r, offset);
            prev = r.last + 1;
        }
        if (prev <= last) insertSimple(prev, last, offset);
    }

    private void insertSimple(long first, long last, long offset) {
        Range n = new Range(first, last);
        n.offset = offset;
        insert(n);
    }

    /**
     * append_remap_offset + store. A simple entry is first copied into a
     * one-slot array "on the stack", which is full, so it is duplicated into a
     * heap array of capacity 2 before the append, even when the offset is
     * already there: the entry then becomes a multi entry holding one offset.
     * A full heap array is doubled (krealloc) before the duplicate check, too.
     */
    private void append(Range r, long offset) {
        boolean correct = fixes.correctInsertion();
        if (r.simple()) {
            Dynarray d = new Dynarray(2);
            d.contents[0] = r.offset;
            d.nr = 1;
            d.appendValue(offset, correct);
            r.multi = newMulti(d);
        } else {
            Dynarray d = r.multi;
            if (d.nr == d.cap()) {
                long before = dynarrayBytes(d.cap());
                d.doubleInPlace();
                env.objects().resize(REMAP_OFFSETS, dynarrayBytes(d.cap()) - before);
            }
            d.appendValue(offset, correct);
        }
    }

    /**
     * find_and_unmap_existing: remove {@code offset} from every entry that
     * overlaps [pgoff, pgoff + nrPages - 1]. As written it acts on each whole
     * stored entry, which may reach past the range; with
     * {@link Fixes#preciseUnmap} the entries are first split at the range's
     * edges, as add_new_remap does, so that only the range loses the offset.
     */
    void unmapExisting(long pgoff, long nrPages, long offset) {
        long last = pgoff + nrPages - 1;
        if (fixes.preciseUnmap()) splitEdges(pgoff, last);
        for (Range r : overlapping(pgoff, last)) {
            boolean unmapping = false;
            int nr = r.nr();
            for (int i = 0; i < nr; i++) {
                long cur = r.get(i);
                if (unmapping) r.multi.contents[i - 1] = cur;
                else if (cur == offset) unmapping = true;
            }
            if (unmapping) shrink(r);
        }
    }

    /** shrink_remaps: nr > 2 shrinks in place; 2 becomes simple; 1 becomes empty. */
    private void shrink(Range r) {
        env.concurrentUnmapLock();
        int nr = r.nr();
        if (nr > 2) {
            r.multi.nr--;
        } else if (nr == 2) {
            long keep = r.multi.contents[0];
            freeMulti(r.multi);
            r.multi = null;
            r.offset = keep;
        } else {
            erase(r);
        }
    }

    /**
     * find_and_remap_existing: replace {@code oldOffset} by {@code newOffset}
     * in every entry overlapping the range (a simple entry is stored anew, a
     * multi entry is overwritten in place, not re-sorted). Returns whether any
     * was found. Whole entries again (unused with {@link Fixes#remapAddsNew}).
     */
    boolean remapExisting(long pgoff, long nrPages, long oldOffset, long newOffset) {
        long last = pgoff + nrPages - 1;
        boolean found = false;
        for (Range r : overlapping(pgoff, last)) {
            int nr = r.nr();
            for (int i = 0; i < nr; i++) {
                if (r.get(i) != oldOffset) continue;
                found = true;
                if (r.simple()) r.offset = newOffset;
                else r.multi.contents[i] = newOffset;
            }
        }
        return found;
    }
}
