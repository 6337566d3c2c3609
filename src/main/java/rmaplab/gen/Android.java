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
 * An Android phone's processes, right after boot and after launching apps
 * (the setting of the ANON_VMA_LAZY cover letter's slab table; docs/android.md
 * says which parameter is sourced and which calibrated, and how).
 *
 * <p>init spawns the native daemons (fork, exec, their own mappings), some of
 * which fork and exec a helper that stays; init starts zygote64 (and a
 * 32-bit zygote where one is asked for), which preloads: maps its VMAs and
 * writes the anonymous ones. The zygote forks system_server, the processes
 * running right after boot and the unspecialized pool (USAP); each launched
 * app then forks {@code app-procs} processes from the zygote. A zygote child
 * maps its own VMAs, writes the anonymous ones and CoW-writes a share of
 * what it inherited; it never forks, except the first {@code forking-apps}
 * apps' main processes, which fork one child each.
 *
 * <p>Every VMA is one page with a free page after it, so no two VMAs merge:
 * written anonymous ones ({@code rw-}, one write each) get an anon_vma under
 * linux, the others (private file mappings {@code r--} of a library, never
 * written) do not. Nothing exits at the end: with Android 14's default of
 * 1024 cached processes, none is killed.
 */
final class Android implements Generator {
    public String name() { return "android"; }

    public String description() {
        return "an Android phone after boot (apps=0) or after launching apps: init, daemons, zygote, system_server, apps (docs/android.md)";
    }

    @Override public String kernelProfile() { return "android-arm64"; }

    /**
     * The defaults are calibrated so that linux meets the cover letter's
     * before columns at apps=0 and apps=24 (docs/android.md). Processes
     * forked from a zygote: at most 1 + 300 + 300 + 20 + 100 x 4 + 100 =
     * 1,121, each with at most 10,000 inherited and 8,000 own one-page VMAs:
     * about 2 x 10^7 VMAs and mapped pages (some 15 GiB with one design and
     * -Xmx16g). At the defaults, apps=24 is 1.0 x 10^6 VMAs in 0.4 x 10^6
     * ops, simulated in under a minute per design on this machine.
     */
    public Map<String, Param> params() {
        return Generators.params(
                "apps", 0, 0, 100, "apps launched after boot (0: right after boot)",
                "app-procs", 3, 1, 4, "processes a launched app starts from the zygote (calibrated)",
                "boot-procs", 100, 0, 300, "zygote children running after boot besides system_server (calibrated)",
                "zygote-anon", 1374, 0, 4000, "written anonymous VMAs of the zygote after preload (calibrated)",
                "zygote-other", 2226, 0, 6000, "other VMAs of the zygote: library mappings never written (guessed)",
                "proc-anon", 70, 0, 2000, "written anonymous VMAs each zygote child maps itself (calibrated)",
                "proc-other", 1890, 0, 6000, "other VMAs each zygote child maps itself (calibrated)",
                "server-anon", 2500, 0, 10_000, "written anonymous VMAs system_server maps itself (guessed)",
                "server-other", 3500, 0, 20_000, "other VMAs system_server maps itself (guessed)",
                "daemons", 80, 0, 500, "native daemons init starts (fork, exec) (guessed)",
                "daemon-anon", 150, 0, 1000, "written anonymous VMAs per daemon (guessed)",
                "daemon-other", 250, 0, 2000, "other VMAs per daemon (guessed)",
                "daemon-helpers", 4, 0, 50, "daemons that fork and exec a helper that stays (guessed; 0 without daemons)",
                "zygote32-procs", 0, 0, 300, "boot children of a 32-bit zygote (0: none, as on 64-bit-only devices)",
                "usap", 0, 0, 20, "unspecialized app processes in the zygote's pool (0: pool off)",
                "forking-apps", 0, 0, 100, "launched apps whose main process forks a child (at most apps)",
                "cow-percent", 10, 0, 100, "share of its inherited anonymous VMAs a zygote child writes (guessed)",
                "nofork", 0, 0, 1, "1: every zygote child that never forks promises so right after its fork",
                "seed", 1, 0, Generators.SEED_MAX, "random seed (which inherited VMAs a child writes)");
    }

    public String comment(Map<String, Long> p) {
        return "android: " + p.get("apps") + " apps launched, " + p.get("boot-procs") + " boot processes, zygote "
                + (p.get("zygote-anon") + p.get("zygote-other")) + " VMAs, seed " + p.get("seed")
                + (p.get("nofork") != 0 ? ", children promise nofork" : "");
    }

