package rmaplab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rmaplab.kernel.KernelCheck;
import rmaplab.kernel.Probe;
import rmaplab.kernel.ProbeUnavailableException;
import rmaplab.kernel.RecordingCheck;
import rmaplab.record.Truth;
import rmaplab.report.Table;
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
                + "cannot be probed here (the reason is printed; only when live files were given).",
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
        for (Path f : files)
            if (!Files.isRegularFile(f)) {
                System.err.println("rmaplab: " + f + ": no such file");
                return Main.BAD_INPUT;
            }
        Map<Path, Truth> recordings = new LinkedHashMap<>();
        List<Path> live = new ArrayList<>();
        for (Path f : files) {
            Path workload = f, truthFile;
            String n = f.getFileName().toString();
            if (n.endsWith(".truth.json")) { // the truth file named: its workload is beside it
                String prefix = n.substring(0, n.length() - ".truth.json".length());
                workload = f.resolveSibling(prefix + ".rmw.gz");
                if (!Files.isRegularFile(workload)) workload = f.resolveSibling(prefix + ".rmw");
                if (!Files.isRegularFile(workload)) {
                    System.err.println("rmaplab: " + f + ": no workload beside it (" + prefix + ".rmw.gz or " + prefix + ".rmw)");
                    return Main.BAD_INPUT;
                }
                truthFile = f;
            } else {
                truthFile = Truth.besideWorkload(f);
            }
            if (truthFile == null) {
                live.add(f);
                continue;
            }
            try {
                Truth t = Truth.read(truthFile);
                if (!t.workload().equals(workload.getFileName().toString()))
                    System.err.println("rmaplab: warning: " + truthFile + " was written for workload '" + t.workload()
                            + "', not '" + workload.getFileName() + "'");
                recordings.put(workload, t);
            } catch (Truth.BadTruthException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        List<Path> all = new ArrayList<>(recordings.keySet());
        all.addAll(live);
        for (Path f : all) { // every file is checked before anything runs
            try {
                rmaplab.run.Runner.validate(rmaplab.run.OpSource.file(f), MachineConfig.defaults());
            } catch (WorkloadException e) {
                System.err.println(e.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException e) {
                System.err.println("rmaplab: " + f + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        int bad = 0, done = 0;
        for (var e : recordings.entrySet()) {
            RecordingCheck.Result r;
            boolean zero = MachineOptions.zeroPage(recordingZeroPage, e.getValue());
            try {
                r = RecordingCheck.check(e.getKey(), e.getValue(), MachineConfig.defaults().withZeroPage(zero));
            } catch (WorkloadException ex) {
                System.err.println(ex.getMessage());
                return Main.BAD_INPUT;
            } catch (IOException ex) {
                System.err.println("rmaplab: " + e.getKey() + ": " + ex.getMessage());
                return Main.INTERNAL;
            }
            System.out.print(renderRecording(r));
            System.out.println();
            done++;
            if (!r.ok()) bad++;
        }
        if (!live.isEmpty()) {
            int st = checkLive(live);
            if (st == Main.BAD_INPUT || st == Main.INTERNAL) return st;
            if (st == Main.UNAVAILABLE) {
                if (recordings.isEmpty()) return st;
                System.out.println((done - bad) + " of " + done + " recordings: model = kernel; "
                        + live.size() + " live file(s) not checked");
                return bad > 0 ? Main.VIOLATION : Main.UNAVAILABLE;
            }
            if (st == Main.VIOLATION) bad += liveBad;
            done += live.size();
        }
        System.out.println((done - bad) + " of " + done + " files: model = kernel");
        return bad == 0 ? Main.OK : Main.VIOLATION;
    }

    /** One recording's table, verdict and explanations. */
    static String renderRecording(RecordingCheck.Result r) {
        StringBuilder b = new StringBuilder();
        Truth t = r.truth();
        b.append(r.file()).append(": recording ").append(t.recording()).append(", kernel counts from ")
                .append(t.file().getFileName()).append("; model: linux, ").append(r.ops()).append(" ops, zero page ")
                .append(r.zeroPage() ? "on" : "off").append(" (the recorded kernel's: ").append(t.zeroPage()).append(")\n");
        Table tab = new Table(List.of("alloc model", "alloc kernel", "alloc diff", "freed model", "freed kernel", "freed diff"));
        String kind = null;
        for (RecordingCheck.Row row : r.rows()) {
            if (!row.kind().equals(kind)) {
                if (kind != null) totalRow(tab, r, kind);
                kind = row.kind();
                tab.section(kind);
            }
            tab.row("  " + row.op(), List.of(Long.toString(row.modelAllocated()), Long.toString(row.kernelAllocated()),
                    RecordingCheck.diff(row.modelAllocated(), row.kernelAllocated()), Long.toString(row.modelFreed()),
                    row.freesRecorded() ? Long.toString(row.kernelFreed()) : "not recorded",
                    row.freesRecorded() ? RecordingCheck.diff(row.modelFreed(), row.kernelFreed()) : ""));
        }
        if (kind != null) totalRow(tab, r, kind);
        b.append(tab.render());
        for (String k : Probe.KINDS) {
            Truth.Kind tk = t.kinds().get(k);
            b.append("kernel call sites, ").append(k).append(": allocated ").append(sites(tk.allocated().bySite()))
                    .append("; freed ").append(sites(tk.freed().bySite())).append('\n');
        }
        List<String> verdicts = new ArrayList<>();
        for (RecordingCheck.KindResult k : r.kinds()) {
            long m = k.modelRecordable();
            long kc = k.kernelComparable();
            verdicts.add(k.kind() + " " + m + " / " + kc
                    + (k.beforeRecording() == 0 ? "" : " (model " + k.modelAllocated() + " less " + k.beforeRecording()
                       + " made before the recording)")
                    + (k.kernelFailed() == 0 ? "" : " (kernel " + k.kernelAllocated() + " less " + k.kernelFailed()
                       + " in failed syscalls)")
                    + (m == kc ? " equal"
                       : " " + RecordingCheck.diff(m, kc)
                         + (k.totalWithinTolerance() ? " within 2 %" : " BEYOND 2 %"))
                    + (k.unexplained() == 0 ? "" : ", " + k.unexplained() + " unexplained"
                       + (k.unexplainedWithinTolerance() ? " (within 2 %)" : " (BEYOND 2 %)")));
        }
        boolean exact = r.kinds().stream().allMatch(k -> k.modelRecordable() == k.kernelComparable() && k.unexplained() == 0);
        b.append("verdict: ").append(r.damaged() ? "DAMAGED RECORDING, no verdict (the damage is listed below)"
                : r.equal() ? "model = kernel" : !r.ok() ? "DIFFERENCE"
                : exact && r.oracleOk() ? "model = kernel, differences explained" : "model = kernel within 2 %, differences explained").append(" (allocated, model / kernel: ").append(String.join("; ", verdicts)).append(")\n");
        if (!r.oracleOk()) b.append("  the oracle found a violation in the model's run\n");
        if (!r.explanations().isEmpty()) {
            b.append("explained:\n");
            for (String s : r.explanations()) b.append("  ").append(s).append('\n');
        }
        if (!r.unexplained().isEmpty()) {
            b.append(t.unrepresented().isEmpty() ? "unexplained:\n"
                    : "unexplained (the unrepresented events listed below may account for them; their effect cannot be counted):\n");
            for (String s : r.unexplained()) b.append("  ").append(s).append('\n');
        }
        if (!r.possibleCauses().isEmpty()) {
            b.append("from the truth file:\n");
            for (String s : r.possibleCauses()) b.append("  ").append(s).append('\n');
        }
        return b.toString();
    }

    private static String sites(Map<String, Long> m) {
        if (m.isEmpty()) return "none";
        List<String> s = new ArrayList<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> s.add(e.getKey() + " " + e.getValue()));
        return String.join(", ", s);
    }

    private static void totalRow(Table tab, RecordingCheck.Result r, String kind) {
        for (RecordingCheck.KindResult k : r.kinds())
            if (k.kind().equals(kind))
                tab.row("  total" + (r.truth().exitFreesRecorded() ? "" : " (frees: recorded ops)"),
                        List.of(Long.toString(k.modelAllocated()), Long.toString(k.kernelAllocated()),
                                RecordingCheck.diff(k.modelAllocated(), k.kernelAllocated()), Long.toString(k.modelFreed()),
                                Long.toString(k.kernelFreed()), RecordingCheck.diff(k.modelFreed(), k.kernelFreed())));
    }

    private int liveBad;

    /** The live-kernel check of the files without a truth file (the behaviour from before recordings). */
    private int checkLive(List<Path> files) {
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
        List<String> remeasured = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            KernelCheck.Result r;
            try {
                r = measure(() -> KernelCheck.check(probe, f, zero), f.getFileName().toString(), remeasured);
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
        for (String m : remeasured) System.out.println("note: " + m);
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
        liveBad = bad;
        return bad == 0 ? Main.OK : Main.VIOLATION;
    }

    /** One live measurement, as KernelCheck.check. */
    interface Measurement {
        KernelCheck.Result run() throws IOException, WorkloadException, ProbeUnavailableException;
    }

    /**
     * A kernel thread (kdamond, kswapd, ...) that drops the last reference to one of our anon_vmas
     * frees it outside the counted cgroup: a difference measured while kernel threads freed anon_vmas
     * is measured again, at most twice; each disturbed attempt is added to {@code notes}.
     */
    static KernelCheck.Result measure(Measurement m, String name, List<String> notes)
            throws IOException, WorkloadException, ProbeUnavailableException {
        KernelCheck.Result r = m.run();
        for (int attempt = 1; !r.equal() && r.backgroundAnonVmaFrees() > 0 && attempt < 3; attempt++) {
            notes.add(name + ": attempt " + attempt + " differed while kernel threads freed " + r.backgroundAnonVmaFrees()
                    + " anon_vma; measured again");
            r = m.run();
        }
        return r;
    }

    private static String pair(long m, long k) { return m == k ? Long.toString(m) : m + " / " + k + " !"; }
}
