package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.kernel.KernelCheckFiles;
import rmaplab.kernel.Probe;
import rmaplab.kernel.ProbeUnavailableException;
import rmaplab.kernel.RecordingCheck;
import rmaplab.record.Truth;
import java.nio.charset.StandardCharsets;
import rmaplab.report.Json;
import rmaplab.report.KernelCheckJson;
import rmaplab.report.KernelCheckText;
import rmaplab.report.Report;
import rmaplab.report.Output;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;

@Command(name = "kernel-check", mixinStandardHelpOptions = true,
        description = {"Check the 'linux' model against the kernel.",
                "A workload with a truth file beside it (X.rmw.gz or X.rmw with X.truth.json, as 'rmaplab import' "
                + "writes them from a perf recording) is checked against the recording: the model runs the workload, "
                + "and its anon_vma, anon_vma_chain and vm_area_struct allocations and frees, per workload op, are "
                + "compared with the kernel's own counts in the truth file. This needs no root and no perf.",
                "Any other workload is checked against the live kernel: run on the simulated kernel and with real "
                + "processes on this machine's kernel (probe/), comparing the objects (live at the end and allocated "
                + "over the run, counted exactly with perf tracepoint counters), every present page (frame sharing "
                + "and mapcounts), and the errors returned. This needs root, perf tracepoints and gcc."},
        footer = {"", "Exit status: 0 model = kernel on every file (for a recording: every kind's allocated total equal "
                + "or within 2 %% and what differs by op explained), 1 a difference, 2 bad input, 3 the live kernel "
                + "cannot be probed here (the reason is printed; only when live files were given), "
                + Main.EXIT_STATUS_ALWAYS,
                "Examples: rmaplab kernel-check examples/kernel/*.rmw", "          rmaplab kernel-check /tmp/kc/t.rmw.gz"})
final class KernelCheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workload files (a recording's X.rmw.gz, X.rmw or "
            + "X.truth.json names the recording).")
    List<Path> files;

    @Option(names = "--recording-zero-page", paramLabel = "on|off",
            description = "For recordings: did the recorded kernel map the zero page on an anonymous read fault? "
                    + "Default: the truth file's 'zeroPage' (off when a read fault made an anon_vma in the recording), "
                    + "else on, mainline's default, as 'run' and 'compare' do.")
    MachineOptions.OnOff recordingZeroPage; // null: not given

    @picocli.CommandLine.Mixin WideOption layout;

    @Option(names = "--json", description = "Print one JSON document: the recordings, then the live files "
            + "(docs/json-output.md).")
    boolean json;

    @Option(names = "--csv", description = "Print CSV: file,source,kind,op,figure,model,kernel (source: recording or live).")
    boolean csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with the "
            + "kernel-check tables and a chart of model against kernel (docs/report.md).")
    Path html;

    @Override public Integer call() {
        if (csv && json) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        String htmlWhy = html == null ? null : Main.outputProblem(html);
        if (htmlWhy != null) {
            System.err.println("rmaplab: cannot write " + html + ": " + htmlWhy);
            return Main.BAD_INPUT;
        }
        boolean text = !csv && !json;
        KernelCheckFiles in;
        try {
            List<Path> regular = new java.util.ArrayList<>();
            for (Path f : files) regular.add(Spool.regular(f, ".rmw")); // - and pipes: read more than once
            in = KernelCheckFiles.read(regular); // every file read and validated before anything runs
        } catch (KernelCheckFiles.BadInput e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("rmaplab: cannot read standard input or a pipe: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        in.warnings().forEach(System.err::println);
        int bad = 0, done = 0;
        List<RecordingCheck.Result> recs = new java.util.ArrayList<>();
        KernelCheckFiles.Live live = null;
        Integer early = null;
        try (Progress progress = Progress.start("kernel-check", "files", in.recordings().size() + in.live().size())) {
            for (KernelCheckFiles.Recording rec : in.recordings()) {
                RecordingCheck.Result r;
                boolean zero = MachineOptions.zeroPage(recordingZeroPage, rec.truth());
                try {
                    r = RecordingCheck.check(rec.workload(), rec.truth(), MachineConfig.defaults().withZeroPage(zero));
                } catch (WorkloadException ex) {
                    System.err.println(ex.getMessage());
                    return Main.BAD_INPUT;
                } catch (IOException ex) {
                    System.err.println("rmaplab: " + rec.workload() + ": " + ex.getMessage());
                    return Main.INTERNAL;
                }
                progress.step(1);
                recs.add(r);
                if (text) Output.text(KernelCheckText.recording(r) + "\n", layout.width());
                done++;
                if (!r.ok()) bad++;
            }
            if (!in.live().isEmpty()) {
                try {
                    Probe probe = new Probe(Probe.home());
                    boolean zero = probe.zeroPage();
                    if (text) Output.text(KernelCheckText.liveKernel(System.getProperty("os.version"), zero), layout.width());
                    live = KernelCheckFiles.checkLive(probe, in.live(), zero);
                } catch (ProbeUnavailableException e) {
                    System.err.println("rmaplab: cannot probe the live kernel: " + e.getMessage());
                    if (in.recordings().isEmpty()) return Main.UNAVAILABLE;
                    if (text) Output.text(KernelCheckText.summaryWithoutLive(done, bad, in.live().size()), layout.width());
                    early = bad > 0 ? Main.VIOLATION : Main.UNAVAILABLE;
                } catch (WorkloadException e) {
                    System.err.println(e.getMessage());
                    return Main.BAD_INPUT;
                } catch (IOException e) {
                    System.err.println("rmaplab: " + e.getMessage());
                    return Main.INTERNAL;
                }
            }
        }
        if (live != null) {
            if (text) Output.text(KernelCheckText.live(live), layout.width());
            bad += (int) live.differing();
            done += in.live().size();
        }
        if (json) Output.print(Json.write(KernelCheckJson.document(recs, live)) + "\n");
        if (csv) Output.print(KernelCheckJson.CSV_HEADER + KernelCheckJson.csv(recs, live));
        if (html != null) {
            String page = Report.kernelCheck(recs, live);
            Output.file(html, out -> out.write(page.getBytes(StandardCharsets.UTF_8)));
        }
        if (early != null) return early;
        if (text) Output.text(KernelCheckText.summary(done, bad), layout.width());
        return bad == 0 ? Main.OK : Main.VIOLATION;
    }
}
