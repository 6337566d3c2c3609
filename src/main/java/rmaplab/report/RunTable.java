package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import rmaplab.ledger.LockFigures;
import rmaplab.ledger.ObjectFigures;
import rmaplab.ledger.WalkFigures;
import rmaplab.oracle.Violation;
import rmaplab.run.CheckMode;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabCache;
import rmaplab.sim.SlabSizes;

/**
 * A workload's runs as the side-by-side text table of 'run' and 'compare':
 * one row per figure, one column per design, then the oracle's violations.
 */
public final class RunTable {
    private RunTable() {}

    /** The design other designs are compared with, when it ran. */
    public static final String BASELINE = "linux";

    /** The ops whose rmap cost per op the table shows, in this order ("touch" as per 1000 faults). */
    static final List<String> COSTED_OPS = List.of("fork", "exit", "exec", "touch", "munmap", "mremap", "mprotect");

    /** The oracle's check mode as the output spells it: "walks", "end", "every-op". */
    static String checkName(CheckMode c) { return c.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The table in {@link Table#COLUMNS} columns. */
    public static String text(String workload, MachineConfig cfg, List<RunResult> runs) {
        return text(workload, cfg, runs, Table.COLUMNS);
    }

    /** The table fitted to {@code width} ({@link Table#render(int)}; {@link Table#UNLIMITED} for '--wide'). */
    public static String text(String workload, MachineConfig cfg, List<RunResult> runs, int width) {
        Table t = table(cfg, runs);
        StringBuilder b = new StringBuilder();
        b.append("workload ").append(workload).append("  (zero page ").append(cfg.zeroPage() ? "on" : "off")
                .append("; object sizes: ").append(cfg.sizes().source()).append(")\n");
        b.append(t.render(width));
        b.append(violations(runs));
        return b.toString();
    }

    /** The oracle's violations, design by design (empty when every walk was right). */
    static String violations(List<RunResult> runs) {
        StringBuilder b = new StringBuilder();
        for (RunResult r : runs) {
            if (r.ok()) continue;
            b.append("\n").append(r.design()).append(": the oracle found ").append(r.violationCount()).append(" violation(s)\n");
            if (r.mapcountError() != null) b.append("  simulated kernel inconsistency: ").append(r.mapcountError()).append('\n');
            for (Violation v : r.violations()) b.append("  ").append(v.describe()).append('\n');
        }
        return b.toString();
    }

    /** The side-by-side table of a workload's runs: a row per figure, a column per design. */
    static Table table(MachineConfig cfg, List<RunResult> runs) {
        Table t = new Table(runs.stream().map(RunResult::design).toList());
        List<String> types = new ArrayList<>();
        for (RunResult r : runs)
            for (String n : r.ledgers().objects().types().keySet()) if (!types.contains(n)) types.add(n);
        RunResult base = runs.stream().filter(r -> r.design().equals(BASELINE)).findFirst().orElse(null);
        t.section("objects at the end (count / bytes" + (base != null ? ", bytes relative to " + BASELINE : "") + ")");
        for (String n : types) t.row(n, perType(runs, n, ty -> ty.live() + " / " + Table.bytes(ty.liveBytes())));
        t.row("all metadata bytes", each(runs, r -> Table.bytes(r.ledgers().objects().liveBytes())
                + relative(r.ledgers().objects().liveBytes(), base == null ? -1 : base.ledgers().objects().liveBytes(), r, base)));
        if (cfg.sizes().profile() != null) slabs(t, runs, cfg.sizes());
        t.section("peak (count / bytes)");
        for (String n : types) t.row(n, perType(runs, n, ty -> ty.peak() + " / " + Table.bytes(ty.peakBytes())));
        t.row("all metadata bytes", each(runs, r -> Table.bytes(r.ledgers().objects().peakBytes())
                + relative(r.ledgers().objects().peakBytes(), base == null ? -1 : base.ledgers().objects().peakBytes(), r, base)));
        t.section("rmap objects per operation (allocated / freed, vm_area_struct excluded)");
        for (String op : COSTED_OPS)
            if (runs.stream().anyMatch(r -> r.machine().opCounts().containsKey(op)))
                t.row("per " + (op.equals("touch") ? "1000 faults" : op), each(runs, r -> perOp(r, op)));
        t.section("allocated over the run");
        for (String n : types) t.row(n, perType(runs, n, ty -> Long.toString(ty.allocated())));
        walks(t, runs);
        locks(t, runs);
        t.section("the run");
        t.row("VMAs at the end / peak", each(runs, r -> {
            ObjectFigures.Type v = r.ledgers().objects().types().get("vm_area_struct");
            return v.live() + " / " + v.peak();
        }));
        t.row("ops", each(runs, r -> Long.toString(r.ops())));
        t.row("page faults", each(runs, r -> Long.toString(r.machine().faults())));
        t.row("errors returned", each(runs, r -> r.errors().isEmpty() ? "none" : r.errors().toString()));
        t.row("oracle (" + checkName(runs.get(0).check()) + ")", each(runs, r ->
                r.ok() ? "ok, " + r.checkedWalks() + " walks checked" : "VIOLATIONS: " + r.violationCount()));
        return t;
    }

    /**
     * The slab section, shown when a kernel profile was chosen (so the
     * default output stays as it was): active KB per cache (live x slot, the
     * cover letter's measure) and what the slab charges per vm_area_struct.
     */
    private static void slabs(Table t, List<RunResult> runs, SlabSizes sizes) {
        t.section("slab caches of " + sizes.profile() + " (active KiB = objects x slot / 1024, docs/slab.md)");
        for (SlabCache base : sizes.caches()) {
            t.row(base.name(), perType(runs, base.name(), ty -> SlabFigures.cell(SlabFigures.cache(sizes, ty), ty.live())));
            if (base.name().equals(SlabSizes.VMA))
                t.row("  slot per vm_area_struct", perType(runs, base.name(), ty -> SlabFigures.growthCell(base, ty)));
        }
    }

    private static void walks(Table t, List<RunResult> runs) {
        t.section("reverse walks");
        t.row("walks", each(runs, r -> Long.toString(r.ledgers().walks().walks())));
        t.row("visits", each(runs, r -> Long.toString(r.ledgers().walks().visits())));
        t.row("hits (real mappings)", each(runs, r -> Long.toString(r.ledgers().walks().hits())));
        t.row("visits per walked folio mean/p99/max", each(runs, r -> {
            WalkFigures w = r.ledgers().walks();
            return String.format(Locale.ROOT, "%.2f / %d / %d", w.meanVisits(), w.visitQuantile(0.99), w.maxVisits());
        }));
        t.row("hits per walked folio mean/max", each(runs, r -> String.format(Locale.ROOT, "%.2f / %d",
                r.ledgers().walks().meanHits(), r.ledgers().walks().maxHits())));
        t.row("structural steps", each(runs, r -> Long.toString(r.ledgers().walks().steps())));
        t.row("anon_vmas/contexts/mms entered per walk mean/p99/max", each(runs, r -> {
            WalkFigures w = r.ledgers().walks();
            return String.format(Locale.ROOT, "%.2f / %d / %d", w.meanEntered(), w.enteredQuantile(0.99), w.maxEntered());
        }));
        if (runs.stream().anyMatch(r -> r.ledgers().walks().repointedFolios() > 0))
            t.row("folios re-pointed (PTEs examined)", each(runs, r -> r.ledgers().walks().repointedFolios()
                    + " (" + r.ledgers().walks().repointPtes() + ")"));
    }

    private static void locks(Table t, List<RunResult> runs) {
        t.section("locks");
        t.row("acquisitions (read/write/rcu)", each(runs, r -> {
            LockFigures l = r.ledgers().locks();
            return l.total() + " (" + l.read() + "/" + l.write() + "/" + l.rcu() + ")";
        }));
        t.row("lock instances", each(runs, r -> Integer.toString(r.ledgers().locks().instanceCount())));
        t.row("hottest instance share", each(runs, r -> {
            LockFigures l = r.ledgers().locks();
            return l.hottest() == null ? "-"
                    : String.format(Locale.ROOT, "%.1f%% (%s)", 100 * l.hottestShare(), l.hottest().lockClass());
        }));
        t.row("max processes on one lock", each(runs, r -> Integer.toString(r.ledgers().locks().maxDistinctProcesses())));
    }

    private static List<String> each(List<RunResult> runs, Function<RunResult, String> cell) {
        return runs.stream().map(cell).toList();
    }

    /** One cell per run for object type {@code n}: "-" where the design has no such type. */
    private static List<String> perType(List<RunResult> runs, String n, Function<ObjectFigures.Type, String> cell) {
        return each(runs, r -> {
            ObjectFigures.Type ty = r.ledgers().objects().types().get(n);
            return ty == null ? "-" : cell.apply(ty);
        });
    }

    private static String relative(long v, long b, RunResult r, RunResult base) {
        if (base == null || r == base) return "";
        if (b == 0) return v == 0 ? " (=)" : "";
        return String.format(Locale.ROOT, " (%+.0f%%)", 100.0 * (v - b) / b);
    }

    /** rmap objects allocated per op of a kind (per 1000 page faults for touch); 0 where no such op ran. */
    static double allocatedPerOp(RunResult r, String op) {
        long n = op.equals("touch") ? r.machine().faults() : r.machine().opCounts().getOrDefault(op, 0L);
        if (n == 0) return 0;
        long a = 0;
        var costs = r.ledgers().objects().byOp().get(op);
        if (costs != null)
            for (var e : costs.entrySet()) if (!e.getKey().equals("vm_area_struct")) a += e.getValue().allocated();
        return Math.round(a * (op.equals("touch") ? 1000.0 : 1.0) / n * 100) / 100.0;
    }

    /** rmap objects allocated and freed per op of a kind (per 1000 page faults for touch). */
    static String perOp(RunResult r, String op) {
        long n = op.equals("touch") ? r.machine().faults() : r.machine().opCounts().getOrDefault(op, 0L);
        if (n == 0) return "-";
        long a = 0, f = 0;
        var costs = r.ledgers().objects().byOp().get(op);
        if (costs != null)
            for (var e : costs.entrySet()) {
                if (e.getKey().equals("vm_area_struct")) continue;
                a += e.getValue().allocated();
                f += e.getValue().freed();
            }
        double scale = op.equals("touch") ? 1000.0 / n : 1.0 / n;
        return String.format(Locale.ROOT, "%.2f / %.2f", a * scale, f * scale);
    }
}
