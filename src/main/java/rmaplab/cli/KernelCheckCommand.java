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
import rmaplab.report.KernelCheckText;
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

    @Override public Integer call() {
        KernelCheckFiles in;
        try {
            in = KernelCheckFiles.read(files); // every file read and validated before anything runs
        } catch (KernelCheckFiles.BadInput e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        in.warnings().forEach(System.err::println);
        int bad = 0, done = 0;
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
            Output.print(KernelCheckText.recording(r) + "\n");
            done++;
            if (!r.ok()) bad++;
        }
        if (!in.live().isEmpty()) {
            KernelCheckFiles.Live live;
            try {
                Probe probe = new Probe(Probe.home());
                boolean zero = probe.zeroPage();
                Output.print(KernelCheckText.liveKernel(System.getProperty("os.version"), zero));
                live = KernelCheckFiles.checkLive(probe, in.live(), zero);
            } catch (ProbeUnavailableException e) {
                System.err.println("rmaplab: cannot probe the live kernel: " + e.getMessage());
                if (in.recordings().isEmpty()) return Main.UNAVAILABLE;
                Output.print(KernelCheckText.summaryWithoutLive(done, bad, in.live().size()));
                return bad > 0 ? Main.VIOLATION : Main.UNAVAILABLE;
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + e.getMessage());
                return Main.INTERNAL;
            }
            Output.print(KernelCheckText.live(live));
            bad += (int) live.differing();
            done += in.live().size();
        }
        Output.print(KernelCheckText.summary(done, bad));
        return bad == 0 ? Main.OK : Main.VIOLATION;
    }
}
