package rmaplab.design.cowctx;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/** Registers {@code cowctx} (the proof of concept as written) and {@code cowctx-fixed}. */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("cowctx", 50, "the COW context PoC (Stoakes, 2026) as written: a context per mm in a fork tree, "
                        + "remap entries per offset", c -> new CowCtxDesign(c, Fixes.NONE))
                        .knownToMiss("misses mappings as written (six counterexamples, pinned in CowCtxFindingsTest)"),
                DesignInfo.of("cowctx-fixed", 60, "cowctx with the corrections its oracle failures call for (exclusive early "
                        + "stop, remap ranges, offset insertion, first fault)", c -> new CowCtxDesign(c, Fixes.ALL)));
    }
}
