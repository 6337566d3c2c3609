package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rmaplab.kernel.KernelCheck;
import rmaplab.kernel.KernelCheckFiles;
import rmaplab.kernel.Probe;
import rmaplab.kernel.RecordingCheck;
import rmaplab.record.Truth;

/** 'kernel-check' as text: a table per recording, one table for the live files, and the closing count. */
public final class KernelCheckText {
    private KernelCheckText() {}

    /** One recording's table, verdict and explanations. */
    public static String recording(RecordingCheck.Result r) {
        StringBuilder b = new StringBuilder();
        Truth t = r.truth();
        b.append(r.file()).append(": recording ").append(t.recording()).append(", kernel counts from ")
                .append(t.file().getFileName()).append("; model: linux, ").append(r.ops()).append(" ops, zero page ")
                .append(r.zeroPage() ? "on" : "off").append(" (the recorded kernel's: ").append(t.zeroPage()).append(")\n");
        b.append(table(r).render());
        b.append(notes(r));
        return b.toString();
    }

    /** One recording's table: model and kernel allocations and frees by kind and op. */
    static Table table(RecordingCheck.Result r) {
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
        return tab;
    }

    /** What follows a recording's table: the kernel's call sites, the verdict, the explanations. */
    static String notes(RecordingCheck.Result r) {
        StringBuilder b = new StringBuilder();
        Truth t = r.truth();
        for (String k : Probe.KINDS) {
            Truth.Kind tk = t.kinds().get(k);
            b.append("kernel call sites, ").append(k).append(": allocated ").append(sites(tk.allocated().bySite()))
                    .append("; freed ").append(sites(tk.freed().bySite())).append('\n');
        }
        b.append("verdict: ").append(verdict(r)).append(" (allocated, model / kernel: ")
                .append(String.join("; ", kindVerdicts(r))).append(")\n");
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

    static String verdict(RecordingCheck.Result r) {
        boolean exact = r.kinds().stream().allMatch(k -> k.modelRecordable() == k.kernelComparable() && k.unexplained() == 0);
        if (r.damaged()) return "DAMAGED RECORDING, no verdict (the damage is listed below)";
        return r.equal() ? "model = kernel" : !r.ok() ? "DIFFERENCE"
                : exact && r.oracleOk() ? "model = kernel, differences explained" : "model = kernel within 2 %, differences explained";
    }

    private static List<String> kindVerdicts(RecordingCheck.Result r) {
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
        return verdicts;
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

    /** The line printed before the live files are measured. */
    public static String liveKernel(String release, boolean zeroPage) {
        return "live kernel: " + release + "; an anonymous read fault maps "
                + (zeroPage ? "the zero page (model run with --zero-page=on)" : "a new folio (model run with --zero-page=off)") + "\n";
    }

    /** The live files' table, the notes on measurements made again, and the details of each difference. */
    public static String live(KernelCheckFiles.Live live) {
        Table t = new Table(List.of("anon_vma live", "anon_vma_chain live", "vm_area_struct live", "anon_vma alloc",
                "anon_vma_chain alloc", "vm_area_struct alloc", "pages", "errors", "verdict"));
        for (KernelCheck.Result r : live.results()) {
            List<String> row = new ArrayList<>();
            for (KernelCheck.Objects o : r.objects()) row.add(pair(o.modelLive(), o.kernelLive()));
            for (KernelCheck.Objects o : r.objects()) row.add(pair(o.modelAllocated(), o.kernelAllocated()));
            row.add(r.pagesEqual() ? r.pages() + " equal" : "DIFFER");
            row.add(r.errorsEqual() ? (r.modelErrors().isEmpty() ? "none" : "equal") : "DIFFER");
            row.add(r.equal() ? "model = kernel" : "DIFFERENCE");
            t.row(java.nio.file.Path.of(r.file()).getFileName().toString(), row);
        }
        StringBuilder b = new StringBuilder();
        b.append("figures: model / kernel (the kernel's: the workload's run minus its skeleton's); counted by ")
                .append(live.results().get(0).method()).append('\n');
        b.append(t.render());
        for (String m : live.remeasured()) b.append("note: ").append(m).append('\n');
        for (KernelCheck.Result r : live.results()) {
            if (r.equal()) continue;
            b.append("\n").append(r.file()).append(":\n");
            for (KernelCheck.Objects o : r.objects())
                if (!o.equal()) b.append("  ").append(o.kind()).append(": live model ").append(o.modelLive()).append(" kernel ")
                        .append(o.kernelLive()).append(", allocated model ").append(o.modelAllocated()).append(" kernel ")
                        .append(o.kernelAllocated()).append('\n');
            for (String p : r.pageProblems()) b.append("  pages: ").append(p).append('\n');
            if (!r.errorsEqual()) b.append("  errors: model ").append(r.modelErrors()).append(", kernel ").append(r.kernelErrors()).append('\n');
            if (!r.oracleOk()) b.append("  the oracle found a violation in the model's run\n");
            if (r.backgroundAnonVmaFrees() > 0)
                b.append("  note: kernel threads (kdamond, kswapd, ...) freed ").append(r.backgroundAnonVmaFrees())
                        .append(" anon_vma during the run; a kernel thread that drops the last reference frees one of ours")
                        .append(" outside the counted cgroup, so the kernel's anon_vma frees may be short by that many\n");
        }
        return b.toString();
    }

    private static String pair(long m, long k) { return m == k ? Long.toString(m) : m + " / " + k + " !"; }

    /** The closing line: how many files agreed. */
    public static String summary(int files, int differing) {
        return (files - differing) + " of " + files + " files: model = kernel\n";
    }

    /** The closing line when the live files could not be checked. */
    public static String summaryWithoutLive(int recordings, int differing, int liveFiles) {
        return (recordings - differing) + " of " + recordings + " recordings: model = kernel; " + liveFiles
                + " live file(s) not checked\n";
    }
}
