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
    /** What every reading shares, from the series' text and code (docs/designs/lazy.md, section 2). */
    private static final String COMMON = "no anon_vma until fork, fork children share the parent's anon_vma, "
            + "a lazy VMA merges only with one of the same tag (vma_is_fork_child unchanged), vm_area_struct unchanged "
            + "(vm_rcuref fills a hole)";

    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("lazy", 70, "ANON_VMA_LAZY (May 2026), reading (a): a lazy folio names its root VMA and the walk "
                        + "looks there only; split and copy_vma copy the tag and re-point nothing (the code in mm/vma.c); "
                        + COMMON, c -> new LazyDesign(c, Reading.NAMED_VMA, Fixes.NONE))
                        .knownToMiss("reading (a) misses mappings: split and mremap move give a lazy VMA's tag to another "
                                + "VMA (three counterexamples, pinned in LazyFindingsTest)"),
                DesignInfo.of("lazy-mm", 72, "ANON_VMA_LAZY, reading (b), the author's (lkml 3 Jun 2026): the walk goes from the "
                        + "root VMA to its mm and looks vma_mapping_base(root) + folio->index up in the mm's VMA tree; a removed "
                        + "root is kept by references (vma_put) while named; " + COMMON,
                        c -> new LazyDesign(c, Reading.MM_LOOKUP, Fixes.NONE))
                        .knownToMiss("reading (b) misses mappings moved by mremap: the root's address no longer leads to "
                                + "them (two counterexamples, pinned in LazyReadingsTest)"),
                DesignInfo.of("lazy-repoint", 74, "ANON_VMA_LAZY, reading (c), proposed by no one: reading (a)'s walk, "
                        + "with a split's new part and an mremap copy given a tag of their own and their folios re-pointed "
                        + "(folio lock each); " + COMMON, c -> new LazyDesign(c, Reading.REPOINT, Fixes.NONE)),
                DesignInfo.of("lazy-fixed", 80, "reading (a) with its correction: a lazy VMA is upgraded to a real anon_vma "
                        + "before split and copy_vma", c -> new LazyDesign(c, Reading.NAMED_VMA, Fixes.ALL)));
    }
}
