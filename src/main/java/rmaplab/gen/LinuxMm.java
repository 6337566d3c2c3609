package rmaplab.gen;

import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** The linux-mm case: N written one-page regions; K children; child k keeps only region k (mod N). */
final class LinuxMm implements Generator {
    public String name() { return "linux-mm"; }

    public String description() { return "N one-page written regions, K children, child k keeps only region k (the linux-mm thread's case)"; }

    /**
     * Each fork copies every region and the child unmaps all but one:
     * regions x children VMA copies, at most 30,000 VMAs live. At
     * 10,000 x 10,000: 50,000 ops, 10^8 VMA copies and 2 x 10^8
     * anon_vma_chains allocated in turn; compare --design linux took
     * 15 min on this machine (shared, busy).
     */
    public Map<String, Param> params() {
        return Generators.params(
                "regions", 1000, 0, 10_000, "written one-page regions in the parent (a one-page gap after each)",
                "children", 1000, 0, 10_000, "children forked by the parent",
                "base", 0x10000, 0, Generators.BASE_MAX, "first page",
                "walk", 1, 0, 1, "1: the parent walks every region at the end");
    }

    public String comment(Map<String, Long> p) {
        return "linux-mm case: " + p.get("regions") + " regions x " + p.get("children")
                + " children, child k keeps region k (rmaplab gen linux-mm)";
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        long n = p.get("regions"), k = p.get("children"), base = p.get("base");
        out.accept(new Op.Spawn("P"));
        for (long i = 0; i < n; i++) out.accept(new Op.Mmap("P", base + 2 * i, 1, Prot.RW, MapKind.ANON));
        for (long i = 0; i < n; i++) out.accept(new Op.Touch("P", base + 2 * i, 1, true));
        for (long c = 0; c < k; c++) {
            String name = "C" + c;
            out.accept(new Op.Fork("P", name));
            long keep = n == 0 ? 0 : c % n;
            if (keep > 0) out.accept(new Op.Munmap(name, base, 2 * keep));
            if (keep + 1 < n) out.accept(new Op.Munmap(name, base + 2 * (keep + 1), 2 * (n - keep - 1)));
        }
        if (p.get("walk") != 0 && n > 0) out.accept(new Op.Walk("P", base, 2 * n));
    }
}
