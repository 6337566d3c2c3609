package rmaplab.rmap;

/** The one place where designs are registered, in the order reports show them. */
final class DesignCatalog {
    private DesignCatalog() {}

    static void registerAll() {
        Designs.register("pv", "one 24-byte reverse entry per mapping (BSD pmap pv lists): exact walks, the lower bound on visits",
                rmaplab.design.pv.PvDesign::new);
        Designs.register("cowctx", "the COW context PoC (Stoakes, 2026) as written: a context per mm in a fork tree, remap entries per offset",
                c -> new rmaplab.design.cowctx.CowCtxDesign(c, rmaplab.design.cowctx.Fixes.NONE));
        Designs.register("cowctx-fixed", "cowctx with the corrections its oracle failures call for (exclusive early stop, remap ranges, offset insertion, first fault)",
                c -> new rmaplab.design.cowctx.CowCtxDesign(c, rmaplab.design.cowctx.Fixes.ALL));
    }
}
