package rmaplab.sim;

import java.util.List;
import java.util.Objects;

/**
 * mm/vma.c: every change of an mm's VMA tree as one {@link VmaChange} run in
 * the kernel's phases ({@link #commit}), and the functions that build them:
 * __split_vma, vma_merge_new_range (vma_expand), vma_merge_existing_range,
 * vma_modify, copy_vma's new VMA, the munmap/exit removal and stack growth.
 */
final class Vmas {
    private final Machine m;

    Vmas(Machine m) { this.m = m; }

    /**
     * Runs a change: the design's prepare phase with the old ranges, then the
     * tree update (removed VMAs detached, ranges set, the new VMA linked), then
     * the design's complete phase, then vm_area_free of the removed VMAs.
     */
    void commit(VmaChange c) { commit(c, true); }

    /** As {@link #commit(VmaChange)}; without {@code free} the removed VMAs are left for the caller to free. */
    private void commit(VmaChange c, boolean free) {
        RmapDesign design = m.design;
        design.vmaPrepare(c);
        if (c.dupFrom() != null) c.vma().anonPrepared = true;
        Mm mm = c.mm();
        for (Vma r : c.removed()) mm.remove(r);
        for (VmaChange.Adjust a : c.adjusted()) mm.remove(a.vma());
        for (VmaChange.Adjust a : c.adjusted()) {
            Vma v = a.vma();
            v.start = a.newStart();
            v.end = a.newEnd();
            v.pgoff = a.newPgoff();
            mm.insert(v);
        }
        if (c.inserted() != null) mm.insert(c.inserted());
        design.vmaComplete(c);
        if (free) for (Vma r : c.removed()) m.freeVma(r);
    }

    /** The VMAs of a munmap or an exit, their PTEs already zapped: one REMOVE change. */
    void remove(Mm mm, List<Vma> gone) {
        if (gone.isEmpty()) return;
        VmaChange c = new VmaChange(VmaChange.Kind.REMOVE, mm);
        for (Vma v : gone) c.remove(v);
        commit(c);
    }

    /**
     * vms_clean_up_area (mm/vma.c), for an mmap that replaces mappings: the
     * old VMAs, their PTEs already zapped, leave the tree and lose their rmap
     * state (free_pgtables: unlink_anon_vmas) before the new mapping is made,
     * but vm_area_free waits for vms_complete_munmap_vmas, after it: the caller
     * frees them with {@link Machine#freeVma}.
     */
    void detach(Mm mm, List<Vma> gone) {
        if (gone.isEmpty()) return;
        VmaChange c = new VmaChange(VmaChange.Kind.REMOVE, mm);
        for (Vma v : gone) c.remove(v);
        commit(c, false);
    }

    /** A new mapping that merged with nothing (__mmap_new_vma). */
    Vma map(Mm mm, long start, long end, long pgoff, int flags, String file) {
        Vma v = m.allocVma(mm, start, end, pgoff, flags, file);
        commit(new VmaChange(VmaChange.Kind.MAP, mm).insert(v));
        return v;
    }

    /** copy_vma without a merge: a new VMA holding src's mapping at [start, end). */
    Vma copy(Vma src, long start, long end, long pgoff) {
        Vma dst = m.allocVma(src.mm, start, end, pgoff, src.flags, src.file);
        dst.anonPrepared = src.anonPrepared;
        commit(new VmaChange(VmaChange.Kind.COPY, src.mm).insert(dst).source(src));
        return dst;
    }

    /** expand_downwards: the stack VMA grows down to vp. */
    void expandStack(Vma v, long vp) {
        commit(new VmaChange(VmaChange.Kind.EXPAND_STACK, v.mm).vma(v).adjust(v, vp, v.end, v.pgoff - (v.start - vp)));
    }

    /**
     * __split_vma: a dup of {@code v} takes [v.start, at) when newBelow, else
     * [at, v.end); v keeps the other part. Returns the dup.
     */
    Vma split(Vma v, long at, boolean newBelow) {
        Vma n = newBelow ? m.allocVma(v.mm, v.start, at, v.pgoff, v.flags, v.file)
                : m.allocVma(v.mm, at, v.end, v.pgoff + (at - v.start), v.flags, v.file);
        n.anonPrepared = v.anonPrepared;
        VmaChange c = new VmaChange(VmaChange.Kind.SPLIT, v.mm).vma(v).insert(n);
        if (newBelow) c.adjust(v, at, v.end, v.pgoff + (at - v.start));
        else c.adjust(v, v.start, at, v.pgoff);
        commit(c);
        return n;
    }

    /**
     * is_mergeable_vma (mm/vma.c): every flag equal but VM_IGNORE_MERGE (= VM_STICKY: VM_SOFTDIRTY,
     * off on this kernel, and VM_MAYBE_GUARD, which no op of the format sets), and the same file. So
     * VM_ACCOUNT, VM_NORESERVE, VM_HUGEPAGE and VM_NOHUGEPAGE all keep VMAs apart.
     */
    private static boolean sameBacking(Vma v, int flags, String file) {
        return v.flags == flags && Objects.equals(v.file, file);
    }

    /** A proposed range for vma_merge_new_range / vma_merge_existing_range (struct vma_merge_struct). */
    static final class MergeState {
        final Mm mm;
        long start, end, pgoff;
        int flags;
        String file;
        Vma prev, next, middle, copiedFrom, source;
        boolean justExpand;

