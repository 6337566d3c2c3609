package rmaplab.design.cowctx;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/**
 * Registers {@code cowctx} (the proof of concept as published), {@code
 * cowctx-fixed}, and {@code cowctx-fixed} with the two other costs of the
 * context pointer ({@link ContextCost}; docs/designs/cowctx.md).
 */
public final class Provider implements DesignProvider {
    /** The snapshot the model follows (ljs/linux.git, branch project/cow-context, read through its GitHub mirror). */
    static final String SNAPSHOT = "mm/cow_context.c @ a4ac1966, mm/rmap.c @ d91a1a12";

    private static String cost(ContextCost c) { return "; folio->cow_context: " + c.description; }

    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("cowctx", 50, "the COW context PoC (Stoakes, 2026) as published, a sketch its author's own "
                        + "comments mark unfinished (\"TODO: Races?\", \"Sketchy GFP_ATOMIC\"), at " + SNAPSHOT
                        + ": a context per mm in a fork tree, remap entries per offset" + cost(ContextCost.ANON_FOLIO),
                        c -> new CowCtxDesign(c, Fixes.NONE))
                        .knownToMiss("that snapshot misses mappings (six counterexamples, pinned in CowCtxFindingsTest)"),
                DesignInfo.of("cowctx-fixed", 60, "cowctx with the corrections its oracle failures call for (exclusive early "
                        + "stop, remap ranges, offset insertion, first fault)" + cost(ContextCost.ANON_FOLIO),
                        c -> new CowCtxDesign(c, Fixes.ALL)),
                DesignInfo.of("cowctx-fixed-mapping", 62, "cowctx-fixed" + cost(ContextCost.MAPPING) + " (0 bytes)",
                        c -> new CowCtxDesign(c, Fixes.ALL, ContextCost.MAPPING)),
                DesignInfo.of("cowctx-fixed-page", 64, "cowctx-fixed" + cost(ContextCost.STRUCT_PAGE),
                        c -> new CowCtxDesign(c, Fixes.ALL, ContextCost.STRUCT_PAGE)));
    }
}
