package rmaplab.sim;


/**
 * The question mm/vma.c's is_mergeable_anon_vma() answers: may the range
 * being merged join {@code target}, as far as the anonymous rmap is
 * concerned? All other merge conditions (flags, file, pgoff) were already met.
 *
 * @param target     the existing neighbour the range would merge with (vmg->prev or vmg->next)
 * @param middle     the existing VMA being changed (vma_merge_existing_range), or null for a new range
 * @param source     the VMA whose anonymous state the range carries: middle, the VMA copied from
 *                   (copy_vma during mremap), or null when the range has none (a fresh mmap, brk)
 * @param copiedFrom the VMA copy_vma copies from (vmg->copied_from), or null
 * @param mergeNext  true when target is the next VMA, false when it is the previous one
 */
public record AnonMerge(Vma target, Vma middle, Vma source, Vma copiedFrom, boolean mergeNext) {}
