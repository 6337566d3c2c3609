package rmaplab.gen;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** realloc-like growth: a buffer grows by mremap, moving when it cannot grow in place. */
final class ReallocGrowth implements Generator {
    public String name() { return "realloc"; }

    public String description() { return "buffers grow like realloc: mremap in place when possible, else a move, with a child sharing them"; }

    /**
     * A buffer doubles each step until it fills its 65,536-page slot and
     * is written whole after each step: at most 256 x 65,536 = 1.7 x 10^7
     * mapped pages. At 256 x 100: 30,331 ops writing 10^9 pages; compare
     * --design linux took 3.8 min and 6.4 GB (-Xmx16g) on this machine.
     */
    public Map<String, Param> params() {
        return Generators.params("buffers", 8, 0, 256, "buffers",
                "steps", 20, 0, 100, "growth steps per buffer",
                "fork", 1, 0, 1, "1: fork a child first that keeps the original pages",
                "seed", 1, 0, Generators.SEED_MAX, "random seed");
    }

    public String comment(Map<String, Long> p) {
        return "realloc growth: " + p.get("buffers") + " buffers, " + p.get("steps") + " steps, seed " + p.get("seed");
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        SplittableRandom rnd = new SplittableRandom(p.get("seed"));
        long nb = p.get("buffers"), steps = p.get("steps");
        out.accept(new Op.Spawn("P"));
        long[] addr = new long[(int) nb], len = new long[(int) nb];
        long slot = 0x10000; // each buffer owns a window of 'slot' pages; it moves within it
        for (int b = 0; b < nb; b++) {
            addr[b] = 0x500000 + b * slot;
            len[b] = 1;
            out.accept(new Op.Mmap("P", addr[b], 1, Prot.RW, MapKind.ANON));
            out.accept(new Op.Touch("P", addr[b], 1, true));
        }
        if (p.get("fork") != 0) out.accept(new Op.Fork("P", "C"));
        for (long s = 0; s < steps; s++)
            for (int b = 0; b < nb; b++) {
                long newLen = len[b] * 2;
                long window = 0x500000 + b * slot;
                boolean move = rnd.nextInt(2) == 0 || addr[b] + newLen > window + slot;
                long to = addr[b];
                if (move) {
                    to = addr[b] == window ? window + slot / 2 : window;
                    if (newLen > slot / 2) { newLen = len[b]; to = addr[b]; move = false; }
                }
                if (to != addr[b] || newLen != len[b]) out.accept(new Op.Mremap("P", addr[b], len[b], to, newLen));
                addr[b] = to;
                len[b] = newLen;
                out.accept(new Op.Touch("P", addr[b], len[b], true));
            }
        for (int b = 0; b < nb; b++) out.accept(new Op.Walk("P", addr[b], Math.min(len[b], 16)));
    }
}