    /**
     * What linux holds at the end, by construction: {anon_vma,
     * anon_vma_chain, vm_area_struct} live. Each written VMA has an anon_vma
     * and its chain; a zygote child gets, per inherited written VMA, an
     * anon_vma and two chains (anon_vma_fork: one to the zygote's anon_vma,
     * one to its own), and a forking app's child three per VMA the app
     * inherited, two per VMA the app wrote (anon_vma_clone copies the
     * parent's chain); fork and exec of the daemons leave nothing. The
     * calibration in docs/android.md solves these against the cover letter.
     */
    static long[] linuxCounts(Map<String, Long> p) {
        long za = p.get("zygote-anon"), z = za + p.get("zygote-other");
        long pa = p.get("proc-anon"), po = p.get("proc-other"), sa = p.get("server-anon"), so = p.get("server-other");
        long daemons = p.get("daemons"), helpers = daemons == 0 ? 0 : p.get("daemon-helpers");
        long zygotes = p.get("zygote32-procs") > 0 ? 2 : 1;
        long procs = p.get("boot-procs") + p.get("zygote32-procs") + p.get("apps") * p.get("app-procs");
        long forked = Math.min(p.get("forking-apps"), p.get("apps"));
        long children = 1 + procs + p.get("usap") + forked; // zygote children and grandchildren
        long nativeAnon = INIT_ANON + daemons * p.get("daemon-anon") + helpers * HELPER_ANON;
        long nativeVmas = INIT_ANON + INIT_OTHER + daemons * (p.get("daemon-anon") + p.get("daemon-other"))
                + helpers * (HELPER_ANON + HELPER_OTHER);
        long anonVma = nativeAnon + za * (zygotes + children) + sa + (procs + forked) * pa + forked * pa;
        long avc = nativeAnon + za * (zygotes + 2 * children) + forked * za + sa + (procs + forked) * pa + forked * 2 * pa;
        long vmas = nativeVmas + z * (zygotes + children) + sa + so + (procs + forked) * (pa + po) + forked * (pa + po);
        return new long[] {anonVma, avc, vmas};
    }

    /** init's own mappings and a daemon helper's (guessed, small: they barely count). */
    private static final long INIT_ANON = 20, INIT_OTHER = 40, HELPER_ANON = 20, HELPER_OTHER = 80;

    /** Where a process's own VMAs begin, in pages: the zygote's preload below, each process's own above. */
    private static final long ZYGOTE_BASE = 0x1000_0000L, OWN_BASE = 0x2000_0000L;

    public void generate(Map<String, Long> p, Consumer<Op> out) {
        new Run(p, out).boot();
    }

    /** One generation: the ops of a boot and the launches, in order. */
    private static final class Run {
        private final Map<String, Long> p;
        private final Consumer<Op> out;
        private final SplittableRandom rnd;
        private int files;

        Run(Map<String, Long> p, Consumer<Op> out) {
            this.p = p;
            this.out = out;
            this.rnd = new SplittableRandom(p.get("seed"));
        }

        private long v(String name) { return p.get(name); }

        void boot() {
            out.accept(new Op.Spawn("init"));
            map("init", OWN_BASE, INIT_ANON, INIT_OTHER);
            long daemons = v("daemons");
            for (long d = 0; d < daemons; d++) {
                String name = "daemon" + d;
                exec("init", name);
                map(name, OWN_BASE, v("daemon-anon"), v("daemon-other"));
            }
            for (long h = 0; h < (daemons == 0 ? 0 : v("daemon-helpers")); h++) {
                String name = "helper" + h;
                exec("daemon" + h % daemons, name);
                map(name, OWN_BASE, HELPER_ANON, HELPER_OTHER);
            }
            List<String> zygotes = new ArrayList<>(List.of("zygote64"));
            if (v("zygote32-procs") > 0) zygotes.add("zygote");
            for (String z : zygotes) {
                exec("init", z);
                map(z, ZYGOTE_BASE, v("zygote-anon"), v("zygote-other"));
            }
            child("zygote64", "system_server", v("server-anon"), v("server-other"), true);
            for (long i = 0; i < v("boot-procs"); i++) child("zygote64", "boot" + i, v("proc-anon"), v("proc-other"), true);
            for (long i = 0; i < v("zygote32-procs"); i++) child("zygote", "boot32-" + i, v("proc-anon"), v("proc-other"), true);
            for (long i = 0; i < v("usap"); i++) child("zygote64", "usap" + i, 0, 0, true);
            for (long a = 0; a < v("apps"); a++) {
                boolean forks = a < v("forking-apps");
                for (long k = 0; k < v("app-procs"); k++)
                    child("zygote64", "app" + a + "-" + k, v("proc-anon"), v("proc-other"), !(forks && k == 0));
                if (forks) child("app" + a + "-0", "app" + a + "-fork", v("proc-anon"), v("proc-other"), true);
            }
        }

        /** fork + exec: a new program in a child of {@code parent}. */
        private void exec(String parent, String child) {
            out.accept(new Op.Fork(parent, child));
            out.accept(new Op.Exec(child));
        }

        /**
         * A child forked from {@code parent} that maps and writes its own
         * VMAs above everything inherited and CoW-writes cow-percent of the
         * zygote's written VMAs; a leaf promises nofork when asked.
         */
        private void child(String parent, String name, long anon, long other, boolean leaf) {
            out.accept(new Op.Fork(parent, name));
            if (leaf && v("nofork") != 0) out.accept(new Op.NoFork(name));
            long za = v("zygote-anon");
            for (long i = 0; i < za; i++)
                if (rnd.nextInt(100) < v("cow-percent")) out.accept(new Op.Touch(name, ZYGOTE_BASE + 2 * i, 1, true));
            // above the parent's own mappings (a forking app's child inherits them)
            long base = parent.startsWith("app") ? OWN_BASE + 2 * (v("proc-anon") + v("proc-other")) : OWN_BASE;
            map(name, base, anon, other);
        }

        /** {@code anon} written anonymous VMAs, then {@code other} library mappings never written, a free page after each. */
        private void map(String task, long base, long anon, long other) {
            for (long i = 0; i < anon; i++) {
                out.accept(new Op.Mmap(task, base + 2 * i, 1, Prot.RW, MapKind.ANON));
                out.accept(new Op.Touch(task, base + 2 * i, 1, true));
            }
            for (long i = 0; i < other; i++)
                out.accept(new Op.Mmap(task, base + 2 * (anon + i), 1, Prot.R, MapKind.file("lib" + files++ % 4096 + ".so", i)));
        }
    }
}
