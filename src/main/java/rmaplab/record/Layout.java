package rmaplab.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the importer knows of one address space: which pages are mapped, and
 * for each range whether it is a grows-down stack and whether MADV_DONTFORK
 * keeps it out of a child. Only coverage is kept (no protection, no kind):
 * enough to write an mmap that never overlaps, to find a fault's mapping, and
 * to copy the layout at fork. Pages, not bytes. One entry per range of equal
 * flags; adjacent ranges are not merged (coverage is all that matters).
 */
final class Layout {
    static final int STACK = 1, DONTFORK = 2;

    /** A mapped range [start, end) with its flags. */
    record Range(long start, long end, int flags) {}

    private final TreeMap<Long, Range> ranges = new TreeMap<>();

    /** The brk value (bytes) last returned by brk(2) in this mm, or -1 when not known yet. */
    long brk = -1;

    Layout copyForFork() {
        Layout c = new Layout();
        for (Range r : ranges.values()) if ((r.flags & DONTFORK) == 0) c.ranges.put(r.start, r);
        c.brk = brk;
        return c;
    }

    int size() { return ranges.size(); }

    /** Whether some range has {@code flag}. */
    boolean any(int flag) {
        for (Range r : ranges.values()) if ((r.flags & flag) != 0) return true;
        return false;
    }

    /** The mapped ranges with adjacent ones joined, in address order. */
    List<Range> extents() {
        List<Range> out = new ArrayList<>();
        for (Range r : ranges.values()) {
            Range last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.end() == r.start()) out.set(out.size() - 1, new Range(last.start(), r.end(), 0));
            else out.add(new Range(r.start(), r.end(), 0));
        }
        return out;
    }

    /** The range holding page p, or null. */
    Range find(long p) {
        Map.Entry<Long, Range> e = ranges.floorEntry(p);
        return e != null && e.getValue().end > p ? e.getValue() : null;
    }

    /** The first range that starts at or above p, or null. */
    Range above(long p) {
        Map.Entry<Long, Range> e = ranges.ceilingEntry(p);
        return e == null ? null : e.getValue();
    }

    /** The mapped parts of [start, end), in address order. */
    List<Range> overlaps(long start, long end) {
        List<Range> out = new ArrayList<>();
        Map.Entry<Long, Range> first = ranges.floorEntry(start);
        long from = first != null && first.getValue().end > start ? first.getKey() : start;
        for (Range r : ranges.subMap(from, true, end, false).values()) {
            long s = Math.max(r.start, start), e = Math.min(r.end, end);
            if (s < e) out.add(new Range(s, e, r.flags));
        }
        return out;
    }

    boolean free(long start, long end) { return overlaps(start, end).isEmpty(); }

    /** Whether every page of [start, end) is mapped. */
    boolean covered(long start, long end) {
        long n = 0;
        for (Range r : overlaps(start, end)) n += r.end() - r.start();
        return n == end - start;
    }

    /** Unmaps [start, end): ranges partly inside are cut. */
    void remove(long start, long end) {
        split(start);
        split(end);
        ranges.subMap(start, true, end, false).clear();
    }

    /** Maps [start, end) with flags; the caller has made sure the range is free. */
    void add(long start, long end, int flags) {
        if (start >= end) return;
        ranges.put(start, new Range(start, end, flags));
    }

    /** Sets (on) or clears (off) a flag on the mapped parts of [start, end). */
    void flag(long start, long end, int flag, boolean on) {
        split(start);
        split(end);
        List<Range> inside = new ArrayList<>(ranges.subMap(start, true, end, false).values());
        for (Range r : inside) ranges.put(r.start, new Range(r.start, r.end, on ? r.flags | flag : r.flags & ~flag));
    }

    /** Cuts the range holding p in two at p (no-op at a boundary or a hole). */
    private void split(long p) {
        Range r = find(p);
        if (r == null || r.start == p) return;
        ranges.put(r.start, new Range(r.start, p, r.flags));
        ranges.put(p, new Range(p, r.end, r.flags));
    }
}
