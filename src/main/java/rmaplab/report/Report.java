package rmaplab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.kernel.KernelCheckFiles;
import rmaplab.kernel.RecordingCheck;
import rmaplab.ledger.ObjectFigures;
import rmaplab.run.RunResult;
import rmaplab.sim.MachineConfig;
import rmaplab.survey.Survey;

/**
 * The HTML reports (docs/report.md): 'compare', 'sweep', 'survey' and
 * 'kernel-check' as one self-contained page each, the tables of the text
 * output beside charts of the same figures.
 */
public final class Report {
    private Report() {}

    /** One workload's runs, as 'compare' made them. */
    public record Workload(String name, MachineConfig config, List<RunResult> runs) {}

    /** 'compare': per workload, its table and charts of metadata, walks, per-op costs and locks. */
    public static String compare(List<Workload> workloads) {
        Html h = new Html("rmaplab compare: " + String.join(", ", workloads.stream().map(Workload::name).toList()));
        for (Workload w : workloads) {
            h.h2(w.name());
            List<String> designs = w.runs().stream().map(RunResult::design).toList();
            h.p("Zero page " + (w.config().zeroPage() ? "on" : "off") + "; object sizes: " + w.config().sizes().source()
                    + ". Figures at the end of the workload, every task that did not exit still alive.");
            metadataChart(h, designs, w.runs());
            walkChart(h, designs, w.runs());
            opCostChart(h, designs, w.runs());
            lockCharts(h, designs, w.runs());
            h.h3("All figures");
            h.table(RunTable.table(w.config(), w.runs()));
            String v = RunTable.violations(w.runs());
            if (!v.isEmpty()) h.h3("Oracle violations").pre(v.strip());
        }
        return h.page();
    }

    private static void metadataChart(Html h, List<String> designs, List<RunResult> runs) {
        Map<String, List<? extends Number>> byType = new LinkedHashMap<>();
        for (RunResult r : runs)
            for (String t : r.ledgers().objects().types().keySet()) byType.putIfAbsent(t, null);
        for (String t : new ArrayList<>(byType.keySet())) {
            List<Long> v = new ArrayList<>();
            for (RunResult r : runs) {
                ObjectFigures.Type ty = r.ledgers().objects().types().get(t);
                v.add(ty == null ? 0L : ty.liveBytes());
            }
            if (v.stream().allMatch(x -> x == 0)) byType.remove(t);
            else byType.put(t, v);
        }
        h.bars("Metadata at the end, bytes per object type (stacked)", "bytes", designs, byType, true, false);
    }

    private static void walkChart(Html h, List<String> designs, List<RunResult> runs) {
        Map<String, List<? extends Number>> s = new LinkedHashMap<>();
        s.put("visits (VMAs examined)", runs.stream().map(r -> r.ledgers().walks().visits()).toList());
        s.put("hits (real mappings)", runs.stream().map(r -> r.ledgers().walks().hits()).toList());
        s.put("structural steps", runs.stream().map(r -> r.ledgers().walks().steps()).toList());
        h.bars("Reverse walks: visits against real mappings, over all walks", "count", designs, s, false, false);
    }

    private static void opCostChart(Html h, List<String> designs, List<RunResult> runs) {
        Map<String, List<? extends Number>> s = new LinkedHashMap<>();
        for (String op : RunTable.COSTED_OPS) {
            if (runs.stream().noneMatch(r -> r.machine().opCounts().containsKey(op))) continue;
            List<Double> v = new ArrayList<>();
            for (RunResult r : runs) v.add(RunTable.allocatedPerOp(r, op));
            if (op.equals("touch")) v.replaceAll(x -> Math.round(x) / 1000.0); // per fault: on the scale of the others
            s.put(op.equals("touch") ? "per fault" : "per " + op, v);
        }
        h.bars("rmap objects allocated per operation (vm_area_struct excluded)", "objects per op", designs, s, false, false);
    }

    private static void lockCharts(Html h, List<String> designs, List<RunResult> runs) {
        Map<String, List<? extends Number>> s = new LinkedHashMap<>();
        s.put("read", runs.stream().map(r -> r.ledgers().locks().read()).toList());
        s.put("write", runs.stream().map(r -> r.ledgers().locks().write()).toList());
        s.put("rcu", runs.stream().map(r -> r.ledgers().locks().rcu()).toList());
        h.bars("Lock acquisitions by mode (stacked)", "acquisitions", designs, s, true, false);
        Map<String, List<? extends Number>> scope = new LinkedHashMap<>();
        scope.put("hottest instance share (%)", runs.stream().map(r -> round(100 * r.ledgers().locks().hottestShare())).toList());
        scope.put("max processes on one lock", runs.stream().map(r -> (Number) r.ledgers().locks().maxDistinctProcesses()).toList());
        h.bars("Lock scope: share of acquisitions on the hottest instance, processes sharing one lock", "", designs, scope,
                false, false);
    }

    /** One point of a sweep: the varied parameters' values and, per design, its flat figures (RunJson.flat). */
    public record Point(Map<String, Long> params, Map<String, Map<String, Object>> figures) {}

    /** The figures a sweep report charts (the CSV has them all), with their titles. */
    public static final Map<String, String> SWEEP_FIGURES = sweepFigures();

