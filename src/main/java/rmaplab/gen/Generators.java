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

    static Map<String, Generator.Param> params(Object... kv) {
        Map<String, Generator.Param> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 3) m.put((String) kv[i], new Generator.Param(((Number) kv[i + 1]).longValue(), (String) kv[i + 2]));
        return m;
    }

    /** The linux-mm case: N written one-page regions; K children; child k keeps only region k (mod N). */
    static final class LinuxMm implements Generator {
        public String name() { return "linux-mm"; }

        public String description() { return "N one-page written regions, K children, child k keeps only region k (the linux-mm thread's case)"; }

        public Map<String, Param> params() {
            return Generators.params("regions", 1000, "written one-page regions in the parent (a one-page gap after each)",
                    "children", 1000, "children forked by the parent", "base", 0x10000, "first page", "walk", 1,
                    "1: the parent walks every region at the end");
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

        public Map<String, Param> params() {
            return Generators.params("depth", 60, "generations after the first", "regions", 10, "one-page written regions",
                    "exit-middle", 0, "1: each generation exits once its child has forked (anon_vma reuse)",
                    "base", 0x20000, "first page");
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

        public Map<String, Param> params() {
            return Generators.params("server-vmas", 200, "server VMAs (written)", "server-pages", 4, "pages per server VMA",
                    "apps", 50, "apps alive at a time", "replacements", 50, "apps that exit and are replaced",
                    "app-vmas", 100, "VMAs each app maps and writes", "app-pages", 4, "pages per app VMA",
                    "cow-percent", 20, "share of inherited VMAs an app writes to", "seed", 1, "random seed",
                    "nofork", 0, "1: each app promises never to fork (nofork, the PR_SET_NOFORK idea) right after it is forked");
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

        public Map<String, Param> params() {
            return Generators.params("pages", 4096, "pages of the big heap (one VMA)", "snapshots", 3, "snapshots taken",
                    "writes", 1000, "pages the parent writes while a child lives", "seed", 1, "random seed");
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

        public Map<String, Param> params() {
            return Generators.params("pipelines", 50, "pipelines run", "stages", 3, "commands per pipeline",
                    "shell-vmas", 30, "VMAs the shell has written", "cmd-vmas", 20, "VMAs each command maps and writes",
                    "vfork", 0, "1: start commands with vfork (posix_spawn) instead of fork");
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

        public Map<String, Param> params() {
            return Generators.params("ops", 1000, "ops to write", "seed", 1, "random seed", "pages", RandomOps.Params.DEFAULT_PAGES,
                    "address window in pages (small: many merges and collisions)", "tasks", RandomOps.Params.DEFAULT_MAX_TASKS,
                    "most tasks alive at once");
        }

        public String comment(Map<String, Long> p) {
            return "random mix: " + p.get("ops") + " ops, seed " + p.get("seed") + ", window " + p.get("pages") + " pages";
        }

        public void generate(Map<String, Long> p, Consumer<Op> out) {
            new RandomOps(RandomOps.Params.of(p.get("seed"), (int) Math.min(Integer.MAX_VALUE, p.get("ops")))
                    .withWindow(RandomOps.Params.DEFAULT_BASE, (int) Math.max(16, p.get("pages")))
                    .withMaxTasks((int) Math.max(1, p.get("tasks")))).generate(out);
        }
    }

    /** realloc-like growth: a buffer grows by mremap, moving when it cannot grow in place. */
    static final class ReallocGrowth implements Generator {
        public String name() { return "realloc"; }

        public String description() { return "buffers grow like realloc: mremap in place when possible, else a move, with a child sharing them"; }

        public Map<String, Param> params() {
            return Generators.params("buffers", 8, "buffers", "steps", 20, "growth steps per buffer", "fork", 1,
                    "1: fork a child first that keeps the original pages", "seed", 1, "random seed");
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