        MergeState(Mm mm, long start, long end, long pgoff, int flags, String file) {
            this.mm = mm;
            this.start = start;
            this.end = end;
            this.pgoff = pgoff;
            this.flags = flags;
            this.file = file;
        }
    }

    /** can_vma_merge_after(): the range may join prev, prev ending where it starts. */
    private boolean canMergeLeft(MergeState s) {
        Vma p = s.prev;
        return p != null && p.end == s.start && sameBacking(p, s.flags, s.file)
                && p.pgoff + p.pages() == s.pgoff
                && m.design.isMergeableAnon(new AnonMerge(p, s.middle, s.source, s.copiedFrom, false));
    }

    /** can_vma_merge_right(): the range may join next; with a left merge too, prev and next must agree. */
    private boolean canMergeRight(MergeState s, boolean left) {
        Vma n = s.next;
        if (n == null || s.end != n.start || !sameBacking(n, s.flags, s.file)) return false;
        if (s.pgoff + (s.end - s.start) != n.pgoff) return false;
        if (!m.design.isMergeableAnon(new AnonMerge(n, s.middle, s.source, s.copiedFrom, true))) return false;
        return !left || m.design.isMergeableAnonBoth(s.prev, n);
    }

    /** dup_anon_vma's condition: src has anonymous state and dst has none. */
    private static Vma dupSource(Vma dst, Vma src) {
        return src != null && src.anonPrepared && !dst.anonPrepared ? src : null;
    }

    /**
     * vma_merge_new_range (mm/vma.c): a new range [start, end) merges with an
     * adjacent prev and/or next. Returns the VMA that now covers it, or null.
     */
    Vma mergeNewRange(MergeState s) {
        if (s.prev == null && s.next == null) return null;
        boolean left = canMergeLeft(s);
        boolean right = !s.justExpand && canMergeRight(s, left);
        if (!left && !right) return null;
        Vma target;
        long start = s.start, end = s.end, pgoff = s.pgoff;
        if (right) end = s.next.end;
        if (left) {
            target = s.prev;
            start = s.prev.start;
            pgoff = s.prev.pgoff;
        } else {
            target = s.next;
        }
        // vma_expand: target grows over [start, end), next goes when it is covered (its PTEs stay:
        // the target covers its range now). Both dups are tried (61f67c230a5e, in 6.18.8): with an
        // unfaulted next removed, the anon_vma must still come from the VMA mremap copies from.
        Vma remove = right && left ? s.next : null;
        Vma dup = dupSource(target, remove);
        if (dup == null) dup = dupSource(target, s.copiedFrom);
        VmaChange c = new VmaChange(VmaChange.Kind.MERGE_NEW, s.mm).vma(target).dupFrom(dup);
        if (remove != null) c.remove(remove);
        commit(c.adjust(target, start, end, pgoff));
        return target;
    }

    /**
     * vma_modify (mm/vma.c): give [start, end) of middle new flags. First try
     * vma_merge_existing_range; otherwise split off the parts before start and
     * after end, and change middle. Returns the VMA that now holds the range.
     */
    Vma modify(Vma prevOfRange, Vma middle, long start, long end, int newFlags) {
        Vma merged = mergeExistingRange(prevOfRange, middle, start, end, newFlags);
        if (merged != null) return merged;
        if (middle.start < start) split(middle, start, true);
        if (middle.end > end) split(middle, end, false);
        middle.flags = newFlags;
        return middle;
    }

    /** vma_merge_existing_range (mm/vma.c). */
    private Vma mergeExistingRange(Vma prev, Vma middle, long start, long end, int newFlags) {
        boolean leftSide = start == middle.start, rightSide = end == middle.end;
        if (!leftSide && !rightSide) return null;
        Mm mm = middle.mm;
        MergeState s = new MergeState(mm, start, end, middle.pgoff + (start - middle.start), newFlags, middle.file);
        s.middle = middle;
        s.source = middle;
        s.prev = leftSide ? mm.prev(middle) : prev;
        s.next = rightSide ? mm.next(middle) : null;
        boolean left = leftSide && canMergeLeft(s);
        boolean right = rightSide && canMergeRight(s, left);
        if (!left && !right) return null;
        boolean removeMiddle = leftSide && rightSide;
        Vma next = s.next;
        VmaChange c = new VmaChange(VmaChange.Kind.MERGE_EXISTING, mm);
        if (left && right) {
            // prev ← middle ← next: prev grows over all; middle and next go.
            prev = s.prev;
            c.vma(prev).dupFrom(dupSource(prev, next.anonPrepared ? next : middle)).remove(middle).remove(next);
            commit(c.adjust(prev, prev.start, next.end, prev.pgoff));
            return prev;
        } else if (left) {
            prev = s.prev;
            c.vma(prev).dupFrom(dupSource(prev, middle));
            if (removeMiddle) c.remove(middle);
            else c.adjust(middle, end, middle.end, middle.pgoff + (end - middle.start)); // __adjust_middle_start
            commit(c.adjust(prev, prev.start, end, prev.pgoff));
            return prev;
        } else {
            c.vma(next).dupFrom(dupSource(next, middle));
            if (removeMiddle) c.remove(middle);
            else c.adjust(middle, middle.start, start, middle.pgoff); // __adjust_next_start
            commit(c.adjust(next, start, next.end, next.pgoff - (end - start)));
            return next;
        }
    }
}