    private static Map<String, String> sweepFigures() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("metadata_bytes.live", "rmap metadata at the end (bytes)");
        m.put("metadata_bytes.peak", "rmap metadata, peak (bytes)");
        m.put("walks.visits_mean", "VMAs examined per walked folio, mean");
        m.put("walks.visits_max", "VMAs examined per walked folio, max");
        m.put("walks.hits_mean", "real mappings per walked folio, mean");
        m.put("walks.steps_mean", "structural steps per walk, mean");
        m.put("walks.entered_mean", "anon_vmas/contexts/mms entered per walk, mean");
        m.put("locks.acquisitions", "lock acquisitions");
        m.put("locks.max_processes_per_instance", "max processes on one lock");
        return m;
    }

    /** 'sweep': one chart per figure against the first varied parameter (a series per design and other values). */
    public static String sweep(String base, List<String> varied, List<Point> points, String csvNote) {
        Html h = new Html("rmaplab sweep: " + base + " varying " + String.join(", ", varied));
        String x = varied.get(0);
        List<Long> xs = points.stream().map(p -> p.params().get(x)).distinct().sorted().toList();
        h.p("Each point is " + base + " with " + String.join(", ", varied) + " set as below, run under every design. "
                + csvNote);
        h.h2("Charts");
        for (var f : SWEEP_FIGURES.entrySet()) {
            Map<String, List<? extends Number>> series = new LinkedHashMap<>();
            double min = Double.MAX_VALUE, max = 0;
            for (Point p : points)
                for (var d : p.figures().entrySet()) {
                    String name = d.getKey() + others(p.params(), x);
                    @SuppressWarnings("unchecked")
                    List<Number> v = (List<Number>) series.computeIfAbsent(name, k -> new ArrayList<Number>(
                            java.util.Collections.nCopies(xs.size(), (Number) null)));
                    Object val = d.getValue().get(f.getKey());
                    if (val instanceof Number n) {
                        v.set(xs.indexOf(p.params().get(x)), n);
                        if (n.doubleValue() > 0) min = Math.min(min, n.doubleValue());
                        max = Math.max(max, n.doubleValue());
                    }
                }
            boolean logX = xs.get(0) > 0 && xs.get(xs.size() - 1) >= 100L * xs.get(0);
            boolean logY = min < Double.MAX_VALUE && max >= 100 * min && series.values().stream()
                    .allMatch(l -> l.stream().allMatch(n -> n == null || n.doubleValue() > 0));
            h.lines(f.getValue() + " against " + x, x, f.getValue(), xs, series, logX, logY);
        }
        h.h2("Figures");
        List<String> cols = new ArrayList<>(varied);
        cols.add("design");
        cols.addAll(SWEEP_FIGURES.keySet());
        Table t = new Table(cols.subList(1, cols.size()));
        for (Point p : points)
            for (var d : p.figures().entrySet()) {
                List<String> row = new ArrayList<>();
                for (String v : varied.subList(1, varied.size())) row.add(String.valueOf(p.params().get(v)));
                row.add(d.getKey());
                for (String f : SWEEP_FIGURES.keySet()) row.add(String.valueOf(d.getValue().get(f)));
                t.row(x + "=" + p.params().get(x), row);
            }
        h.table(t);
        return h.page();
    }

    private static String others(Map<String, Long> params, String x) {
        StringBuilder b = new StringBuilder();
        for (var e : params.entrySet()) if (!e.getKey().equals(x)) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        return b.toString();
    }

    /** 'survey': the text output, and the metadata estimate per design as a chart. */
    public static String survey(Survey.Result r, String text) {
        Html h = new Html("rmaplab survey of this machine");
        List<String> designs = r.estimates().stream().map(Survey.Estimate::design).toList();
        Map<String, List<? extends Number>> byType = new LinkedHashMap<>();
        for (Survey.Estimate e : r.estimates()) for (String t : e.objects().keySet()) byType.putIfAbsent(t, null);
        for (String t : new ArrayList<>(byType.keySet())) {
            List<Long> v = r.estimates().stream().map(e -> e.objects().containsKey(t) ? e.objects().get(t)[1] : 0L).toList();
            if (v.stream().allMatch(x -> x == 0)) byType.remove(t);
            else byType.put(t, v);
        }
        h.h2("rmap metadata estimate per design");
        h.bars("rmap metadata for this machine's state, bytes per object type (stacked)", "bytes", designs, byType, true, false);
        h.h2("The survey");
        h.pre(text);
        return h.page();
    }

    /** 'kernel-check': per recording, model against kernel by kind (chart) and by op (table); the live files' table. */
    public static String kernelCheck(List<RecordingCheck.Result> recs, KernelCheckFiles.Live live) {
        Html h = new Html("rmaplab kernel-check");
        for (RecordingCheck.Result r : recs) {
            h.h2(r.file() + ": " + KernelCheckText.verdict(r));
            List<String> kinds = r.kinds().stream().map(RecordingCheck.KindResult::kind).toList();
            Map<String, List<? extends Number>> s = new LinkedHashMap<>();
            s.put("model, allocated", r.kinds().stream().map(RecordingCheck.KindResult::modelRecordable).toList());
            s.put("kernel, allocated", r.kinds().stream().map(RecordingCheck.KindResult::kernelComparable).toList());
            h.bars("Objects allocated over the recording: model against kernel", "objects", kinds, s, false, false);
            h.table(KernelCheckText.table(r));
            h.pre(Text.fit(KernelCheckText.notes(r).strip(), Table.COLUMNS));
        }
        if (live != null) {
            h.h2("Live kernel");
            h.pre(Text.fit(KernelCheckText.live(live).strip(), Table.COLUMNS));
        }
        return h.page();
    }

    private static Number round(double v) { return Math.round(v * 10) / 10.0; }
}
