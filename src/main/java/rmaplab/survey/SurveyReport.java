package rmaplab.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import rmaplab.report.Table;
import rmaplab.survey.ProcParse.SlabLine;

/** The survey as a text report and as JSON (a map of plain values, field names stable). */
public final class SurveyReport {
    private SurveyReport() {}

    /** The approximations every survey makes, whatever the machine. */
    public static final List<String> APPROXIMATIONS = List.of(
            "the true fork history is unknown: processes are created in start-time order from the parents alive now; "
                    + "a process whose parent exited (re-parented to init or a subreaper) is rebuilt as vfork+exec of its "
                    + "new parent, and exited intermediate processes (double forks, shells) are not replayed",
            "a child counts as forked without exec when it maps one of its parent's anonymous frames at the same address, "
                    + "or (address randomization on) has the same executable and stack top; otherwise it is vforked and execs",
            "a forked child is rebuilt from its parent's state now, not at fork time: VMAs it has exactly as the parent "
                    + "(or resized at the end, or a stack that grew) are inherited, all others unmapped or mapped anew; "
                    + "its pages that are the parent's frame are inherited, the rest written after the fork",
            "frames shared between processes other than parent and child (siblings whose parent has since written "
                    + "the page, KSM) become one folio per process: the model can have more folios than there are frames",
            "adjacent private VMAs of one backing that differ only in protection are taken as one mapping split by "
                    + "mprotect (sharing an anon_vma); every other boundary is kept by shifting addresses one page; VMAs "
                    + "split or merged in other ways over their life are rebuilt as they are now; the VM flags smaps "
                    + "shows that decide merges are set as the program would have: nr by MAP_NORESERVE, dc, wf, hg and "
                    + "nh by their madvise",
            "threads are counted but not replayed (they share their process's mm and add no rmap object); transparent "
                    + "huge pages are replayed as 4 KiB folios; swapped-out pages are not replayed");

