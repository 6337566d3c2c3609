package rmaplab.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One change of an mm's VMA tree, handed to the design whole, as mm/vma.c
 * hands {@code struct vma_merge_struct} and {@code struct vma_prepare}
 * through its phases. The simulated kernel runs a change in the kernel's
 * order:
 * <ol>
 * <li>{@link RmapDesign#vmaPrepare}: every VMA still has its old range, the
 *     inserted VMA (if any) is allocated with its final range but not yet in
 *     the tree, and the VMAs to remove are still in it. Here dup_anon_vma
 *     happens ({@link #dupFrom}), before vma_prepare takes the locks.</li>
 * <li>The kernel detaches the removed VMAs, sets every adjusted VMA's new
 *     range and links the inserted one (vma_iter_store, vma_set_range).</li>
 * <li>{@link RmapDesign#vmaComplete}: ranges are new. vma_complete's work:
 *     the removed VMAs' rmap state goes (unlink_anon_vmas), the inserted
 *     one's is made (anon_vma_clone for a split or copy_vma), the adjusted
 *     VMAs are re-indexed at their new ranges.</li>
 * <li>The kernel frees the removed VMAs (vm_area_free). For an mmap that
 *     replaces mappings (MAP_FIXED) this waits until the new mapping is in
 *     place (vms_complete_munmap_vmas): between the REMOVE change and the
 *     free, a MAP or MERGE_NEW change of the same range runs.</li>
 * </ol>
 * A design may do its work in either phase; {@link #adjusted()},
 * {@link #removed()} and {@link #inserted()} are in the order the kernel
 * handles them.
 */
public final class VmaChange {
    /** What made the change; the mm/vma.c or mm/mremap.c function it stands for is named on each. */
    public enum Kind {
        /** mmap of a range that merged with nothing (__mmap_new_vma): one inserted VMA. */
        MAP,
        /** __split_vma: {@link #vma()} shrinks, {@link #inserted()} holds the rest. */
        SPLIT,
        /** vma_merge_new_range / vma_expand: a new range joins prev and/or next; next may be removed. */
        MERGE_NEW,
        /** vma_merge_existing_range: part or all of an existing VMA joins a neighbour. */
        MERGE_EXISTING,
        /** expand_downwards: a stack VMA grows to meet a fault below it. */
        EXPAND_STACK,
        /** copy_vma that merged with nothing (mremap move): {@link #inserted()} copies {@link #source()}. */
        COPY,
        /**
         * do_vmi_munmap, exit_mmap, exec, or the old mappings under a MAP_FIXED mmap (vms_clean_up_area):
         * the removed VMAs go; their PTEs are already zapped.
         */
        REMOVE
    }

    /** A VMA whose range changes in place, with the range it had before. */
    public record Adjust(Vma vma, long oldStart, long oldEnd, long oldPgoff, long newStart, long newEnd, long newPgoff) {
        /** True when the VMA lost pages (its neighbour in the same change grows over them). */
        public boolean shrinks() { return newStart > oldStart || newEnd < oldEnd; }
    }

    private final Kind kind;
    private final Mm mm;
    private Vma vma, inserted, source, dupFrom;
    private final List<Adjust> adjusted = new ArrayList<>(2);
    private final List<Vma> removed = new ArrayList<>(2);

    VmaChange(Kind kind, Mm mm) {
        this.kind = kind;
        this.mm = mm;
    }

    public Kind kind() { return kind; }
    public Mm mm() { return mm; }

    /** vp->vma: the VMA the change is about (the merge target, the VMA split), or null (MAP, COPY, REMOVE). */
    public Vma vma() { return vma; }

    /** vp->insert: the VMA the change creates (split's other part, copy_vma's copy, a new mapping), or null. */
    public Vma inserted() { return inserted; }

    /** The VMA whose mapping the change carries: the VMA copied from (COPY), or null. */
    public Vma source() { return source; }

    /**
     * dup_anon_vma's source: {@link #vma()} had no anonymous state and takes
     * this VMA's (its anon_vma and a copy of its chain), or null when no dup
     * happens. The kernel marks vma() prepared after the prepare phase.
     */
    public Vma dupFrom() { return dupFrom; }

    /** VMAs whose range changes, the one that shrinks first (vp->adj_next before vp->vma). */
    public List<Adjust> adjusted() { return Collections.unmodifiableList(adjusted); }

    /** VMAs removed by the change (vp->remove, vp->remove2, or the munmap set), in address order. */
    public List<Vma> removed() { return Collections.unmodifiableList(removed); }

    VmaChange vma(Vma v) { this.vma = v; return this; }
    VmaChange insert(Vma v) { this.inserted = v; return this; }
    VmaChange source(Vma v) { this.source = v; return this; }
    VmaChange dupFrom(Vma v) { this.dupFrom = v; return this; }
    VmaChange remove(Vma v) { removed.add(v); return this; }

    /** Adds a range change of v (ignored when nothing changes). */
    VmaChange adjust(Vma v, long start, long end, long pgoff) {
        if (v.start != start || v.end != end || v.pgoff != pgoff)
            adjusted.add(new Adjust(v, v.start, v.end, v.pgoff, start, end, pgoff));
        return this;
    }

    @Override public String toString() {
        return kind + (vma != null ? " vma=" + vma : "") + (inserted != null ? " insert=" + inserted : "")
                + (dupFrom != null ? " dup<-" + dupFrom : "") + (removed.isEmpty() ? "" : " remove=" + removed);
    }
}
