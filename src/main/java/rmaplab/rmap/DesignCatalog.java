package rmaplab.rmap;

/** The one place where designs are registered, in the order reports show them. */
final class DesignCatalog {
    private DesignCatalog() {}

    static void registerAll() {
        Designs.register("pv", "one 24-byte reverse entry per mapping (BSD pmap pv lists): exact walks, the lower bound on visits",
                rmaplab.design.pv.PvDesign::new);
    }
}
