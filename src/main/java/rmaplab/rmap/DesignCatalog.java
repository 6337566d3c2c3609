package rmaplab.rmap;

/** The one place where designs are registered, in the order reports show them. */
final class DesignCatalog {
    private DesignCatalog() {}

    static void registerAll() {
        Designs.register("pv", "one 24-byte reverse entry per mapping (BSD pmap pv lists): exact walks, the lower bound on visits",
                rmaplab.design.pv.PvDesign::new);
        Designs.register("linux", "anon_vma + anon_vma_chain as in Linux 6.18: per-process anon_vmas linked to all ancestors, interval-tree walks",
                rmaplab.design.linux.LinuxDesign::new);
        Designs.register("linux-nofork", "linux plus the PR_SET_NOFORK promise: once every process using an mm promised never to fork, "
                        + "its new exclusive folios are keyed by mm and address (no anon_vma, no chain); shared ones keep linux's",
                c -> new rmaplab.design.leaf.LeafDesign(c, rmaplab.design.leaf.LeafDesign.Mode.PROMISE));
        Designs.register("leaf-bound", "the clairvoyant bound of the leaf idea: linux-nofork as if every mm had promised from the moment "
                        + "no fork copies it again (known from a first pass); leaf children get no anon_vma of their own",
                c -> new rmaplab.design.leaf.LeafDesign(c, rmaplab.design.leaf.LeafDesign.Mode.CLAIRVOYANT));
        Designs.register("cowctx", "the COW context PoC (Stoakes, 2026) as written: a context per mm in a fork tree, remap entries per offset",
                "misses mappings as written (six counterexamples, pinned in CowCtxFindingsTest)",
                c -> new rmaplab.design.cowctx.CowCtxDesign(c, rmaplab.design.cowctx.Fixes.NONE));
        Designs.register("cowctx-fixed", "cowctx with the corrections its oracle failures call for (exclusive early stop, remap ranges, offset insertion, first fault)",
                c -> new rmaplab.design.cowctx.CowCtxDesign(c, rmaplab.design.cowctx.Fixes.ALL));
        Designs.register("lazy", "ANON_VMA_LAZY (May 2026) as posted: no anon_vma until fork, folios keyed to their VMA until then, fork children share the parent's anon_vma",
                "misses mappings as posted: a lazy folio names one VMA, and split, merge (dup_anon_vma) and mremap move give its tag to others (four counterexamples, pinned in LazyFindingsTest)",
                c -> new rmaplab.design.lazy.LazyDesign(c, rmaplab.design.lazy.Fixes.NONE));
        Designs.register("lazy-fixed", "lazy with its correction: a lazy VMA is upgraded to a real anon_vma before split, dup_anon_vma and copy_vma",
                c -> new rmaplab.design.lazy.LazyDesign(c, rmaplab.design.lazy.Fixes.ALL));
    }
}
