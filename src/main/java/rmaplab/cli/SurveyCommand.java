package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import rmaplab.report.Json;
import rmaplab.report.Output;
import rmaplab.report.SurveyJson;
import rmaplab.report.SurveyText;
import rmaplab.rmap.Designs;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabSizes;
import rmaplab.survey.ProcFormatException;
import rmaplab.survey.ProcReader;
import rmaplab.survey.Slabs;
import rmaplab.survey.Snapshot;
import rmaplab.survey.Survey;

@Command(name = "survey", mixinStandardHelpOptions = true,
        description = "Survey this machine's /proc: processes and threads (kernel threads apart), the share of leaf "
                + "processes, VMAs, anonymous VMAs and pages; rebuild the state as a workload (fork tree in start "
                + "order, each process's VMAs and anonymous pages, pages shared with the parent inherited) and run "
                + "every design on it for an estimate of its rmap metadata, beside /proc/slabinfo's counts.",
        footer = {"", "Root sees page frame numbers (pagemap, kpagecount, kpageflags) and so which pages are shared; "
                + "without root the survey says what it could not see and goes on.",
                "Exit status: 0 ok, 1 the oracle found a violation (with --check; with the default set of designs, "
                        + "only in a design not registered as known to miss mappings, as for run and compare), 2 bad "
                        + "input, 3 /proc not readable, " + Main.EXIT_STATUS_ALWAYS,
                "Example: rmaplab survey --workload /tmp/machine.rmw"})
final class SurveyCommand implements Callable<Integer> {
    @Option(names = "--design", paramLabel = "NAME",
            description = "A design to estimate (repeatable). Default: every registered design.")
    List<String> designs = new ArrayList<>();

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    @Option(names = "--csv", description = "Print the figures as CSV: figure,value (the JSON's fields, flattened with dots).")
    boolean csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report (the survey, "
            + "and a chart of each design's metadata estimate; docs/report.md).")
    Path html;

    @Option(names = "--processes", description = "Also list every process (by pid): threads, children, how it was "
            + "rebuilt (root, fork_shared_pages, fork_same_layout, exec, same_mm), VMAs, anonymous VMAs and PTEs.")
    boolean processes;

    @Option(names = "--check", description = "Let the oracle walk every live folio of the rebuilt state under every design.")
    boolean check;

    @Option(names = "--max-scan", paramLabel = "PAGES", defaultValue = "16777216",
            description = "Read at most this many pagemap entries (8 bytes each); VMAs past it are counted from smaps. "
                    + "Default: ${DEFAULT-VALUE} (64 GiB of address space).")
    long maxScan;

    @Option(names = "--workload", paramLabel = "FILE",
            description = "Also write the rebuilt workload there (run it with 'rmaplab run' or 'compare').")
    Path workload;

    @Option(names = "--proc", paramLabel = "DIR", defaultValue = "/proc", hidden = true,
            description = "The proc directory (for tests).")
    Path proc;

    @Option(names = "--sys-slab", paramLabel = "DIR", defaultValue = "/sys/kernel/slab", hidden = true,
            description = "The slab directory of sysfs (for tests).")
    Path sysSlab;

    @Option(names = "--default-sizes",
            description = "Use the built-in object sizes (anon_vma 104 B, anon_vma_chain 64 B, vm_area_struct 192 B) "
                    + "even where /proc/slabinfo is readable.")
    boolean defaultSizes;

    @picocli.CommandLine.Mixin WideOption layout;

    @Override public Integer call() {
        List<String> names = designs.isEmpty() ? new ArrayList<>(Designs.all().keySet()) : designs;
        for (String d : names) {
            try {
                Designs.get(d);
            } catch (IllegalArgumentException e) {
                System.err.println("rmaplab: " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        if (csv && json) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        String htmlWhy = html == null ? null : Main.outputProblem(html);
        if (htmlWhy != null) {
            System.err.println("rmaplab: cannot write " + html + ": " + htmlWhy);
            return Main.BAD_INPUT;
        }
        if (maxScan < 0) {
            System.err.println("rmaplab: --max-scan must not be negative");
            return Main.BAD_INPUT;
        }
        if (!Files.isDirectory(proc.resolve("self")) && !Files.isDirectory(proc)) {
            System.err.println("rmaplab: " + proc + " is not readable: nothing to survey");
            return Main.UNAVAILABLE;
        }
        long t0 = System.nanoTime();
        Snapshot snap;
        Progress progress = Progress.start("survey", "", 1);
        progress.stage("reading " + proc);
        try {
            snap = new ProcReader(proc, maxScan, (int) ProcessHandle.current().pid()).read();
        } catch (ProcFormatException e) {
            System.err.println(e.getMessage());
            progress.close();
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: " + proc + " is not readable (" + e.getMessage() + "): nothing to survey");
            progress.close();
            return Main.UNAVAILABLE;
        }
        if (snap.procs().isEmpty()) {
            System.err.println("rmaplab: no user process found in " + proc);
            progress.close();
            return Main.UNAVAILABLE;
        }
        Slabs slabs = Slabs.read(proc.resolve("slabinfo"), sysSlab);
        // the rebuilt workload only writes, so the zero page setting does not matter
        MachineConfig cfg = MachineConfig.defaults().withSizes(defaultSizes ? SlabSizes.DEFAULTS : sizes(slabs, proc));
        long readMillis = (System.nanoTime() - t0) / 1_000_000;
        Survey.Result r;
        progress.stage("rebuilding the state and running " + names.size() + " design(s) on it");
        try {
            r = Survey.run(snap, slabs, cfg, names, check, readMillis);
        } catch (IOException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.INTERNAL;
        } finally {
            progress.close();
        }
        if (workload != null) Output.workload(workload, r.rebuilt().ops());
        String kernel = kernel(proc);
        if (json) {
            var doc = SurveyJson.document(r, kernel);
            if (processes) doc.put("process_list", SurveyJson.processList(r));
            Output.print(Json.write(doc) + "\n");
        } else if (csv) {
            var doc = SurveyJson.document(r, kernel);
            if (processes) doc.put("process_list", SurveyJson.processList(r));
            Output.print(rmaplab.report.Csv.figures(doc));
        } else {
            Output.text(SurveyText.text(r, kernel, layout.width()) + (processes ? "\n-- processes\n" + SurveyText.processes(r) : ""), layout.width());
        }
        if (html != null) {
            String text = rmaplab.report.Text.fit(SurveyText.text(r, kernel), rmaplab.report.Table.COLUMNS);
            Output.file(html, out -> out.write(rmaplab.report.Report.survey(r, text)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return Verdict.status(r.estimates().stream().filter(e -> !e.oracleOk()).map(Survey.Estimate::design).toList(),
                !designs.isEmpty());
    }

    /** The object sizes of the slabinfo just read, else the defaults. */
    private static SlabSizes sizes(Slabs s, Path proc) {
        var av = s.lines().get("anon_vma");
        var avc = s.lines().get("anon_vma_chain");
        var vma = s.lines().get("vm_area_struct");
        if (av == null || avc == null || vma == null) return SlabSizes.DEFAULTS;
        return new SlabSizes(av.objsize(), avc.objsize(), vma.objsize(), proc.resolve("slabinfo").toString());
    }

    private static String kernel(Path proc) {
        try {
            return "Linux " + Files.readString(proc.resolve("sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
