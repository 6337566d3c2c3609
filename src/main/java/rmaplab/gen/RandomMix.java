package rmaplab.gen;

import java.util.Map;
import java.util.function.Consumer;
import rmaplab.workload.Op;

/** A random mix of every op, valid by construction (the oracle tests' generator, {@link RandomOps}). */
final class RandomMix implements Generator {
    public String name() { return "random"; }

    public String description() { return "a seeded random mix of every op and the tricky interleavings (the oracle tests' generator)"; }

    /**
     * The generator scans its window for free places and its tasks for
     * one to pick, so a wider window writes slower: some 10^4 ops a
     * second with 16,384 pages and under 10^3 with 65,536, against 10^5 with
     * the default. Mapped pages: at most tasks x pages, 10^6. A million
     * ops in 4,096 pages with 256 tasks took 2 min with compare --design
     * linux on this machine: ten million, twenty minutes. (The window
     * needs at least 16 pages and the task bound 3: RandomOps.Params.)
     */
    public Map<String, Param> params() {
        return Generators.params("ops", 1000, 0, 10_000_000, "ops to write",
                "seed", 1, 0, Generators.SEED_MAX, "random seed",
                "pages", RandomOps.Params.DEFAULT_PAGES, 16, 4096,
                "address window in pages (small: many merges and collisions)",
                "tasks", RandomOps.Params.DEFAULT_MAX_TASKS, 3, 256, "most tasks alive at once");
    }

    public String comment(Map<String, Long> p) {
        return "random mix: " + p.get("ops") + " ops, seed " + p.get("seed") + ", window " + p.get("pages") + " pages";
    }

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        new RandomOps(RandomOps.Params.of(p.get("seed"), Math.toIntExact(p.get("ops")))
                .withWindow(RandomOps.Params.DEFAULT_BASE, Math.toIntExact(p.get("pages")))
                .withMaxTasks(Math.toIntExact(p.get("tasks")))).generate(out);
    }
}
