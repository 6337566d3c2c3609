package rmaplab.rmap;

/** The one place where designs are registered, in the order reports show them. */
final class DesignCatalog {
    private DesignCatalog() {}

    static void registerAll() {
        Designs.register("pv", "one 24-byte reverse entry per mapping (BSD pmap pv lists): exact walks, the lower bound on visits",
                rmaplab.design.pv.PvDesign::new);
        Designs.register("linux", "anon_vma + anon_vma_chain as in Linux 6.18: per-process anon_vmas linked to all ancestors, interval-tree walks",
                rmaplab.design.linux.LinuxDesign::new);
    }
}
