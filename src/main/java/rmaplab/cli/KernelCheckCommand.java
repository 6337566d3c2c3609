package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rmaplab.kernel.KernelCheck;
import rmaplab.kernel.Probe;
import rmaplab.kernel.ProbeUnavailableException;
import rmaplab.report.Table;
import rmaplab.workload.WorkloadException;

@Command(name = "kernel-check", mixinStandardHelpOptions = true,
        description = "Check the 'linux' model against the live kernel: run each workload on the simulated kernel and "
                + "with real processes on this machine's kernel (probe/), and compare the anon_vma, anon_vma_chain and "
                + "vm_area_struct objects (live at the end and allocated over the run, counted exactly with perf "
                + "tracepoint counters), every present page (frame sharing and mapcounts), and the errors returned. "
                + "Needs root, perf tracepoints and gcc.",
        footer = {"", "Exit status: 0 model = kernel on every file, 1 a difference, 2 bad input, 3 the kernel cannot be "
                + "probed here (the reason is printed).", "Example: rmaplab kernel-check examples/kernel/*.rmw"})
final class KernelCheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workload files.")
    List<Path> files;

    @Override public Integer call() {
        for (Path f : files)
            if (!Files.isRegularFile(f)) {
                System.err.println("rmaplab: " + f + ": no such file");
                return Main.BAD_INPUT;
            }
        for (Path f : files) { // every file is checked before the kernel is touched
            try {
                rmaplab.run.Runner.validate(rmaplab.run.OpSource.file(f), rmaplab.sim.MachineConfig.defaults());
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + f + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        Probe probe = new Probe(Probe.home());
        boolean zero;
        try {
            zero = probe.zeroPage();
        } catch (ProbeUnavailableException e) {
            System.err.println("rmaplab: cannot probe the live kernel: " + e.getMessage());
            return Main.UNAVAILABLE;
        } catch (IOException e) {
            System.err.println("rmaplab: " + e.getMessage());
            return Main.INTERNAL;
        }
        System.out.println("live kernel: " + System.getProperty("os.version") + "; an anonymous read fault maps "
                + (zero ? "the zero page (model run with --zero-page=on)" : "a new folio (model run with --zero-page=off)"));
        Table t = new Table(List.of("anon_vma live", "anon_vma_chain live", "vm_area_struct live", "anon_vma alloc",
                "anon_vma_chain alloc", "vm_area_struct alloc", "pages", "errors", "verdict"));
        List<KernelCheck.Result> results = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            KernelCheck.Result r;
            try {
                r = KernelCheck.check(probe, f, zero);
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (ProbeUnavailableException e) {
                System.err.println("rmaplab: cannot probe the live kernel: " + e.getMessage());
                return Main.UNAVAILABLE;
            } catch (IOException e) {
                System.err.println("rmaplab: " + f + ": " + e.getMessage());
                return Main.INTERNAL;
            }
            results.add(r);
            List<String> row = new ArrayList<>();
            for (KernelCheck.Objects o : r.objects()) row.add(pair(o.modelLive(), o.kernelLive()));
            for (KernelCheck.Objects o : r.objects()) row.add(pair(o.modelAllocated(), o.kernelAllocated()));
            row.add(r.pagesEqual() ? r.pages() + " equal" : "DIFFER");
            row.add(r.errorsEqual() ? (r.modelErrors().isEmpty() ? "none" : "equal") : "DIFFER");
            row.add(r.equal() ? "model = kernel" : "DIFFERENCE");
            t.row(f.getFileName().toString(), row);
            if (!r.equal()) bad++;
        }
        System.out.println("figures: model / kernel (the kernel's: the workload's run minus its skeleton's); counted by "
                + results.get(0).method());
        System.out.print(t.render());
        for (KernelCheck.Result r : results) {
            if (r.equal()) continue;
            System.out.println("\n" + r.file() + ":");
            for (KernelCheck.Objects o : r.objects())
                if (!o.equal()) System.out.println("  " + o.kind() + ": live model " + o.modelLive() + " kernel " + o.kernelLive()
                        + ", allocated model " + o.modelAllocated() + " kernel " + o.kernelAllocated());
            for (String p : r.pageProblems()) System.out.println("  pages: " + p);
            if (!r.errorsEqual()) System.out.println("  errors: model " + r.modelErrors() + ", kernel " + r.kernelErrors());
            if (!r.oracleOk()) System.out.println("  the oracle found a violation in the model's run");
            if (r.backgroundAnonVmaFrees() > 0)
                System.out.println("  note: kernel threads (kdamond, kswapd, ...) freed " + r.backgroundAnonVmaFrees()
                        + " anon_vma during the run; a kernel thread that drops the last reference frees one of ours"
                        + " outside the counted cgroup, so the kernel's anon_vma frees may be short by that many");
        }
        System.out.println((files.size() - bad) + " of " + files.size() + " files: model = kernel");
        return bad == 0 ? Main.OK : Main.VIOLATION;
    }

    private static String pair(long m, long k) { return m == k ? Long.toString(m) : m + " / " + k + " !"; }
}
