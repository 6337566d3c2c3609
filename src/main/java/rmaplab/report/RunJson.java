package rmaplab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rmaplab.ledger.LockFigures;
import rmaplab.ledger.ObjectFigures;
import rmaplab.ledger.WalkFigures;
import rmaplab.oracle.Violation;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabCache;
import rmaplab.sim.SlabSizes;

/**
 * A workload's runs as JSON (README, "JSON output"; field names stable) and
 * as CSV rows, both from the runs' figures.
 */
public final class RunJson {
    private RunJson() {}

    /** The JSON document for one workload's runs ('run --json'; 'compare --json' prints a list of them). */
    public static Map<String, Object> document(String workload, MachineConfig cfg, List<RunResult> runs) {
        Map<String, Object> root = Json.document();
        root.put("workload", workload);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("zero_page", cfg.zeroPage());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("anon_vma", cfg.sizes().anonVma());
        sizes.put("anon_vma_chain", cfg.sizes().anonVmaChain());
        sizes.put("vm_area_struct", cfg.sizes().vmAreaStruct());
        sizes.put("source", cfg.sizes().source());
        sizes.put("profile", cfg.sizes().profile());
        sizes.put("caches", SlabFigures.caches(cfg.sizes()));
        machine.put("object_sizes", sizes);
        root.put("machine", machine);
        List<Object> ds = new ArrayList<>();
        for (RunResult r : runs) ds.add(design(r, cfg.sizes()));
        root.put("designs", ds);
        root.put(Json.TIMINGS_FIELD, timings(runs));
        return root;
    }

    /**
     * The document's only figures that vary from run to run: the wall time of
     * each design's run, in their own object at the end so that everything
     * before it is byte-identical for the same input.
     */
    static Map<String, Object> timings(List<RunResult> runs) {
        Map<String, Object> millis = new LinkedHashMap<>();
        for (RunResult r : runs) millis.put(r.design(), r.millis());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("millis", millis);
        return t;
    }

    /** One design's figures: an element of the document's "designs"; the slab figures from the machine it ran on. */
    static Map<String, Object> design(RunResult r) { return design(r, r.machine().config().sizes()); }

    private static Map<String, Object> design(RunResult r, SlabSizes sizes) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("design", r.design());
        d.put("ops", r.ops());
        Map<String, Object> objects = new LinkedHashMap<>();
        for (ObjectFigures.Type t : r.ledgers().objects().types().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("live", t.live());
            o.put("live_bytes", t.liveBytes());
            o.put("peak", t.peak());
            o.put("peak_bytes", t.peakBytes());
            o.put("allocated", t.allocated());
            o.put("freed", t.freed());
            SlabCache c = SlabFigures.cache(sizes, t);
            if (c != null) o.putAll(SlabFigures.json(c, t));
            objects.put(t.name(), o);
        }
        d.put("objects", objects);
        Map<String, Object> bytes = new LinkedHashMap<>();
        bytes.put("live", r.ledgers().objects().liveBytes());
        bytes.put("peak", r.ledgers().objects().peakBytes());
        d.put("metadata_bytes", bytes);
        d.put("walks", walks(r.ledgers().walks()));
        d.put("locks", locks(r.ledgers().locks()));
        Map<String, Object> costs = new TreeMap<>();
        for (var e : r.ledgers().objects().byOp().entrySet()) {
            Map<String, Object> per = new LinkedHashMap<>();
            for (var c : e.getValue().entrySet()) {
                Map<String, Object> ac = new LinkedHashMap<>();
                ac.put("allocated", c.getValue().allocated());
                ac.put("freed", c.getValue().freed());
                per.put(c.getKey(), ac);
            }
            costs.put(e.getKey(), per);
        }
        d.put("op_costs", costs);
        d.put("ops_by_kind", r.machine().opCounts());
        d.put("faults", r.machine().faults());
        d.put("errors", r.errors());
        Map<String, Object> oracle = new LinkedHashMap<>();
        oracle.put("check", RunTable.checkName(r.check()));
        oracle.put("checked_walks", r.checkedWalks());
        oracle.put("violations", r.violationCount());
        oracle.put("mapcount_error", r.mapcountError());
        oracle.put("verdict", r.ok() ? "ok" : "VIOLATION");
        List<String> first = new ArrayList<>();
        for (Violation v : r.violations()) first.add(v.describe());
        oracle.put("first_violations", first);
        d.put("oracle", oracle);
        return d;
    }

    private static Map<String, Object> walks(WalkFigures w) {
        Map<String, Object> walks = new LinkedHashMap<>();
        walks.put("walks", w.walks());
        walks.put("visits", w.visits());
        walks.put("hits", w.hits());
        walks.put("steps", w.steps());
        walks.put("visits_mean", round(w.meanVisits()));
        walks.put("visits_p99", w.visitQuantile(0.99));
        walks.put("visits_max", w.maxVisits());
        walks.put("hits_mean", round(w.meanHits()));
        walks.put("steps_mean", round(w.meanSteps()));
        walks.put("entered", w.entered());
        walks.put("entered_mean", round(w.meanEntered()));
        walks.put("entered_p99", w.enteredQuantile(0.99));
        walks.put("entered_max", w.maxEntered());
        walks.put("repointed_folios", w.repointedFolios());
        walks.put("repoint_ptes", w.repointPtes());
        walks.put("missed", w.missed());
        walks.put("phantoms", w.phantoms());
        return walks;
    }

    private static Map<String, Object> locks(LockFigures l) {
        Map<String, Object> locks = new LinkedHashMap<>();
        locks.put("acquisitions", l.total());
        locks.put("read", l.read());
        locks.put("write", l.write());
        locks.put("rcu", l.rcu());
        locks.put("instances", l.instanceCount());
        LockFigures.Instance h = l.hottest();
        if (h != null) {
            Map<String, Object> hot = new LinkedHashMap<>();
            hot.put("class", h.lockClass());
            hot.put("id", h.id());
            hot.put("acquisitions", h.acquisitions());
            hot.put("share", round(l.hottestShare()));
            hot.put("processes", h.distinctProcesses());
            hot.put("by_op", h.byOp());
            locks.put("hottest", hot);
        } else {
            locks.put("hottest", null);
        }
        locks.put("max_processes_per_instance", l.maxDistinctProcesses());
        return locks;
    }

    /** Every figure of a run, flattened to "section.name" → value (CSV rows; names as in the JSON). */
    public static Map<String, Object> flat(RunResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", design(r), out);
        return out;
    }

    private static void flatten(String prefix, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            for (var e : m.entrySet())
                flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) flatten(prefix + "." + i, l.get(i), out);
        } else {
            out.put(prefix, v);
        }
    }

    /** The CSV header line. */
    public static final String CSV_HEADER = "workload,design,figure,value\n";

    /** CSV: one line per (workload, design, figure): workload,design,figure,value (no header). */
    public static String csv(String workload, List<RunResult> runs) {
        StringBuilder b = new StringBuilder();
        for (RunResult r : runs)
            for (var e : flat(r).entrySet())
                b.append(csvField(workload)).append(',').append(csvField(r.design())).append(',')
                        .append(csvField(e.getKey())).append(',').append(csvField(String.valueOf(e.getValue()))).append('\n');
        return b.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
