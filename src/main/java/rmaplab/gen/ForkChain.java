package rmaplab.gen;

import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** A deep fork chain: each generation writes its pages, then forks the next. */
final class ForkChain implements Generator {
    public String name() { return "fork-chain"; }

    public String description() { return "a chain of D generations, each writing the N inherited pages (CoW) before forking the next"; }

    /**
     * In linux a generation's VMA is chained to the anon_vma of every
     * ancestor (anon_vma_clone), so the chains grow as regions x depth^2 / 2:
     * at 500 x 500, 6.3 x 10^7 anon_vma_chains live at the end (3.8 GiB
     * by the model's count) for 250,000 ops and pages; compare --design
     * linux took 8.5 min and 7.5 GB (-Xmx16g) on this machine.
     */
    public Map<String, Param> params() {
        return Generators.params("depth", 60, 0, 500, "generations after the first",
                "regions", 10, 0, 500, "one-page written regions",
                "exit-middle", 0, 0, 1, "1: each generation exits once its child has forked (anon_vma reuse)",
                "base", 0x20000, 0, Generators.BASE_MAX, "first page");
    }

    public String comment(Map<String, Long> p) {
        return "fork chain: depth " + p.get("depth") + ", " + p.get("regions") + " regions"
                + (p.get("exit-middle") != 0 ? ", middle generations exit" : "");
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        long d = p.get("depth"), n = p.get("regions"), base = p.get("base");
        boolean exitMiddle = p.get("exit-middle") != 0;
        out.accept(new Op.Spawn("G0"));
        for (long i = 0; i < n; i++) out.accept(new Op.Mmap("G0", base + 2 * i, 1, Prot.RW, MapKind.ANON));
        for (long i = 0; i < n; i++) out.accept(new Op.Touch("G0", base + 2 * i, 1, true));
        for (long g = 1; g <= d; g++) {
            String parent = "G" + (g - 1), child = "G" + g;
            out.accept(new Op.Fork(parent, child));
            for (long i = 0; i < n; i++) out.accept(new Op.Touch(child, base + 2 * i, 1, true));
            if (exitMiddle && g >= 2) out.accept(new Op.Exit(parent));
        }
        if (n > 0) out.accept(new Op.Walk("G0", base, 2 * n));
    }
}
