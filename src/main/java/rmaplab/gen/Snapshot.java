package rmaplab.gen;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** A Redis-like snapshot: a large process forks a short-lived child and keeps writing while it lives. */
final class Snapshot implements Generator {
    public String name() { return "snapshot"; }

    public String description() { return "a large process forks a short-lived child (BGSAVE) and keeps writing while the child reads and exits"; }

    /**
     * The heap is mapped twice while a child lives: 2 x 2^24 = 3.4 x 10^7
     * mapped pages at most (64 GiB simulated). Ops: snapshots x writes,
     * 3.2 x 10^7. Each snapshot copies, reads and frees the whole heap:
     * every parameter at its maximum took 28 min (7 min of CPU) and 8.7 GB
     * (-Xmx16g) with compare --design linux on this machine.
     */
    public Map<String, Param> params() {
        return Generators.params("pages", 4096, 1, 1 << 24, "pages of the big heap (one VMA)",
                "snapshots", 3, 0, 32, "snapshots taken",
                "writes", 1000, 0, 1_000_000, "pages the parent writes while a child lives",
                "seed", 1, 0, Generators.SEED_MAX, "random seed");
    }

    public String comment(Map<String, Long> p) {
        return "snapshot: " + p.get("pages") + " pages, " + p.get("snapshots") + " snapshots, " + p.get("writes")
                + " writes during each, seed " + p.get("seed");
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        SplittableRandom rnd = new SplittableRandom(p.get("seed"));
        long pages = p.get("pages"), base = 0x200000;
        out.accept(new Op.Spawn("redis"));
        out.accept(new Op.Mmap("redis", base, pages, Prot.RW, MapKind.ANON));
        out.accept(new Op.Touch("redis", base, pages, true));
        for (long s = 0; s < p.get("snapshots"); s++) {
            String child = "save" + s;
            out.accept(new Op.Fork("redis", child));
            for (long w = 0; w < p.get("writes"); w++) out.accept(new Op.Touch("redis", base + rnd.nextLong(pages), 1, true));
            out.accept(new Op.Touch(child, base, pages, false));
            out.accept(new Op.Walk("redis", base, Math.min(pages, 64)));
            out.accept(new Op.Exit(child));
        }
    }
}
