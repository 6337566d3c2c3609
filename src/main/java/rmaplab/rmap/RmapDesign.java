package rmaplab.rmap;

import rmaplab.sim.Mm;
import rmaplab.sim.Process;
import rmaplab.sim.Vma;

/**
 * One reverse-mapping design. The simulated kernel calls it at the points
 * where Linux calls into mm/rmap.c (the function each event stands for is
 * named below). A design keeps its own metadata (in {@code Vma.rmap},
 * {@code Mm.rmap}, {@code Folios.mapping/index} and its own structures),
 * records every object and lock in the ledgers of its {@link DesignContext}
 * as it happens, may read the simulated kernel, and never changes it.
 *
 * <p>Order guarantees: a VMA is announced (created, split, copied, forked)
 * before any folio is mapped in it, and removed after every PTE in it has been
 * zapped. Every PTE that maps an anonymous folio is announced with
 * {@link #pteMapped} and withdrawn with {@link #pteUnmapped}.
 */
public interface RmapDesign {
    /** Bytes of one vm_area_struct under this design (a design may grow the struct). */
    long vmaBytes();

    /** A new mm: spawn, exec, fork (before its VMAs are copied). */
    default void mmCreated(Mm mm) {}

    /** The mm's last user is gone and all its VMAs were removed. */
    default void mmDestroyed(Mm mm) {}

    /** dup_mmap: before the first VMA is copied. */
    default void forkStart(Mm parent, Mm child) {}

    /**
     * dup_mmap → anon_vma_fork, once per copied VMA (VM_DONTCOPY ones are not
     * copied). {@code child.anonPrepared()} is already set: false for an
     * unprepared parent VMA and for VM_WIPEONFORK. Called before the parent's
     * PTEs are copied into the child.
     */
    void forkVma(Vma parent, Vma child);

    /** dup_mmap: after the last VMA and its PTEs are copied. */
    default void forkEnd(Mm parent, Mm child) {}

    /** A process promised never to fork again (the PR_SET_NOFORK idea). */
    default void noFork(Process p) {}

    /** A new VMA from mmap that merged with nothing. */
    default void vmaCreated(Vma vma) {}

    /**
     * __anon_vma_prepare: the first anonymous folio of this VMA is about to be
     * made (fault, CoW) or the stack VMA grows. The kernel marks the VMA
     * prepared afterwards.
     */
    void anonPrepare(Vma vma);

    /** folio_add_new_anon_rmap: a new anonymous folio (a fault's or a CoW copy) mapped at vpage of vma. */
    void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive);

    /** folio_move_anon_rmap: an exclusive folio is reused on a write fault by vma's process. */
    void reuseAnonFolio(int folio, Vma vma, long vpage);

    /** A PTE now maps the folio (new folio, fork copy, mremap move, migration). */
    default void pteMapped(int folio, Vma vma, long vpage) {}

    /** A PTE no longer maps the folio (zap, CoW, mremap move, migration). */
    default void pteUnmapped(int folio, Vma vma, long vpage) {}

    /** The folio's last mapping is gone; its id will be reused. */
    default void folioFreed(int folio) {}

    /**
     * Migration: {@code newFolio} takes {@code oldFolio}'s place. Called before
     * the PTEs move. The default copies folio->mapping and folio->index, as
     * folio_migrate_mapping does.
     */
    void folioMigrated(int oldFolio, int newFolio);

    /** is_mergeable_anon_vma: may this merge happen as far as the rmap is concerned? */
    boolean isMergeableAnon(AnonMerge q);

    /**
     * When both neighbours would be joined (prev + range + next): may prev and
     * next become one VMA? Linux: their anon_vmas are equal or one is NULL.
     */
    boolean isMergeableAnonBoth(Vma prev, Vma next);

    /** __split_vma: {@code orig} was shrunk and {@code created} (a dup of it) holds the rest. */
    void vmaSplit(Vma orig, Vma created);

    /** dup_anon_vma: the unprepared {@code dst} takes the anonymous state of {@code src} during a merge. */
    void vmaDupAnon(Vma dst, Vma src);

    /** A VMA's range or pgoff changed in place (merge expand/shrink, stack growth, mremap resize). */
    void vmaAdjusted(Vma vma, long oldStart, long oldEnd, long oldPgoff);

    /** copy_vma: {@code copy} is a new VMA holding src's mapping at its new place (mremap move). */
    void vmaCopied(Vma src, Vma copy);

    /** unlink_anon_vmas + vm_area_free: the VMA is gone (munmap, exit, exec, merge). */
    void vmaRemoved(Vma vma);

    /** rmap_walk: examine every place the folio may be mapped, reporting to the sink. */
    void walk(int folio, WalkSink sink);
}
