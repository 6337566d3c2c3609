package rmaplab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import rmaplab.ledger.LockLedger;
import rmaplab.ledger.ObjectLedger;
import rmaplab.ledger.WalkLedger;
import rmaplab.oracle.Violation;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;

/**
 * Turns run results into the figures reports show: a side-by-side text table
 * (one column per design) and JSON with stable field names (README, "JSON
 * output"). Every figure comes from the ledgers; nothing is computed twice.
 */
public final class Report {
    private Report() {}

    /** The JSON document for one workload's runs. */
    public static Map<String, Object> json(String workload, MachineConfig cfg, List<RunResult> runs) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", workload);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("zero_page", cfg.zeroPage());
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("anon_vma", cfg.sizes().anonVma());
        sizes.put("anon_vma_chain", cfg.sizes().anonVmaChain());
        sizes.put("vm_area_struct", cfg.sizes().vmAreaStruct());
        sizes.put("source", cfg.sizes().source());
        machine.put("object_sizes", sizes);
        root.put("machine", machine);
        List<Object> ds = new ArrayList<>();
        for (RunResult r : runs) ds.add(design(r));
        root.put("designs", ds);
        return root;
    }

    static Map<String, Object> design(RunResult r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("design", r.design());
        d.put("ops", r.ops());
        d.put("millis", r.millis());
        Map<String, Object> objects = new LinkedHashMap<>();
        for (ObjectLedger.Type t : r.ledgers().objects.types().values()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("live", t.live);
            o.put("live_bytes", t.liveBytes);
            o.put("peak", t.peak);
            o.put("peak_bytes", t.peakBytes);
            o.put("allocated", t.allocated);
            o.put("freed", t.freed);
            objects.put(t.name, o);
        }
        d.put("objects", objects);
        Map<String, Object> bytes = new LinkedHashMap<>();
        bytes.put("live", r.ledgers().objects.liveBytes());
        bytes.put("peak", r.ledgers().objects.peakBytes());
        d.put("metadata_bytes", bytes);
        WalkLedger w = r.ledgers().walks;
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
        walks.put("missed", w.missed());
        walks.put("phantoms", w.phantoms());
        d.put("walks", walks);
        LockLedger l = r.ledgers().lockReport();
        Map<String, Object> locks = new LinkedHashMap<>();
        locks.put("acquisitions", l.total());
        locks.put("read", l.total(LockLedger.Mode.READ));
        locks.put("write", l.total(LockLedger.Mode.WRITE));
        locks.put("rcu", l.total(LockLedger.Mode.RCU));
        locks.put("instances", l.instanceCount());
        LockLedger.Instance h = l.hottest();
        if (h != null) {
            Map<String, Object> hot = new LinkedHashMap<>();
            hot.put("class", h.lockClass);
            hot.put("id", h.id);
            hot.put("acquisitions", h.acquisitions());
            hot.put("share", round(l.hottestShare()));
            hot.put("processes", h.distinctProcesses());
            hot.put("by_op", h.byOp);
            locks.put("hottest", hot);
        } else {
            locks.put("hottest", null);
        }
        locks.put("max_processes_per_instance", l.maxDistinctProcesses());
        d.put("locks", locks);
        Map<String, Object> costs = new TreeMap<>();
        for (var e : r.ledgers().objects.byOp().entrySet()) {
            Map<String, Object> per = new LinkedHashMap<>();
            for (var c : e.getValue().entrySet()) {
                Map<String, Object> ac = new LinkedHashMap<>();
                ac.put("allocated", c.getValue().allocated);
                ac.put("freed", c.getValue().freed);
                per.put(c.getKey(), ac);
            }
            costs.put(e.getKey(), per);
        }
        d.put("op_costs", costs);
        d.put("ops_by_kind", r.machine().opCounts());
        d.put("faults", r.machine().faults());
        d.put("errors", r.errors());
        Map<String, Object> oracle = new LinkedHashMap<>();
        oracle.put("check", r.check().name().toLowerCase(Locale.ROOT).replace('_', '-'));
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

    /** The design other designs are compared with, when it ran. */
    public static final String BASELINE = "linux";

    private static String relative(long v, long b, RunResult r, RunResult base) {
        if (base == null || r == base) return "";
        if (b == 0) return v == 0 ? " (=)" : "";
        return String.format(Locale.ROOT, " (%+.0f%%)", 100.0 * (v - b) / b);
    }

    /** rmap objects allocated and freed per op of a kind (per 1000 page faults for touch). */
    static String perOp(RunResult r, String op) {
        long n = op.equals("touch") ? r.machine().faults() : r.machine().opCounts().getOrDefault(op, 0L);
        if (n == 0) return "-";
        long a = 0, f = 0;
        var costs = r.ledgers().objects.byOp().get(op);
        if (costs != null)
            for (var e : costs.entrySet()) {
                if (e.getKey().equals("vm_area_struct")) continue;
                a += e.getValue().allocated;
                f += e.getValue().freed;
            }
        double scale = op.equals("touch") ? 1000.0 / n : 1.0 / n;
        return String.format(Locale.ROOT, "%.2f / %.2f", a * scale, f * scale);
    }

    /** Every figure of a run, flattened to "section.name" → value (CSV rows). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> flat(RunResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", design(r), out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) flatten(prefix + "." + i, l.get(i), out);
        } else {
            out.put(prefix, v);
        }
    }

    /** CSV: one line per (workload, design, figure): workload,design,figure,value. */
    public static String csv(String workload, List<RunResult> runs, boolean header) {
        StringBuilder b = new StringBuilder();
        if (header) b.append("workload,design,figure,value\n");
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

    public static String toJson(Object doc) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The side-by-side table: one row per figure, one column per design. */
    public static String table(String workload, MachineConfig cfg, List<RunResult> runs) {
        Table t = new Table(runs.stream().map(RunResult::design).toList());
        List<String> types = new ArrayList<>();
        for (RunResult r : runs)
            for (String n : r.ledgers().objects.types().keySet()) if (!types.contains(n)) types.add(n);
        RunResult base = runs.stream().filter(r -> r.design().equals(BASELINE)).findFirst().orElse(null);
        t.section("objects at the end (count / bytes" + (base != null ? ", bytes relative to " + BASELINE : "") + ")");
        for (String n : types)
            t.row(n, runs.stream().map(r -> {
                ObjectLedger.Type ty = r.ledgers().objects.types().get(n);
                return ty == null ? "-" : ty.live + " / " + Table.bytes(ty.liveBytes);
            }).toList());
        t.row("all metadata bytes", runs.stream().map(r -> Table.bytes(r.ledgers().objects.liveBytes())
                + relative(r.ledgers().objects.liveBytes(), base == null ? -1 : base.ledgers().objects.liveBytes(), r, base)).toList());
        t.section("peak (count / bytes)");
        for (String n : types)
            t.row(n, runs.stream().map(r -> {
                ObjectLedger.Type ty = r.ledgers().objects.types().get(n);
                return ty == null ? "-" : ty.peak + " / " + Table.bytes(ty.peakBytes);
            }).toList());
        t.row("all metadata bytes", runs.stream().map(r -> Table.bytes(r.ledgers().objects.peakBytes())
                + relative(r.ledgers().objects.peakBytes(), base == null ? -1 : base.ledgers().objects.peakBytes(), r, base)).toList());
        t.section("rmap objects per operation (allocated / freed, vm_area_struct excluded)");
        for (String op : List.of("fork", "exit", "exec", "touch", "munmap", "mremap", "mprotect"))
            if (runs.stream().anyMatch(r -> r.machine().opCounts().containsKey(op)))
                t.row("per " + (op.equals("touch") ? "1000 faults" : op), runs.stream().map(r -> perOp(r, op)).toList());
        t.section("allocated over the run");
        for (String n : types)
            t.row(n, runs.stream().map(r -> {
                ObjectLedger.Type ty = r.ledgers().objects.types().get(n);
                return ty == null ? "-" : Long.toString(ty.allocated);
            }).toList());
        t.section("reverse walks");
        t.row("walks", runs.stream().map(r -> Long.toString(r.ledgers().walks.walks())).toList());
        t.row("visits", runs.stream().map(r -> Long.toString(r.ledgers().walks.visits())).toList());
        t.row("hits (real mappings)", runs.stream().map(r -> Long.toString(r.ledgers().walks.hits())).toList());
        t.row("visits per walked folio mean/p99/max", runs.stream().map(r -> {
            WalkLedger w = r.ledgers().walks;
            return String.format(Locale.ROOT, "%.2f / %d / %d", w.meanVisits(), w.visitQuantile(0.99), w.maxVisits());
        }).toList());
        t.row("hits per walked folio mean/max", runs.stream().map(r -> String.format(Locale.ROOT, "%.2f / %d",
                r.ledgers().walks.meanHits(), r.ledgers().walks.maxHits())).toList());
        t.row("structural steps", runs.stream().map(r -> Long.toString(r.ledgers().walks.steps())).toList());
        t.section("locks");
        t.row("acquisitions (read/write/rcu)", runs.stream().map(r -> {
            LockLedger l = r.ledgers().lockReport();
            return l.total() + " (" + l.total(LockLedger.Mode.READ) + "/" + l.total(LockLedger.Mode.WRITE) + "/"
                    + l.total(LockLedger.Mode.RCU) + ")";
        }).toList());
        t.row("lock instances", runs.stream().map(r -> Integer.toString(r.ledgers().lockReport().instanceCount())).toList());
        t.row("hottest instance share", runs.stream().map(r -> {
            LockLedger l = r.ledgers().lockReport();
            LockLedger.Instance h = l.hottest();
            return h == null ? "-" : String.format(Locale.ROOT, "%.1f%% (%s)", 100 * l.hottestShare(), h.lockClass);
        }).toList());
        t.row("max processes on one lock", runs.stream().map(r -> Integer.toString(r.ledgers().lockReport().maxDistinctProcesses())).toList());
        t.section("the run");
        t.row("VMAs at the end / peak", runs.stream().map(r -> {
            ObjectLedger.Type v = r.ledgers().objects.types().get("vm_area_struct");
            return v.live + " / " + v.peak;
        }).toList());
        t.row("ops", runs.stream().map(r -> Long.toString(r.ops())).toList());
        t.row("page faults", runs.stream().map(r -> Long.toString(r.machine().faults())).toList());
        t.row("errors returned", runs.stream().map(r -> r.errors().isEmpty() ? "none" : r.errors().toString()).toList());
        t.row("oracle (" + runs.get(0).check().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")", runs.stream().map(r ->
                r.ok() ? "ok, " + r.checkedWalks() + " walks checked" : "VIOLATIONS: " + r.violationCount()).toList());
        StringBuilder b = new StringBuilder();
        b.append("workload ").append(workload).append("  (zero page ").append(cfg.zeroPage() ? "on" : "off")
                .append("; object sizes: ").append(cfg.sizes().source()).append(")\n");
        b.append(t.render());
        for (RunResult r : runs) {
            if (r.ok()) continue;
            b.append("\n").append(r.design()).append(": the oracle found ").append(r.violationCount()).append(" violation(s)\n");
            if (r.mapcountError() != null) b.append("  simulated kernel inconsistency: ").append(r.mapcountError()).append('\n');
            for (Violation v : r.violations()) b.append("  ").append(v.describe()).append('\n');
        }
        return b.toString();
    }
}
