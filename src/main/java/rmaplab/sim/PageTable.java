package rmaplab.sim;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * One mm's page tables: leaf tables of 512 entries (as the kernel's PTE
 * pages), found by vpage >> 9. Memory grows with the tables in use, not with
 * the address space, and reading a range costs one lookup per 512 pages.
 */
public final class PageTable {
    static final int SHIFT = 9, SIZE = 1 << SHIFT, MASK = SIZE - 1;

    private final Long2ObjectOpenHashMap<long[]> tables = new Long2ObjectOpenHashMap<>();
    private final Long2ObjectOpenHashMap<int[]> counts = new Long2ObjectOpenHashMap<>();
    private long present;

    public long get(long vpage) {
        long[] t = tables.get(vpage >>> SHIFT);
        return t == null ? 0 : t[(int) (vpage & MASK)];
    }

    /** Sets an entry; 0 clears it. Returns the old entry. */
    long set(long vpage, long pte) {
        long key = vpage >>> SHIFT;
        long[] t = tables.get(key);
        if (t == null) {
            if (pte == 0) return 0;
            t = new long[SIZE];
            tables.put(key, t);
            counts.put(key, new int[1]);
        }
        int i = (int) (vpage & MASK);
        long old = t[i];
        t[i] = pte;
        int d = (old == 0 ? 0 : -1) + (pte == 0 ? 0 : 1);
        if (d != 0) {
            int[] c = counts.get(key);
            c[0] += d;
            present += d;
            if (c[0] == 0) {
                tables.remove(key);
                counts.remove(key);
            }
        }
        return old;
    }

    /** Present entries in this mm. */
    public long present() { return present; }

    /** Leaf tables in use. */
    public int tables() { return tables.size(); }

    /** Calls the visitor for every present entry in [start, end), ascending. */
    public void forEach(long start, long end, PteVisitor v) {
        if (start >= end) return;
        if (start >>> SHIFT == (end - 1) >>> SHIFT) { // one leaf table: no list of keys
            visitTable(start >>> SHIFT, start, end, v);
            return;
        }
        LongArrayList keys = tablesIn(start, end);
        for (int j = 0; j < keys.size(); j++) visitTable(keys.getLong(j), start, end, v);
    }

    /**
     * The keys of the leaf tables in use that cover part of [start, end),
     * ascending. The cost is bounded by the tables in use, not by the size of
     * the range: a range that spans many more tables than exist looks at the
     * existing ones instead of every possible one.
     */
    private LongArrayList tablesIn(long start, long end) {
        long first = start >>> SHIFT, last = (end - 1) >>> SHIFT;
        LongArrayList keys = new LongArrayList((int) Math.min(tables.size(), last - first + 1));
        if (last - first > 4L * tables.size() + 16) {
            for (long key : tables.keySet()) if (key >= first && key <= last) keys.add(key);
            keys.sort(null);
        } else {
            for (long k = first; k <= last; k++) if (tables.containsKey(k)) keys.add(k);
        }
        return keys;
    }

    private void visitTable(long key, long start, long end, PteVisitor v) {
        long[] t = tables.get(key);
        if (t == null) return;
        long base = key << SHIFT;
        int from = (int) Math.max(0, start - base), to = (int) Math.min(SIZE, end - base);
        for (int i = from; i < to; i++) if (t[i] != 0) v.visit(base + i, t[i]);
    }

    /** Leaf tables per chunk in {@link #forEachChunk}: bounds the memory of a snapshot of a huge range. */
    static final int CHUNK_TABLES = 128;

    /**
     * Calls the visitor with a snapshot of each successive chunk of [start,
     * end) that has present entries: the visitor may change the table as it
     * goes, memory stays bounded whatever the size of the range, and the cost
     * is bounded by the tables in use (a huge sparse VMA costs what is mapped
     * in it, not its size).
     */
    public void forEachChunk(long start, long end, java.util.function.Consumer<long[]> chunk) {
        if (start >= end) return;
        if (start >>> SHIFT == (end - 1) >>> SHIFT) { // one leaf table, the common case: no list of keys
            long[] e = snapshotTable(start >>> SHIFT, start, end, EMPTY);
            if (e.length > 0) chunk.accept(e);
            return;
        }
        LongArrayList keys = tablesIn(start, end);
        for (int i = 0; i < keys.size(); i += CHUNK_TABLES) {
            long[] e = snapshotTables(keys, i, Math.min(i + CHUNK_TABLES, keys.size()), start, end);
            if (e.length > 0) chunk.accept(e);
        }
    }

    /** Collects (vpage, pte) pairs in [start, end) so that callers may change the table while going through them. */
    public long[] snapshot(long start, long end) {
        if (start >= end) return EMPTY;
        if (start >>> SHIFT == (end - 1) >>> SHIFT) return snapshotTable(start >>> SHIFT, start, end, EMPTY);
        LongArrayList keys = tablesIn(start, end);
        return snapshotTables(keys, 0, keys.size(), start, end);
    }

    private static final long[] EMPTY = {};

    /** The present entries of leaf tables keys[from, to) within [start, end), as pairs in an array of their exact size. */
    private long[] snapshotTables(LongArrayList keys, int from, int to, long start, long end) {
        int n = 0;
        for (int j = from; j < to; j++) n += countTable(keys.getLong(j), start, end);
        long[] e = new long[2 * n];
        int at = 0;
        for (int j = from; j < to; j++) at = fillTable(keys.getLong(j), start, end, e, at);
        return e;
    }

    /** One leaf table's entries in [start, end); {@code none} when it has none. */
    private long[] snapshotTable(long key, long start, long end, long[] none) {
        int n = countTable(key, start, end);
        if (n == 0) return none;
        long[] e = new long[2 * n];
        fillTable(key, start, end, e, 0);
        return e;
    }

    private int countTable(long key, long start, long end) {
        long[] t = tables.get(key);
        if (t == null) return 0;
        long base = key << SHIFT;
        int from = (int) Math.max(0, start - base), to = (int) Math.min(SIZE, end - base), n = 0;
        for (int i = from; i < to; i++) if (t[i] != 0) n++;
        return n;
    }

    private int fillTable(long key, long start, long end, long[] e, int at) {
        long[] t = tables.get(key);
        if (t == null) return at;
        long base = key << SHIFT;
        int from = (int) Math.max(0, start - base), to = (int) Math.min(SIZE, end - base);
        for (int i = from; i < to; i++)
            if (t[i] != 0) {
                e[at++] = base + i;
                e[at++] = t[i];
            }
        return at;
    }

    @FunctionalInterface
    public interface PteVisitor {
        void visit(long vpage, long pte);
    }
}
