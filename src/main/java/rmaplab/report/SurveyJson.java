package rmaplab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rmaplab.survey.ProcParse.SlabLine;
import rmaplab.survey.Reconstruction;
import rmaplab.survey.Slabs;
import rmaplab.survey.Snapshot;
import rmaplab.survey.Survey;

/** The survey as JSON: a map of plain values, field names stable. */
public final class SurveyJson {
    private SurveyJson() {}

    /** The survey as one JSON document (with --processes, "process_list" is added at its end). */
    public static Map<String, Object> document(Survey.Result r, String kernel) {
        Survey.Counts c = r.counts();
        Snapshot s = r.snapshot();
        Reconstruction.Stats st = r.rebuilt().stats();
        Map<String, Object> root = Json.document();
        root.put("kernel", kernel);
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
        Survey.Estimate linux = SurveySlabs.find(r, "linux");
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
            long model = SurveySlabs.linuxCount(r, linux, cache);
            x.put("linux_model", model < 0 ? null : model);
            x.put("gap", model < 0 ? null : l.active() - model);
            long other = cache.equals("anon_vma_chain") && r.slabs().sharers().getOrDefault(cache, List.of()).contains("fs_cache")
                    ? SurveySlabs.fsStructs(c) : 0;
            x.put("verdict", model < 0 ? null : SurveySlabs.verdict(l.active(), model + other, r.slabs().cpuHeldCapacity(cache), SurveySlabs.unseen(r, cache)));
            if (cache.equals("anon_vma_chain") && r.slabs().merged().containsKey(cache)
                    && r.slabs().sharers().get(cache).contains("fs_cache")) {
                x.put("fs_struct_estimate", SurveySlabs.fsStructs(c));
                x.put("gap_less_fs_struct", model < 0 ? null : l.active() - SurveySlabs.fsStructs(c) - model);
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
        root.put("approximations", Survey.APPROXIMATIONS);
        Map<String, Object> timings = new LinkedHashMap<>(); // wall times: the only fields that vary for the same /proc
        timings.put("read_millis", r.readMillis());
        timings.put("model_millis", r.modelMillis());
        root.put(Json.TIMINGS_FIELD, timings);
        return root;
    }

    /** The same as {@link SurveyText#processes} for JSON. */
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

}
