package rmaplab.steps;

/**
 * The kernel's locks and protections a step may hold, with the primitive
 * each one is in Linux 6.18. {@link #sleeps} says whether taking it may sleep
 * (an rwsem or a mutex-like lock), which is forbidden inside an RCU read
 * section; spinlocks and RCU itself do not sleep.
 */
public enum LockClass {
    /** mm->mmap_lock, an rwsem (include/linux/mmap_lock.h); id: the mm. */
    MMAP_LOCK("mmap_lock", true),
    /** anon_vma->root->rwsem (anon_vma_lock_write / anon_vma_lock_read, mm/rmap.c); id: the root anon_vma. */
    ANON_VMA("anon_vma.rwsem", true),
    /** The page-table lock (pte_offset_map_lock / page_vma_mapped_walk); id: the mm (one lock per mm in the model). */
    PTL("ptl", false),
    /** The folio lock (folio_lock, mm/filemap.c); id: the folio. A sleeping lock. */
    FOLIO_LOCK("folio_lock", true),
    /** rcu_read_lock: a read section, shared by everyone, never waits. */
    RCU("rcu", false),
    /** A design's own lock that is not one of Linux's (named in the design's package documentation). */
    DESIGN("design", true);

    public final String label;
    public final boolean sleeps;

    LockClass(String label, boolean sleeps) {
        this.label = label;
        this.sleeps = sleeps;
    }
}
