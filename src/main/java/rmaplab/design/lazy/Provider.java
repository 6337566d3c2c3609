package rmaplab.design.lazy;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/** Registers {@code lazy} (the series as posted, in the reading the package documentation names) and {@code lazy-fixed}. */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("lazy", 70, "ANON_VMA_LAZY (May 2026) as posted: no anon_vma until fork, folios keyed to their "
                        + "VMA until then, fork children share the parent's anon_vma", c -> new LazyDesign(c, Fixes.NONE))
                        .knownToMiss("misses mappings as posted: a lazy folio names one VMA, and split, merge (dup_anon_vma) and "
                                + "mremap move give its tag to others (four counterexamples, pinned in LazyFindingsTest)"),
                DesignInfo.of("lazy-fixed", 80, "lazy with its correction: a lazy VMA is upgraded to a real anon_vma before "
                        + "split, dup_anon_vma and copy_vma", c -> new LazyDesign(c, Fixes.ALL)));
    }
}
