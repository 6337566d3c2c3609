package rmaplab.sim;

/**
 * The hook points of the simulated kernel: where Linux calls into mm/rmap.c
 * (include/linux/rmap.h), a design is called. Every hook but the walk has a
 * default that does nothing (or allows the merge), so a design implements
 * only what it keeps state for. A design records its objects and locks in
 * the ledgers of its {@link DesignContext} as it goes, keeps its per-VMA,
 * per-mm and per-folio state in its own tables ({@link PerVma},
 * {@link PerMm}, {@link PerFolio}), may read the simulated kernel, and never
 * changes it.
 *
 * <p>Order guarantees: a VMA is announced (a change that inserts it, or a
 * fork) before any folio is mapped in it, and removed (a change that removes
 * it) after every PTE in it has been zapped. Every PTE that maps an anonymous
 * folio is announced with {@link #pteMapped} and withdrawn with
 * {@link #pteUnmapped}. A new folio is announced ({@link #newAnonFolio} or
 * {@link #folioMigrated}) before anything else names it.
 */
public interface RmapDesign {
    /** Bytes this design adds to every vm_area_struct (fields a proposal adds to the struct). */
    default long vmaGrowthBytes() { return 0; }

    /** mm_init: a new mm (spawn, exec, fork before its VMAs are copied). */
    default void mmCreated(Mm mm) {}

    /** The mm's last user is gone and all its VMAs were removed (exit_mmap, mmdrop). */
    default void mmDestroyed(Mm mm) {}

    /** dup_mmap: before the first VMA is copied. */
    default void forkStart(Mm parent, Mm child) {}

    /**
     * dup_mmap → anon_vma_fork, once per copied VMA (VM_DONTCOPY ones are not
     * copied). {@code child.anonPrepared()} is already set: false for an
     * unprepared parent VMA and for VM_WIPEONFORK. Called before the parent's
     * PTEs are copied into the child.
     */
    default void forkVma(Vma parent, Vma child) {}

    /** dup_mmap: after the last VMA and its PTEs are copied. */
    default void forkEnd(Mm parent, Mm child) {}

    /** A process promised never to fork again (the PR_SET_NOFORK idea). */
    default void noFork(Process p) {}

    /**
     * __anon_vma_prepare: the first anonymous folio of this VMA is about to be
     * made (fault, CoW) or the stack VMA grows. The kernel marks the VMA
     * prepared afterwards.
     */
    /**
     * Migration of the folio starts (migrate_folio_unmap: folio_get_anon_vma
     * takes a reference on the folio's anon_vma, so that it outlives the
     * folio's mappings until {@link #migrationEnd}).
     */
    default void migrationStart(int folio) {}

    /** Migration of the folio ends (put_anon_vma in migrate_folio_move). */
    default void migrationEnd(int folio) {}

    default void anonPrepare(Vma vma) {}

    /** folio_add_new_anon_rmap: a new anonymous folio (a fault's or a CoW copy) mapped at vpage of vma. */
    default void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {}

    /** folio_move_anon_rmap: an exclusive folio is reused on a write fault by vma's process. */
    default void reuseAnonFolio(int folio, Vma vma, long vpage) {}

    /** A PTE now maps the folio (new folio, fork copy, mremap move, migration). */
    default void pteMapped(int folio, Vma vma, long vpage) {}

    /** A PTE no longer maps the folio (zap, CoW, mremap move, migration). */
    default void pteUnmapped(int folio, Vma vma, long vpage) {}

    /** The folio's last mapping is gone; its id will be reused. */
    default void folioFreed(int folio) {}

    /**
     * Migration: {@code newFolio} takes {@code oldFolio}'s place, before the
     * PTEs move (folio_migrate_mapping copies folio->mapping and
     * folio->index; the kernel has already copied the index).
     */
    default void folioMigrated(int oldFolio, int newFolio) {}

    /** is_mergeable_anon_vma: may this merge happen as far as the rmap is concerned? */
    default boolean isMergeableAnon(AnonMerge q) { return true; }

    /**
     * When both neighbours would be joined (prev + range + next): may prev and
     * next become one VMA? Linux: their anon_vmas are equal or one is NULL.
     */
    default boolean isMergeableAnonBoth(Vma prev, Vma next) { return true; }

    /** The first phase of a VMA change (see {@link VmaChange}): old ranges, dup_anon_vma. */
    default void vmaPrepare(VmaChange c) {}

    /** The second phase of a VMA change (see {@link VmaChange}): new ranges, vma_complete. */
    default void vmaComplete(VmaChange c) {}

    /** rmap_walk: examine every place the folio may be mapped, reporting to the sink. */
    void walk(int folio, WalkSink sink);
}