    private static String pct(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * a / b);
    }

    private static String signed(long v) { return (v > 0 ? "+" : "") + v; }

    /** fs_struct objects that share the anon_vma_chain line when fs_cache is merged into it: one per live process. */
    static long fsStructs(Survey.Counts c) { return c.processes() - c.zombies(); }

    public static String text(Survey.Result r, String kernel) {
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
        b.append(t.render());
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
        b.append(rt.render());

        b.append("\n-- rmap metadata estimate for this state, per design (objects live at the end of the rebuilt workload)\n");
        List<String> cols = new ArrayList<>();
        for (Survey.Estimate e : r.estimates()) cols.add(e.design() + (e.sound() ? "" : " (*)"));
        Table dt = new Table(cols);
        TreeSet<String> types = new TreeSet<>();
        for (Survey.Estimate e : r.estimates()) types.addAll(e.objects().keySet());
        Survey.Estimate linux = find(r, "linux");
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
        b.append(dt.render());
        if (cols.stream().anyMatch(x -> x.endsWith("(*)")))
            b.append("(*) a faithful model of a proposal whose walks are known to miss mappings ('rmaplab designs')\n");
        b.append("object sizes: ").append(r.config().sizes().source()).append('\n');

        b.append("\n-- the kernel's own count (/proc/slabinfo) beside the linux estimate\n");
        Table kt = new Table(List.of("active", "objsize", "may be free", "linux model", "gap (active - model)", "verdict"));
        for (String cache : Slabs.CACHES) {
            SlabLine l = r.slabs().lines().get(cache);
            if (l == null) continue;
            long model = linuxCount(r, linux, cache);
            long other = cache.equals("anon_vma_chain") && r.slabs().sharers().getOrDefault(cache, List.of()).contains("fs_cache")
                    ? fsStructs(r.counts()) : 0;
            long slack = r.slabs().cpuHeldCapacity(cache);
            kt.row(cache, List.of(Long.toString(l.active()), Long.toString(l.objsize()),
                    slack < 0 ? "?" : (slack + (sheaves(r, cache) ? " + sheaves" : "")),
                    model < 0 ? "-" : model + (other > 0 ? " + " + other + " fs_struct" : ""),
                    model < 0 ? "-" : signed(l.active() - model - other) + " (" + pct(l.active() - model - other, l.active()) + ")",
                    model < 0 ? "-" : verdict(l.active(), model + other, slack, unseen(r, cache))));
        }
        if (!r.slabs().lines().isEmpty()) b.append(kt.render());
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
        for (String a : APPROXIMATIONS) b.append("- ").append(a).append('\n');
        List<String> notes = new ArrayList<>(s.notes());
        notes.add("pagemap entries read: " + s.scanned() + " (cap " + s.scanCap() + ", --max-scan); VMAs counted from smaps instead: " + s.fromSmaps());
        if (s.selfPid() != 0) notes.add("this survey's own process (pid " + s.selfPid() + ") is among those surveyed");
        b.append("\n-- on this run\n");
        for (String n : notes) b.append("- ").append(n).append('\n');
        return b.toString();
    }

    private static boolean sheaves(Survey.Result r, String cache) {
        long[] h = r.slabs().held().get(cache);
        return h != null && h[3] > 0;
    }

    /**
     * What the kernel's count says of the model's: live objects lie in
     * [active - free objects CPUs may hold, active]; the model (which lacks
     * unreadable processes and other users of a merged cache) should not be
     * above active, and is "below the range" when even all the slack cannot
     * explain the gap.
     */
    static String verdict(long active, long model, long slack, List<String> unseen) {
        if (model > active) return "model above the kernel's count";
        if (slack < 0) return "model below, slack unknown";
        if (active - slack <= model) return "consistent (within the slack)";
        return "model below by " + (active - slack - model) + " beyond the slack"
                + (unseen.isEmpty() ? "" : ": " + String.join(", ", unseen) + "?");
    }

    /** What the kernel's count holds that the model's cannot: the places the rest of a gap may be. */
    static List<String> unseen(Survey.Result r, String cache) {
        List<String> u = new ArrayList<>();
        if (sheaves(r, cache)) u.add("sheaves");
        if (cache.equals("anon_vma_chain")) for (String o : r.slabs().sharers().getOrDefault(cache, List.of()))
            if (!o.equals("fs_cache")) u.add(o);
        int n = r.counts().unreadable();
        if (n > 0) u.add(n + " unreadable process" + (n == 1 ? "" : "es"));
        if (r.counts().vanished() > 0) u.add(r.counts().vanished() + " vanished");
        return u;
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

    /** The same as {@link #processes} for JSON. */
    public static List<Object> processList(Survey.Result r) {
        Map<Integer, Integer> children = new java.util.HashMap<>();
        for (Snapshot.Proc p : r.snapshot().procs()) children.merge(p.ppid(), 1, Integer::sum);
        List<Object> out = new ArrayList<>();
        for (Snapshot.Proc p : r.snapshot().procs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("ppid", p.ppid());
            m.put("comm", p.stat().comm());
            m.put("threads", p.threads());
            m.put("children", children.getOrDefault(p.pid(), 0));
            Reconstruction.How h = r.rebuilt().how().get(p.pid());
            m.put("rebuilt_as", h == null ? null : h.name().toLowerCase(Locale.ROOT));
            m.put("memory_read", p.memoryRead());
            m.put("vmas", p.regions().size());
            m.put("anon_ptes", p.anonPages());
            m.put("rss_anon_kb", p.rssAnonKb() < 0 ? null : p.rssAnonKb());
            out.add(m);
        }
        return out;
    }

    private static String n(Integer v) { return v == null ? "0" : Integer.toString(v); }

    private static Survey.Estimate find(Survey.Result r, String design) {
        for (Survey.Estimate e : r.estimates()) if (e.design().equals(design)) return e;
        return null;
    }

    private static long linuxCount(Survey.Result r, Survey.Estimate linux, String cache) {
        if (linux == null) return -1;
        if (cache.equals("vm_area_struct")) return linux.vmas();
        long[] o = linux.objects().get(cache);
        return o == null ? 0 : o[0];
    }

    public static Map<String, Object> json(Survey.Result r, String kernel) {
        Survey.Counts c = r.counts();
        Snapshot s = r.snapshot();
        Reconstruction.Stats st = r.rebuilt().stats();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kernel", kernel);
        root.put("read_millis", r.readMillis());
        root.put("model_millis", r.modelMillis());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("processes", c.processes());
        p.put("threads", c.threads());
        p.put("zombies", c.zombies());
        p.put("kernel_threads", c.kernelThreads());
        p.put("vanished", c.vanished());
        p.put("leaves", c.leaves());
        p.put("leaves_reaped_a_child", c.leavesThatReaped());
        p.put("leaves_no_fork_trace", c.leavesNoTrace());
        p.put("leaves_no_fork_trace_sigchld_ignored", c.leavesNoTraceSigchldIgnored());
        p.put("with_children", c.withChildren());
        p.put("sharing_parent_mm", c.sharingParentMm());
        p.put("memory_unreadable", c.unreadable());
        p.put("memory_unreadable_pids", c.unreadablePids());
        p.put("memory_unreadable_rss_anon_kb", c.unreadableRssAnonKb());
        root.put("processes", p);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmas", c.vmas());
        m.put("anon_vmas", c.anonVmas());
        m.put("anon_vmas_with_pages", c.anonVmasWithPages());
        m.put("anon_ptes", c.anonPages());
        m.put("anon_frames", c.anonFrames() < 0 ? null : c.anonFrames());
        root.put("memory", m);
        Map<String, Object> rb = new LinkedHashMap<>();
        rb.put("ops", r.rebuilt().ops().size());
        Map<String, Object> how = new LinkedHashMap<>();
        for (Reconstruction.How h : Reconstruction.How.values()) how.put(h.name().toLowerCase(Locale.ROOT), st.processes.getOrDefault(h, 0));
        rb.put("processes", how);
        rb.put("pages_inherited", st.pagesInherited);
        rb.put("pages_written", st.pagesWritten);
        rb.put("pages_dropped", st.pagesDropped);
        rb.put("split_runs", st.splitRuns);
        rb.put("split_pieces", st.splitPieces);
        rb.put("shifts", st.shifts);
        rb.put("model_vmas", st.modelVmas);
        rb.put("model_anon_ptes", st.modelAnonPtes);
        rb.put("model_folios", st.modelFolios);
        rb.put("model_errors", st.modelErrors);
        root.put("rebuilt", rb);
        List<Object> ds = new ArrayList<>();
        for (Survey.Estimate e : r.estimates()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("design", e.design());
            d.put("sound", e.sound());
            Map<String, Object> objs = new LinkedHashMap<>();
            for (var o : e.objects().entrySet()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("live", o.getValue()[0]);
                x.put("live_bytes", o.getValue()[1]);
                objs.put(o.getKey(), x);
            }
            d.put("objects", objs);
            d.put("rmap_bytes", e.rmapBytes());
            d.put("vmas", e.vmas());
            d.put("vma_bytes", e.vmaBytes());
            d.put("oracle_ok", e.oracleOk());
            d.put("checked_walks", e.checkedWalks());
            d.put("violations", e.violations());
            d.put("errors", e.errors());
            ds.add(d);
        }
        root.put("designs", ds);
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("anon_vma", r.config().sizes().anonVma());
        sizes.put("anon_vma_chain", r.config().sizes().anonVmaChain());
        sizes.put("vm_area_struct", r.config().sizes().vmAreaStruct());
        sizes.put("source", r.config().sizes().source());
        root.put("object_sizes", sizes);
        Map<String, Object> slab = new LinkedHashMap<>();
        Survey.Estimate linux = find(r, "linux");
        for (String cache : Slabs.CACHES) {
            SlabLine l = r.slabs().lines().get(cache);
            if (l == null) continue;
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("active", l.active());
            x.put("all", l.total());
            x.put("cpu_held_capacity", r.slabs().cpuHeldCapacity(cache) < 0 ? null : r.slabs().cpuHeldCapacity(cache));
            x.put("objsize", l.objsize());
            x.put("merged_into", r.slabs().merged().get(cache));
            x.put("shared_with", r.slabs().sharers().get(cache));
            long model = linuxCount(r, linux, cache);
            x.put("linux_model", model < 0 ? null : model);
            x.put("gap", model < 0 ? null : l.active() - model);
            long other = cache.equals("anon_vma_chain") && r.slabs().sharers().getOrDefault(cache, List.of()).contains("fs_cache")
                    ? fsStructs(c) : 0;
            x.put("verdict", model < 0 ? null : verdict(l.active(), model + other, r.slabs().cpuHeldCapacity(cache), unseen(r, cache)));
            if (cache.equals("anon_vma_chain") && r.slabs().merged().containsKey(cache)
                    && r.slabs().sharers().get(cache).contains("fs_cache")) {
                x.put("fs_struct_estimate", fsStructs(c));
                x.put("gap_less_fs_struct", model < 0 ? null : l.active() - fsStructs(c) - model);
            }
            slab.put(cache, x);
        }
        root.put("slabinfo", slab);
        root.put("slab_notes", r.slabs().notes());
        Map<String, Object> sc = new LinkedHashMap<>();
        sc.put("pfns_visible", s.pfns());
        sc.put("pagemap_entries_read", s.scanned());
        sc.put("scan_cap", s.scanCap());
        sc.put("vmas_counted_from_smaps", s.fromSmaps());
        sc.put("aslr", s.aslr());
        sc.put("self_pid", s.selfPid() == 0 ? null : s.selfPid());
        sc.put("notes", s.notes());
        root.put("scan", sc);
        root.put("approximations", APPROXIMATIONS);
        return root;
    }
}
