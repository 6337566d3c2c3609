package rmaplab.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * A fork server (Android's zygote, a pre-forking web server): the server
 * maps and writes its heap, forks apps; each app maps and writes its own
 * memory, CoW-writes part of what it inherited; some exit and are replaced.
 */
final class ForkServer implements Generator {
    public String name() { return "fork-server"; }

    public String description() { return "a server maps and writes memory and forks apps, which map their own, CoW-write part of the inherited, and are replaced"; }

    /**
     * Each live app maps the server's pages (server-vmas x server-pages)
     * and its own (app-vmas x app-pages): at most 500 x (16,000 + 16,000)
     * = 1.6 x 10^7 mapped pages, 10^6 VMAs. Every app started (apps +
     * replacements, 5,500) copies 16,000 page table entries and writes
     * its own 16,000 pages. Every parameter at its maximum (cow-percent
     * 100): 1.65 x 10^7 ops; compare --design linux took 8.6 min and
     * 11 GB (-Xmx16g) on this machine.
     */
    public Map<String, Param> params() {
        return Generators.params("server-vmas", 200, 0, 1000, "server VMAs (written)",
                "server-pages", 4, 1, 16, "pages per server VMA",
                "apps", 50, 1, 500, "apps alive at a time",
                "replacements", 50, 0, 5000, "apps that exit and are replaced",
                "app-vmas", 100, 0, 1000, "VMAs each app maps and writes",
                "app-pages", 4, 1, 16, "pages per app VMA",
                "cow-percent", 20, 0, 100, "share of inherited VMAs an app writes to",
                "seed", 1, 0, Generators.SEED_MAX, "random seed",
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
