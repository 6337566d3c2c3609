package rmaplab.design.lazy;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/**
 * Registers the readings of ANON_VMA_LAZY ({@code lazy}, {@code lazy-mm},
 * {@code lazy-repoint}; see {@link Reading} and docs/designs/lazy.md) and
 * {@code lazy-fixed}.
 */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("lazy", 70, "ANON_VMA_LAZY (linux-mm, May 2026), reading (a): a lazy folio names its root VMA "
                        + "and the walk looks there only; split and copy_vma copy the tag, nothing is re-pointed (mm/vma.c @ "
                        + "1aff34ad202e). In every reading: no anon_vma until fork, children share the parent's; a lazy VMA "
                        + "merges only with its own tag (vma_is_fork_child unchanged); vm_area_struct keeps its size "
                        + "(vm_rcuref fills a hole)", c -> new LazyDesign(c, Reading.NAMED_VMA, Fixes.NONE))
                        .knownToMiss("reading (a) misses mappings: split and mremap move give a lazy VMA's tag to another "
                                + "VMA (three counterexamples, pinned in LazyFindingsTest)"),
                DesignInfo.of("lazy-mm", 72, "ANON_VMA_LAZY, reading (b), the author's description (lkml, 3 Jun 2026): as lazy, "
                        + "but the walk looks vma_mapping_base(root) + folio->index up in the root's mm, and a removed root is "
                        + "kept (vma_put) while anything names it", c -> new LazyDesign(c, Reading.MM_LOOKUP, Fixes.NONE))
                        .knownToMiss("reading (b) misses mappings moved by mremap: the root's address no longer leads to "
                                + "them (three counterexamples, pinned in LazyReadingsTest)"),
                DesignInfo.of("lazy-repoint", 74, "ANON_VMA_LAZY, reading (c), proposed by no one: as lazy, but a split's new "
                        + "part and an mremap copy get a tag of their own and their folios are re-pointed (a folio lock each)",
                        c -> new LazyDesign(c, Reading.REPOINT, Fixes.NONE)),
                DesignInfo.of("lazy-fixed", 80, "as lazy, corrected: a lazy VMA is upgraded to a real anon_vma before split "
                        + "and copy_vma", c -> new LazyDesign(c, Reading.NAMED_VMA, Fixes.ALL)));
    }
}
