package rmaplab.gen;

import java.util.BitSet;

/**
 * The random generator's sketch of one address space over its window: page
 * sets indexed by page - base. It never knows the truth exactly, so each set
 * errs on its own safe side:
 * <ul>
 * <li>{@code maybe}: pages that may be mapped (a superset: an mmap on pages
 * outside it never overlaps a mapping);
 * <li>{@code sure}: pages that surely are mapped (a subset: they bound how far
 * a stack can grow down, and ranges of them are safe to work on);
 * <li>{@code stack}, {@code dontcopy}: pages that may belong to a stack or to
 * a VM_DONTCOPY mapping;
 * <li>{@code edges}: every page where a VMA may begin or end (a superset:
 * merges are not tracked), so a range of sure pages without an edge inside
 * lies in one VMA.
 * </ul>
 * Where an op's outcome depends on what the sketch does not track (an mremap
 * may fail with EFAULT, a stack may be refused growth by the guard gap), each
 * set assumes the worst for itself.
 */
final class MmSketch {
    final BitSet maybe = new BitSet(), sure = new BitSet(), stack = new BitSet(), dontcopy = new BitSet(),
            edges = new BitSet();
    /** Pages in the window. */
    private final int pages;

    MmSketch(int pages) { this.pages = pages; }

    /** dup_mmap: the child gets every VMA but the VM_DONTCOPY ones (and none of them is VM_DONTCOPY). */
    MmSketch forkCopy() {
        MmSketch c = new MmSketch(pages);
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

    /** A VMA may begin at {@code from} and end at {@code to} (window indexes). */
    void edges(int from, int to) {
        edges.set(from);
        if (to < pages) edges.set(to);
    }

    /**
     * A touch of a page that may be unmapped may grow a stack down to it
     * (expand_downwards): the first VMA above the page, which starts at or
     * below the first page surely mapped, may be a stack. Everything from the
     * page up to the highest page that may be a stack's start may now be mapped.
     */
    void touched(int i) {
        if (sure.get(i)) return;
        int d = sure.nextSetBit(i + 1);
        if (d < 0) d = pages - 1;
        int q = stack.previousSetBit(d);
        if (q <= i) return;
        maybe.set(i, q);
        stack.set(i, q);
        edges.set(i);
        if (!dontcopy.get(i, q + 1).isEmpty()) dontcopy.set(i, q);
    }

    /**
     * mremap of the window indexes [a, oldEnd) to [n, newEnd) ({@code n == a}:
     * in place): which pages end up mapped depends on where the VMAs begin
     * and end, which the sketch does not know, and on whether the kernel
     * checks the source before it unmaps the destination. So pages that may
     * be unmapped leave the sure set, pages that may become mapped join the
     * maybe set, and only ranges unmapped whatever happens leave it.
     */
    void mremap(int a, int oldEnd, int n, int newEnd) {
        boolean src = maybe.get(a); // no VMA at addr: EFAULT, nothing happens
        boolean srcSure = sure.get(a);
        boolean st = !stack.get(a, oldEnd).isEmpty(), dc = !dontcopy.get(a, oldEnd).isEmpty();
        if (n == a) {
            if (newEnd < oldEnd) { // shrink: munmap of the tail
                if (srcSure) unmap(newEnd, oldEnd);
                else sure.clear(newEnd, oldEnd);
            } else if (newEnd > oldEnd && src) { // growth in place, if the pages after the VMA are free
                maybe.set(oldEnd, newEnd);
                if (st) stack.set(oldEnd, newEnd);
                if (dc) dontcopy.set(oldEnd, newEnd);
            }
            return;
        }
        if (n < oldEnd && a < newEnd) return; // the ranges overlap: EINVAL
        sure.clear(n, newEnd);
        sure.clear(a, oldEnd);
        if (src) {
            maybe.set(n, newEnd);
            if (st) stack.set(n, newEnd);
            if (dc) dontcopy.set(n, newEnd);
            // a same-size move takes every VMA in the range along (remap_move): so do their edges
            if (oldEnd - a == newEnd - n)
                for (int e = edges.nextSetBit(a + 1); e >= 0 && e < oldEnd; e = edges.nextSetBit(e + 1))
                    edges.set(n + (e - a));
        }
    }
}
