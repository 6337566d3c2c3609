package rmaplab.design.linux;

import java.util.ArrayDeque;

/**
 * A VMA's anonymous rmap state, kept in LinuxDesign's per-VMA table: vma->anon_vma and
 * the vma->anon_vma_chain list as a literal ordered list, head first. The
 * kernel only ever adds at the head (list_add), so the list is newest first.
 */
final class VmaAnon {
    /** vma->anon_vma: where this VMA's new exclusive folios go; null while unfaulted. */
    AnonVma anonVma;
    /** vma->anon_vma_chain, head (newest) first. */
    final ArrayDeque<Avc> chain = new ArrayDeque<>(2);

    /** list_is_singular(&vma->anon_vma_chain). */
    boolean singular() { return chain.size() == 1; }
}
