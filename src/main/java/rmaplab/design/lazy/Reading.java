package rmaplab.design.lazy;

/**
 * The three readings of the ANON_VMA_LAZY series where its public text and
 * code leave the verdict open: how a walk reaches a lazy folio after the VMA
 * its mapping names (the "root VMA") was split, merged away or moved.
 * docs/designs/lazy.md, section 3, gives what each rests on.
 */
public enum Reading {
    /**
     * (a) The walk looks in the named VMA only; split, dup_anon_vma and
     * copy_vma copy the tag and re-point nothing (the code at 1aff34ad202e
     * shows no re-pointing in mm/vma.c). Design {@code lazy}.
     */
    NAMED_VMA,
    /**
     * (b) The walk goes from the root VMA to its mm and looks the folio's
     * address, vma_mapping_base(root) + folio->index, up in the mm's VMA tree
     * (wangtao, 3 Jun 2026); a removed root is kept by its references
     * (vm_rcuref, vma_put) while anything names it. Design {@code lazy-mm}.
     */
    MM_LOOKUP,
    /**
     * (c) The walk looks in the named VMA only, and every VMA that would carry
     * another VMA's lazy tag gets a tag of its own instead, its folios
     * re-pointed under their folio locks (a split's new part at once, a moved
     * range as move_ptes moves each PTE). No public text proposes this; it is
     * the cost of keeping reading (a)'s walk correct. Design {@code lazy-repoint}.
     */
    REPOINT
}
