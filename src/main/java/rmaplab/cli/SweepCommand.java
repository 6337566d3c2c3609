package rmaplab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.gen.GenSpec;
import rmaplab.report.Csv;
import rmaplab.report.Output;
import rmaplab.report.Report;
import rmaplab.report.RunJson;
import rmaplab.report.Table;
import rmaplab.rmap.Designs;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a generated workload over a grid of parameter values (every combination of the --vary "
                + "lists) under every design, and print a headline figure table; --csv FILE writes every figure, one "
                + "row per point and design, one column per parameter and per figure; --html FILE charts each headline "
                + "figure against the first varied parameter (log-log where the values span decades).",
        footer = {"", "Presets (the linux-mm thread's questions): " + SweepCommand.PRESET_LIST + ".",
                Verdict.EXIT_STATUS,
                "Examples:",
                "  rmaplab sweep gen:linux-mm --vary children=10,30,100,300,1000 --csv /tmp/s.csv --html /tmp/s.html",
                "  rmaplab sweep gen:fork-chain:regions=4 --vary depth=10,100 --vary exit-middle=0,1 --design linux",
                "  rmaplab sweep --preset walk-vs-children --html /tmp/walk.html"})
final class SweepCommand implements Callable<Integer> {
    /** Presets: name → the workload and the --vary values it stands for. */
    static final Map<String, String[]> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("walk-vs-children", new String[] {"gen:linux-mm", "children=10,30,100,300,1000"});
        PRESETS.put("walk-vs-depth", new String[] {"gen:fork-chain", "depth=5,10,20,40,80,160,320"});
        PRESETS.put("memory-vs-apps", new String[] {"gen:fork-server", "apps=5,10,20,50,100,200"});
    }

    static final String PRESET_LIST = "walk-vs-children = gen:linux-mm --vary children=10,30,100,300,1000; "
            + "walk-vs-depth = gen:fork-chain --vary depth=5,10,20,40,80,160,320; "
            + "memory-vs-apps = gen:fork-server --vary apps=5,10,20,50,100,200";

    @Parameters(index = "0", arity = "0..1", paramLabel = "gen:NAME[:K=V,...]",
            description = "The generated workload; the parameters given here are fixed, the others at their defaults.")
    String workload;

    @Option(names = "--vary", paramLabel = "K=V1,V2,...", description = "A parameter and its values (repeatable: the "
            + "grid is every combination, the first --vary on the charts' x axis).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--preset", paramLabel = "NAME", description = "A preset workload and --vary (below); more --vary "
            + "may be added.")
    String preset;

    @Option(names = "--design", paramLabel = "NAME", description = "A design to run (repeatable). Default: every design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--check", description = "Also let the oracle walk every live folio at the end of each point.")
    boolean check;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write every figure as a wide CSV (- for standard "
            + "output, instead of the table).")
    Path csv;

    @Option(names = "--json", description = "Print the points as one JSON document instead of the table: "
            + "per point its parameters and, per design, every figure by name (docs/json-output.md).")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report with a chart per "
            + "headline figure (docs/report.md).")
    Path html;

    @Mixin MachineOptions machine;

    @Mixin WideOption layout;

    /** One point of the grid: its varied values and the spec that generates it. */
    record Point(Map<String, Long> varied, GenSpec spec) {}

    @Override public Integer call() {
        String base = workload;
        List<String> varies = new ArrayList<>();
        if (preset != null) {
            String[] p = PRESETS.get(preset);
            if (p == null) {
                System.err.println("rmaplab: unknown preset '" + preset + "'; the presets: " + String.join(", ", PRESETS.keySet()));
                return Main.BAD_INPUT;
            }
            if (base == null) base = p[0];
            varies.add(p[1]);
        }
        varies.addAll(vary);
        if (base == null || !GenSpec.isSpec(base)) {
            System.err.println("rmaplab: sweep needs a generated workload gen:NAME[:K=V,...] or --preset NAME "
                    + "(see 'rmaplab sweep --help')");
            return Main.BAD_INPUT;
        }
        if (varies.isEmpty()) {
            System.err.println("rmaplab: sweep needs at least one --vary K=V1,V2,...");
            return Main.BAD_INPUT;
        }
        for (Path out : new Path[] {csv, html}) {
            if (out == null || out.toString().equals("-")) continue;
            String why = Main.outputProblem(out);
            if (why != null) {
                System.err.println("rmaplab: cannot write " + out + ": " + why);
                return Main.BAD_INPUT;
            }
        }
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        List<Point> points;
        Map<String, List<Long>> axes = new LinkedHashMap<>();
        try {
            for (String d : names) Designs.get(d);
            GenSpec spec = GenSpec.parse(base);
            for (String v : varies) {
                int eq = v.indexOf('=');
                if (eq <= 0 || eq == v.length() - 1) throw new IllegalArgumentException("--vary " + v + ": not K=V1,V2,...");
                String k = v.substring(0, eq);
                if (!spec.params().containsKey(k))
                    throw new IllegalArgumentException("--vary " + v + ": " + spec.generator().name() + " has no parameter '"
                            + k + "' (it has " + String.join(", ", spec.params().keySet()) + ")");
                if (axes.containsKey(k)) throw new IllegalArgumentException("--vary " + k + " is given twice");
                List<Long> values = new ArrayList<>();
                for (String s : v.substring(eq + 1).split(",")) values.add(spec.generator().params().get(k).parse(k, s.strip()));
                axes.put(k, values);
            }
            points = grid(spec, axes); // every point checked against the ranges before anything runs
        } catch (IllegalArgumentException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        CheckMode mode = check ? CheckMode.END : CheckMode.WALKS;
        List<Report.Point> results = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (Progress progress = Progress.start("sweep", "points", points.size())) {
            for (Point p : points) {
                OpSource src = OpSource.of(p.spec().text(), p.spec().ops());
                MachineConfig cfg = machine.configFor(p.spec().text());
                List<RunResult> runs = Runner.runAll(progress.counting(src, names.size()), names, cfg, mode,
                        Runtime.getRuntime().availableProcessors());
                Map<String, Map<String, Object>> figures = new LinkedHashMap<>();
                for (RunResult r : runs) {
                    figures.put(r.design(), RunJson.flat(r));
                    if (!r.ok() && !bad.contains(r.design())) bad.add(r.design());
                }
                results.add(new Report.Point(p.varied(), figures));
                progress.step(1);
            }
        } catch (WorkloadException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException | rmaplab.record.Truth.BadTruthException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        List<String> varied = new ArrayList<>(axes.keySet());
        String wide = wideCsv(points, results);
        boolean csvToStdout = csv != null && csv.toString().equals("-");
        if (csvToStdout && json) {
            System.err.println("rmaplab: --csv - and --json exclude each other");
            return Main.BAD_INPUT;
        }
        if (json) Output.print(rmaplab.report.Json.write(document(base, varied, points, results)) + "\n");
        else if (csvToStdout) Output.print(wide);
        else Output.text(table(varied, results).render(layout.width()), layout.width());
        if (csv != null && !csvToStdout) Output.file(csv, out -> out.write(wide.getBytes(StandardCharsets.UTF_8)));
        if (html != null) {
            String note = csv != null && !csvToStdout ? "Every figure of every point is in " + csv.getFileName() + "." : "";
            String page = Report.sweep(base, varied, results, note);
            Output.file(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
        }
        return Verdict.status(bad, !designs.isEmpty());
    }

    /** The JSON document: the workload, the varied parameters, and per point its parameters and figures. */
    static Map<String, Object> document(String base, List<String> varied, List<Point> points, List<Report.Point> results) {
        Map<String, Object> doc = rmaplab.report.Json.document();
        doc.put("workload", base);
        doc.put("varied", varied);
        List<Object> ps = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("params", points.get(i).spec().params());
            p.put("designs", results.get(i).figures());
            ps.add(p);
        }
        doc.put("points", ps);
        return doc;
    }

    /** Every combination of the axes' values, the first axis varying slowest. */
    static List<Point> grid(GenSpec spec, Map<String, List<Long>> axes) {
        List<Map<String, Long>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (var axis : axes.entrySet()) {
            List<Map<String, Long>> next = new ArrayList<>();
            for (Map<String, Long> c : combos)
                for (long v : axis.getValue()) {
                    Map<String, Long> m = new LinkedHashMap<>(c);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            combos = next;
        }
        List<Point> out = new ArrayList<>();
        for (Map<String, Long> c : combos) {
            Map<String, Long> params = new LinkedHashMap<>(spec.params());
            params.putAll(c);
            StringBuilder text = new StringBuilder(GenSpec.PREFIX).append(spec.generator().name()).append(':');
            boolean first = true;
            for (var e : params.entrySet()) {
                if (!first) text.append(',');
                text.append(e.getKey()).append('=').append(e.getValue());
                first = false;
            }
            out.add(new Point(c, GenSpec.parse(text.toString())));
        }
        return out;
    }

    /** The wide CSV: every generator parameter, the design, then every figure (the union, in first-seen order). */
    static String wideCsv(List<Point> points, List<Report.Point> results) {
        Set<String> figures = new LinkedHashSet<>();
        for (Report.Point r : results) for (Map<String, Object> f : r.figures().values()) figures.addAll(f.keySet());
        figures.remove("design");
        List<String> params = new ArrayList<>(points.get(0).spec().params().keySet());
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>(params);
        head.add("design");
        head.addAll(figures);
        b.append(String.join(",", head.stream().map(Csv::field).toList())).append('\n');
        for (int i = 0; i < points.size(); i++) {
            Map<String, Long> p = points.get(i).spec().params();
            for (var d : results.get(i).figures().entrySet()) {
                List<String> row = new ArrayList<>();
                for (String k : params) row.add(String.valueOf(p.get(k)));
                row.add(Csv.field(d.getKey()));
                for (String f : figures) {
                    Object v = d.getValue().get(f);
                    row.add(v == null ? "" : Csv.field(String.valueOf(v)));
                }
                b.append(String.join(",", row)).append('\n');
            }
        }
        return b.toString();
    }

    /** The text table: a section per headline figure, a row per point, a column per design. */
    static Table table(List<String> varied, List<Report.Point> results) {
        List<String> designs = new ArrayList<>(results.get(0).figures().keySet());
        Table t = new Table(designs);
        for (var f : Report.SWEEP_FIGURES.entrySet()) {
            t.section(f.getValue() + " (" + f.getKey() + ")");
            for (Report.Point p : results) {
                List<String> label = new ArrayList<>();
                for (String k : varied) label.add(k + "=" + p.params().get(k));
                List<String> row = new ArrayList<>();
                for (String d : designs) {
                    Object v = p.figures().get(d).get(f.getKey());
                    row.add(v == null ? "-" : String.valueOf(v));
                }
                t.row(String.join(" ", label), row);
            }
        }
        return t;
    }
}
