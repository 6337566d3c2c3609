package rmaplab.gen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** The registry of workload generators, by name. */
public final class Generators {
    private static final Map<String, Generator> ALL = new LinkedHashMap<>();

    static {
        add(new LinuxMm());
        add(new ForkChain());
        add(new ForkServer());
        add(new Snapshot());
        add(new Pipeline());
        add(new ReallocGrowth());
        add(new RandomMix());
        add(new Android());
    }

    private Generators() {}

    static void add(Generator g) { ALL.put(g.name(), g); }

    public static Map<String, Generator> all() { return Collections.unmodifiableMap(ALL); }

    public static Generator get(String name) {
        Generator g = ALL.get(name);
        if (g == null)
            throw new IllegalArgumentException("unknown generator '" + name + "'; known generators: " + String.join(", ", ALL.keySet()));
        return g;
    }

    /** Seeds: any that is not negative. */
    static final long SEED_MAX = Long.MAX_VALUE;

    /**
     * The highest first page a generator's window may start at: 2^34 pages
     * (64 TiB), so that the window, up to 20,000 pages, stays well inside
     * x86-64's user address space (2^35 pages, 128 TiB, with four-level page
     * tables).
     */
    static final long BASE_MAX = 1L << 34;

    /** Parameters in groups of five: name, default, min, max, description. */
    static Map<String, Generator.Param> params(Object... v) {
        Map<String, Generator.Param> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i += 5)
            m.put((String) v[i], new Generator.Param(((Number) v[i + 1]).longValue(), ((Number) v[i + 2]).longValue(),
                    ((Number) v[i + 3]).longValue(), (String) v[i + 4]));
        return m;
    }

    /** The linux-mm case: N written one-page regions; K children; child k keeps only region k (mod N). */
    static final class LinuxMm implements Generator {
        public String name() { return "linux-mm"; }

        public String description() { return "N one-page written regions, K children, child k keeps only region k (the linux-mm thread's case)"; }

        /**
         * Each fork copies every region and the child unmaps all but one:
         * regions x children VMA copies. At 10,000 x 10,000 that is 10^8
         * copies (3,000 x 3,000 took 31 s for linux on this machine: about
         * six minutes per design), in 50,000 ops; at most 20,000 VMAs live.
         */
        public Map<String, Param> params() {
            return Generators.params(
                    "regions", 1000, 0, 10_000, "written one-page regions in the parent (a one-page gap after each)",
                    "children", 1000, 0, 10_000, "children forked by the parent",
                    "base", 0x10000, 0, BASE_MAX, "first page",
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

    /** A deep fork chain: each generation writes its pages, then forks the next. */
    static final class ForkChain implements Generator {
        public String name() { return "fork-chain"; }

        public String description() { return "a chain of D generations, each writing the N inherited pages (CoW) before forking the next"; }

        /**
         * In linux a generation's VMA is chained to the anon_vma of every
         * ancestor (anon_vma_clone), so the chains grow as regions x depth^2 / 2:
         * 6.3 x 10^7 anon_vma_chains at 500 x 500 (300 x 300, 1.4 x 10^7
         * chains, took 43 s and 1.3 GB for linux on this machine: some five
         * GB and four minutes). Ops and pages: regions x depth, 250,000.
         */
        public Map<String, Param> params() {
            return Generators.params("depth", 60, 0, 500, "generations after the first",
                    "regions", 10, 0, 500, "one-page written regions",
                    "exit-middle", 0, 0, 1, "1: each generation exits once its child has forked (anon_vma reuse)",
                    "base", 0x20000, 0, BASE_MAX, "first page");
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

    /**
     * A fork server (Android's zygote, a pre-forking web server): the server
     * maps and writes its heap, forks apps; each app maps and writes its own
     * memory, CoW-writes part of what it inherited; some exit and are replaced.
     */
    static final class ForkServer implements Generator {
        public String name() { return "fork-server"; }

        public String description() { return "a server maps and writes memory and forks apps, which map their own, CoW-write part of the inherited, and are replaced"; }

        /**
         * Each live app maps the server's pages (server-vmas x server-pages)
         * and its own (app-vmas x app-pages): at most 500 x (16,000 + 16,000)
         * = 1.6 x 10^7 mapped pages. Every app started (apps + replacements,
         * 5,500) writes its 16,000 pages and forks 16,000 page table entries:
         * about 1.7 x 10^7 ops and 1.8 x 10^8 page faults and copies (500
         * apps of 500 x 16 pages took 16 s and 0.9 GB for linux: minutes).
         */
        public Map<String, Param> params() {
            return Generators.params("server-vmas", 200, 0, 1000, "server VMAs (written)",
                    "server-pages", 4, 1, 16, "pages per server VMA",
                    "apps", 50, 1, 500, "apps alive at a time",
                    "replacements", 50, 0, 5000, "apps that exit and are replaced",
                    "app-vmas", 100, 0, 1000, "VMAs each app maps and writes",
                    "app-pages", 4, 1, 16, "pages per app VMA",
                    "cow-percent", 20, 0, 100, "share of inherited VMAs an app writes to",
                    "seed", 1, 0, SEED_MAX, "random seed",
                    "nofork", 0, 0, 1,
                    "1: each app promises never to fork (nofork, the PR_SET_NOFORK idea) right after it is forked");
        }

        public String comment(Map<String, Long> p) {
            return "fork server: " + p.get("server-vmas") + " server VMAs, " + p.get("apps") + " apps, "
                    + p.get("replacements") + " replaced, seed " + p.get("seed")
                    + (p.get("nofork") != 0 ? ", apps promise nofork" : "");
        }

        public void generate(Map<String, Long> p, Consumer<Op> out) {
            SplittableRandom rnd = new SplittableRandom(p.get("seed"));
            long sv = p.get("server-vmas"), sp = p.get("server-pages"), av = p.get("app-vmas"), ap = p.get("app-pages");
            long stride = sp + 1, serverBase = 0x100000, appBase = serverBase + sv * stride + 0x1000;
            out.accept(new Op.Spawn("server"));
            for (long i = 0; i < sv; i++) {
                out.accept(new Op.Mmap("server", serverBase + i * stride, sp, Prot.RW, MapKind.ANON));
                out.accept(new Op.Touch("server", serverBase + i * stride, sp, true));
            }
            List<String> live = new ArrayList<>();
            long total = p.get("apps") + p.get("replacements");
            int next = 0;
            for (long a = 0; a < total; a++) {
                if (live.size() >= p.get("apps")) {
                    String victim = live.remove(rnd.nextInt(live.size()));
                    out.accept(new Op.Exit(victim));
                }
                String app = "app" + next++;
                out.accept(new Op.Fork("server", app));
                if (p.get("nofork") != 0) out.accept(new Op.NoFork(app));
                live.add(app);
                for (long i = 0; i < av; i++) {
                    out.accept(new Op.Mmap(app, appBase + i * (ap + 1), ap, Prot.RW, MapKind.ANON));
                    out.accept(new Op.Touch(app, appBase + i * (ap + 1), ap, true));
                }
                for (long i = 0; i < sv; i++)
                    if (rnd.nextInt(100) < p.get("cow-percent")) out.accept(new Op.Touch(app, serverBase + i * stride, 1, true));
            }
            if (sv > 0) out.accept(new Op.Walk("server", serverBase, sv * stride));
        }
    }

    /** A Redis-like snapshot: a large process forks a short-lived child and keeps writing while it lives. */
    static final class Snapshot implements Generator {
        public String name() { return "snapshot"; }

        public String description() { return "a large process forks a short-lived child (BGSAVE) and keeps writing while the child reads and exits"; }

        /**
         * The heap is mapped twice while a child lives: 2 x 2^24 = 3.4 x 10^7
         * mapped pages at most (64 GiB simulated; the README's ten million
         * pages and a fork fit in 3 GiB, so about 5 GiB). Each snapshot
         * copies, reads and frees the heap (some 25 s at 2^24 pages): 32 of
         * them take a quarter of an hour. Ops: snapshots x writes, 3.2 x 10^7.
         */
        public Map<String, Param> params() {
            return Generators.params("pages", 4096, 1, 1 << 24, "pages of the big heap (one VMA)",
                    "snapshots", 3, 0, 32, "snapshots taken",
                    "writes", 1000, 0, 1_000_000, "pages the parent writes while a child lives",
                    "seed", 1, 0, SEED_MAX, "random seed");
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

    /** A shell running pipelines: fork + exec of short-lived commands, which map and write a little. */
    static final class Pipeline implements Generator {
        public String name() { return "pipeline"; }

        public String description() { return "a shell runs pipelines: it forks, each child execs, maps and writes a little, and exits"; }

        /**
         * Little is mapped at once (the shell, and one pipeline's commands):
         * the cost is the commands, pipelines x stages = 160,000, each forked
         * from the shell (1,000 VMAs copied, then dropped by exec) and writing
         * 128 VMAs: 4.1 x 10^7 ops and 1.6 x 10^8 VMA copies.
         */
        public Map<String, Param> params() {
            return Generators.params("pipelines", 50, 0, 10_000, "pipelines run",
                    "stages", 3, 0, 16, "commands per pipeline",
                    "shell-vmas", 30, 0, 1000, "VMAs the shell has written",
                    "cmd-vmas", 20, 0, 128, "VMAs each command maps and writes",
                    "vfork", 0, 0, 1, "1: start commands with vfork (posix_spawn) instead of fork");
        }

        public String comment(Map<String, Long> p) {
            return "pipeline: " + p.get("pipelines") + " pipelines of " + p.get("stages") + " stages"
                    + (p.get("vfork") != 0 ? ", vfork" : ", fork");
        }

        public void generate(Map<String, Long> p, Consumer<Op> out) {
            long base = 0x300000;
            out.accept(new Op.Spawn("sh"));
            for (long i = 0; i < p.get("shell-vmas"); i++) {
                out.accept(new Op.Mmap("sh", base + 3 * i, 2, Prot.RW, MapKind.ANON));
                out.accept(new Op.Touch("sh", base + 3 * i, 2, true));
            }
            int n = 0;
            for (long pl = 0; pl < p.get("pipelines"); pl++) {
                List<String> stage = new ArrayList<>();
                for (long s = 0; s < p.get("stages"); s++) {
                    String c = "cmd" + n++;
                    out.accept(p.get("vfork") != 0 ? new Op.Vfork("sh", c) : new Op.Fork("sh", c));
                    out.accept(new Op.Exec(c));
                    for (long i = 0; i < p.get("cmd-vmas"); i++) {
                        out.accept(new Op.Mmap(c, 0x400000 + 3 * i, 2, Prot.RW, MapKind.ANON));
                        out.accept(new Op.Touch(c, 0x400000 + 3 * i, 2, true));
                    }
                    stage.add(c);
                }
                for (String c : stage) out.accept(new Op.Exit(c));
            }
        }
    }

    /** A random mix of every op, valid by construction (the oracle tests' generator, {@link RandomOps}). */
    static final class RandomMix implements Generator {
        public String name() { return "random"; }

        public String description() { return "a seeded random mix of every op and the tricky interleavings (the oracle tests' generator)"; }

        /**
         * The generator scans its window for free places and its tasks for
         * one to pick: it writes about 10^5 ops a second with the default
         * window, some 2 x 10^4 with 4,096 pages, so ten million ops take
         * minutes. Mapped pages: at most tasks x pages, 10^6. (The window
         * needs at least 16 pages and the task bound 3: RandomOps.Params.)
         */
        public Map<String, Param> params() {
            return Generators.params("ops", 1000, 0, 10_000_000, "ops to write",
                    "seed", 1, 0, SEED_MAX, "random seed",
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

    /** realloc-like growth: a buffer grows by mremap, moving when it cannot grow in place. */
    static final class ReallocGrowth implements Generator {
        public String name() { return "realloc"; }

        public String description() { return "buffers grow like realloc: mremap in place when possible, else a move, with a child sharing them"; }

        /**
         * A buffer doubles each step up to half its 65,536-page slot (32,768
         * pages, after 15 steps) and is written whole after each step: at
         * most 256 x 32,768 = 8.4 x 10^6 mapped pages, and 256 x 100 x 32,768
         * = 8.4 x 10^8 pages written (minutes), in 51,000 ops.
         */
        public Map<String, Param> params() {
            return Generators.params("buffers", 8, 0, 256, "buffers",
                    "steps", 20, 0, 100, "growth steps per buffer",
                    "fork", 1, 0, 1, "1: fork a child first that keeps the original pages",
                    "seed", 1, 0, SEED_MAX, "random seed");
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
}
