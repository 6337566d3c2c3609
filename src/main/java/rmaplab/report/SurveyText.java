package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import rmaplab.survey.ProcParse;
import rmaplab.survey.ProcParse.SlabLine;
import rmaplab.survey.Reconstruction;
import rmaplab.survey.Slabs;
import rmaplab.survey.Snapshot;
import rmaplab.survey.Survey;

/** The survey as text: the machine's processes and memory, the rebuilt workload, each design's estimate, slabinfo. */
public final class SurveyText {
    private SurveyText() {}

    private static String pct(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * a / b);
    }

    private static String signed(long v) { return (v > 0 ? "+" : "") + v; }


    public static String text(Survey.Result r, String kernel) { return text(r, kernel, Table.COLUMNS); }

    /** The survey's text, its tables fitted to {@code width} ({@link Table#render(int)}). */
    public static String text(Survey.Result r, String kernel, int width) {
        Survey.Counts c = r.counts();
        Snapshot s = r.snapshot();
        Reconstruction.Stats st = r.rebuilt().stats();
        StringBuilder b = new StringBuilder();
        b.append("rmaplab survey of this machine").append(kernel == null ? "" : " (" + kernel + ")").append('\n');
        b.append(String.format(Locale.ROOT, "read /proc in %d ms, rebuilt and ran %d design(s) in %d ms%n",
                r.readMillis(), r.estimates().size(), r.modelMillis()));
        Table t = new Table(List.of("count", "share"));
        t.section("processes (kernel threads excluded from everything below their line)");
        t.row("user processes", List.of(Long.toString(c.processes()), ""));
        t.row("  threads in them", List.of(Long.toString(c.threads()), ""));
        t.row("  zombies among them", List.of(Long.toString(c.zombies()), ""));
        t.row("kernel threads", List.of(Long.toString(c.kernelThreads()), ""));
        t.row("exited while being read (skipped)", List.of(Long.toString(c.vanished()), ""));
        t.row("memory not readable (permission denied)", List.of(Long.toString(c.unreadable()), ""));
        t.row("sharing their parent's mm (vfork, not yet exec'd)", List.of(Long.toString(c.sharingParentMm()), ""));
        t.row("leaves: no live child", List.of(Long.toString(c.leaves()), pct(c.leaves(), c.processes())));
        t.row("  leaves that reaped a child (so forked before)", List.of(Long.toString(c.leavesThatReaped()), pct(c.leavesThatReaped(), c.processes())));
        t.row("  leaves with no trace of a fork", List.of(Long.toString(c.leavesNoTrace()), pct(c.leavesNoTrace(), c.processes())));
        t.row("    of which SIGCHLD ignored (cannot tell)", List.of(Long.toString(c.leavesNoTraceSigchldIgnored()), ""));
        t.section("memory");
        t.row("VMAs (an mm shared by a vfork child counted once)", List.of(Long.toString(c.vmas()), ""));
        t.row("anonymous VMAs (private, with anonymous pages or writable)", List.of(Long.toString(c.anonVmas()), pct(c.anonVmas(), c.vmas())));
        t.row("  of them holding anonymous pages", List.of(Long.toString(c.anonVmasWithPages()), pct(c.anonVmasWithPages(), c.vmas())));
        t.row("anonymous pages mapped (PTEs)", List.of(Long.toString(c.anonPages()), ""));
        t.row("anonymous frames (distinct pages)", List.of(c.anonFrames() < 0 ? "unknown (no frame numbers)" : Long.toString(c.anonFrames()), ""));
        b.append(t.render(width));
        if (c.unreadable() > 0)
            b.append("Not readable: pid ").append(String.join(", ", c.unreadablePids().stream().map(String::valueOf).toList()))
                    .append(" (RssAnon ").append(c.unreadableRssAnonKb()).append(" kB in all): counted as processes, but their VMAs\n")
                    .append("and pages are missing from every figure below, and so from the model.\n");
        b.append("\"forked before\": its cminflt/cmajflt/cutime/cstime in /proc/PID/stat are not all 0, which only a reaped child\n"
                + "(or an adopted orphan, for init and subreapers) adds; \"no trace\" is an upper bound on leaves that never\n"
                + "forked: a child reaped without wait (SIGCHLD ignored, SA_NOCLDWAIT) leaves none.\n");

        b.append("\n-- the state rebuilt as a workload (").append(r.rebuilt().ops().size()).append(" ops)\n");
        Table rt = new Table(List.of("surveyed", "model"));
        rt.row("processes spawned (no surveyed parent)", List.of("", n(st.processes.get(Reconstruction.How.ROOT))));
        rt.row("forked, sharing frames with the parent", List.of("", n(st.processes.get(Reconstruction.How.FORK_SHARED_PAGES))));
        rt.row("forked, same layout, no frame shared", List.of("", n(st.processes.get(Reconstruction.How.FORK_SAME_LAYOUT))));
        rt.row("vforked, then exec", List.of("", n(st.processes.get(Reconstruction.How.EXEC))));
        rt.row("vforked, sharing the parent's mm", List.of("", n(st.processes.get(Reconstruction.How.SAME_MM))));
        rt.row("pages of forked children: inherited / written / dropped", List.of("",
                st.pagesInherited + " / " + st.pagesWritten + " / " + st.pagesDropped));
        rt.row("VMA runs split by mprotect (pieces)", List.of("", st.splitRuns + " (" + st.splitPieces + ")"));
        rt.row("boundaries kept apart by a one-page shift", List.of("", Integer.toString(st.shifts)));
        rt.row("VMAs", List.of(Long.toString(st.realVmas), Long.toString(st.modelVmas)));
        rt.row("anonymous PTEs", List.of(Long.toString(st.realAnonPtes), Long.toString(st.modelAnonPtes)));
        rt.row("anonymous frames / model folios", List.of(st.realFrames < 0 ? "unknown" : Long.toString(st.realFrames),
                Long.toString(st.modelFolios)));
        rt.row("ops the model refused", List.of("", st.modelErrors.isEmpty() ? "none" : st.modelErrors.toString()));
        b.append(rt.render(width));

        b.append("\n-- rmap metadata estimate for this state, per design (objects live at the end of the rebuilt workload)\n");
        List<String> cols = new ArrayList<>();
        for (Survey.Estimate e : r.estimates()) cols.add(e.design() + (e.sound() ? "" : " (*)"));
        Table dt = new Table(cols);
        TreeSet<String> types = new TreeSet<>();
        for (Survey.Estimate e : r.estimates()) types.addAll(e.objects().keySet());
        Survey.Estimate linux = SurveySlabs.find(r, "linux");
        for (String ty : types) {
            List<String> v = new ArrayList<>();
            for (Survey.Estimate e : r.estimates()) {
                long[] o = e.objects().get(ty);
                v.add(o == null ? "-" : o[0] + " (" + Table.bytes(o[1]) + ")");
            }
            dt.row(ty, v);
        }
        List<String> tot = new ArrayList<>(), rel = new ArrayList<>(), vm = new ArrayList<>(), ok = new ArrayList<>();
        for (Survey.Estimate e : r.estimates()) {
            tot.add(Table.bytes(e.rmapBytes()));
            rel.add(linux == null || linux.rmapBytes() == 0 ? "-"
                    : String.format(Locale.ROOT, "%+.0f %%", 100.0 * (e.rmapBytes() - linux.rmapBytes()) / linux.rmapBytes()));
            vm.add(e.vmas() + " (" + Table.bytes(e.vmaBytes()) + ")");
            ok.add(e.oracleOk() ? (e.checkedWalks() > 0 ? "ok, " + e.checkedWalks() + " walks" : "not asked (--check)") : "VIOLATION: " + e.violations() + " of " + e.checkedWalks() + " walks");
        }
        dt.row("rmap metadata bytes", tot);
        dt.row("  vs linux", rel);
        dt.row("vm_area_struct (not rmap metadata)", vm);
        dt.row("oracle", ok);
        b.append(dt.render(width));
        if (cols.stream().anyMatch(x -> x.endsWith("(*)")))
            b.append("(*) a faithful model of a proposal whose walks are known to miss mappings ('rmaplab designs')\n");
        b.append("object sizes: ").append(r.config().sizes().source()).append('\n');

        b.append("\n-- the kernel's own count (/proc/slabinfo) beside the linux estimate\n");
        Table kt = new Table(List.of("active", "objsize", "may be free", "linux model", "gap (active - model)", "verdict"));
        for (String cache : Slabs.CACHES) {
            SlabLine l = r.slabs().lines().get(cache);
            if (l == null) continue;
            long model = SurveySlabs.linuxCount(r, linux, cache);
            long other = cache.equals("anon_vma_chain") && r.slabs().sharers().getOrDefault(cache, List.of()).contains("fs_cache")
                    ? SurveySlabs.fsStructs(r.counts()) : 0;
            long slack = r.slabs().cpuHeldCapacity(cache);
            kt.row(cache, List.of(Long.toString(l.active()), Long.toString(l.objsize()),
                    slack < 0 ? "?" : (slack + (SurveySlabs.sheaves(r, cache) ? " + sheaves" : "")),
                    model < 0 ? "-" : model + (other > 0 ? " + " + other + " fs_struct" : ""),
                    model < 0 ? "-" : signed(l.active() - model - other) + " (" + pct(l.active() - model - other, l.active()) + ")",
                    model < 0 ? "-" : SurveySlabs.verdict(l.active(), model + other, slack, SurveySlabs.unseen(r, cache))));
        }
        if (!r.slabs().lines().isEmpty()) b.append(kt.render(width));
        b.append("""
                "may be free": SLUB counts as active every object of the slabs a CPU holds (its own slab and its
                partial list: /sys/kernel/slab/CACHE/cpu_slabs x objs_per_slab), used or free, so the live count lies
                between active minus that and active; vm_area_struct also keeps free objects in per-CPU sheaves.
                """);
        for (String cache : Slabs.CACHES) {
            String m = r.slabs().merged().get(cache);
            if (m == null) {
                if (r.slabs().lines().containsKey(cache)) b.append(cache).append(": a cache of its own (not merged)\n");
                continue;
            }
            b.append(cache).append(": /sys/kernel/slab/").append(cache).append(" -> ").append(m)
                    .append(", a merged cache it shares with ").append(String.join(", ", r.slabs().sharers().get(cache)))
                    .append(": its line counts their objects too\n");
        }
        for (String n : r.slabs().notes()) b.append(n).append('\n');
        b.append("""
                fs_struct: one per live process not made with CLONE_FS, in the same merged cache; eventpoll_pwq (one per
                epoll watch) is not counted. The model counts only the processes whose memory was read: those that
                exited while being read or could not be read are in the kernel's count, not in the model's. Measured
                on this kernel, slabinfo's error is up to ~800 objects per cache (docs/notes/kernel_oracle.md).
                """);

        b.append("\n-- approximations\n");
        for (String a : Survey.APPROXIMATIONS) b.append("- ").append(a).append('\n');
        List<String> notes = new ArrayList<>(s.notes());
        notes.add("pagemap entries read: " + s.scanned() + " (cap " + s.scanCap() + ", --max-scan); VMAs counted from smaps instead: " + s.fromSmaps());
        if (s.selfPid() != 0) notes.add("this survey's own process (pid " + s.selfPid() + ") is among those surveyed");
        b.append("\n-- on this run\n");
        for (String n : notes) b.append("- ").append(n).append('\n');
        return b.toString();
    }
    /** One row per surveyed process, by pid: what /proc showed and how the survey rebuilt it. */
    public static String processes(Survey.Result r) {
        Map<Integer, Integer> children = new java.util.HashMap<>();
        for (Snapshot.Proc p : r.snapshot().procs()) children.merge(p.ppid(), 1, Integer::sum);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%8s %8s %-16s %7s %8s %-17s %5s %9s %9s %9s%n", "pid", "ppid", "comm",
                "threads", "children", "rebuilt as", "VMAs", "anon VMAs", "anon PTEs", "RssAnon"));
        for (Snapshot.Proc p : r.snapshot().procs()) {
            long anon = 0;
            for (ProcParse.Region g : p.regions()) if (g.anonymous() || (g.privateMapping() && Reconstruction.hasPages(p, g))) anon++;
            Reconstruction.How h = r.rebuilt().how().get(p.pid());
            String comm = p.stat().comm().length() > 16 ? p.stat().comm().substring(0, 16) : p.stat().comm();
            b.append(String.format(Locale.ROOT, "%8d %8d %-16s %7d %8d %-17s %5s %9s %9s %9s%n", p.pid(), p.ppid(), comm,
                    p.threads(), children.getOrDefault(p.pid(), 0), h == null ? "-" : h.name().toLowerCase(Locale.ROOT),
                    p.memoryRead() ? Integer.toString(p.regions().size()) : "?", p.memoryRead() ? Long.toString(anon) : "?",
                    p.memoryRead() ? Long.toString(p.anonPages()) : "?", p.rssAnonKb() < 0 ? "?" : p.rssAnonKb() + " kB"));
        }
        return b.toString();
    }

    private static String n(Integer v) { return v == null ? "0" : Integer.toString(v); }
}
