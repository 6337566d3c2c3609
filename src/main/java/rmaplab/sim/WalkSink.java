package rmaplab.sim;


/**
 * Where a design's reverse walk reports what it examines. The simulated
 * kernel decides whether a visit is a real mapping (page_vma_mapped_walk),
 * as the kernel does: designs only say where they look.
 */
public interface WalkSink {
    /**
     * The walk examines virtual page {@code vpage} of {@code vma} as a place
     * the folio may be mapped. Returns false when the walk should stop: in a
     * reclaim walk once every mapping of the folio has been found
     * (folio_referenced_one and try_to_unmap stop there too); a full walk
     * (remove_migration_ptes, KSM) never asks to stop.
     */
    boolean visit(Vma vma, long vpage);

    /** Counts structural steps: tree nodes, list entries, remap entries looked at. */
    void steps(long n);

    /**
     * Counts the shared structures the walk enters to find VMAs: the
     * anon_vma whose interval tree it searches, each COW context, each mm
     * whose VMA tree it searches by address. A walk that goes straight to
     * one VMA enters none.
     */
    void entered(int n);
}
