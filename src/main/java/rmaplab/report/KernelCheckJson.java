package rmaplab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rmaplab.kernel.KernelCheck;
import rmaplab.kernel.KernelCheckFiles;
import rmaplab.kernel.RecordingCheck;

/**
 * 'kernel-check' as JSON (one document: the recordings, then the live files)
 * and as CSV in one long shape: file,source,kind,op,figure,model,kernel.
 */
public final class KernelCheckJson {
    private KernelCheckJson() {}

    /** The document; {@code live} is null when no live file was checked. */
    public static Map<String, Object> document(List<RecordingCheck.Result> recordings, KernelCheckFiles.Live live) {
        Map<String, Object> root = Json.document();
        List<Object> recs = new ArrayList<>();
        for (RecordingCheck.Result r : recordings) recs.add(recording(r));
        root.put("recordings", recs);
        if (live != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("zero_page", live.zeroPage());
            List<Object> files = new ArrayList<>();
            for (KernelCheck.Result r : live.results()) files.add(liveFile(r));
            l.put("files", files);
            l.put("remeasured", live.remeasured());
            root.put("live", l);
        }
        return root;
    }

    private static Map<String, Object> recording(RecordingCheck.Result r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", r.file());
        d.put("recording", r.truth().recording());
        d.put("zero_page", r.zeroPage());
        d.put("ops", r.ops());
        d.put("verdict", KernelCheckText.verdict(r));
        d.put("ok", r.ok());
        List<Object> rows = new ArrayList<>();
        for (RecordingCheck.Row row : r.rows()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", row.kind());
            o.put("op", row.op());
            o.put("model_allocated", row.modelAllocated());
            o.put("kernel_allocated", row.kernelAllocated());
            o.put("model_freed", row.modelFreed());
            o.put("kernel_freed", row.freesRecorded() ? row.kernelFreed() : null);
            rows.add(o);
        }
        d.put("by_op", rows);
        List<Object> kinds = new ArrayList<>();
        for (RecordingCheck.KindResult k : r.kinds()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", k.kind());
            o.put("model_allocated", k.modelAllocated());
            o.put("kernel_allocated", k.kernelAllocated());
            o.put("model_freed", k.modelFreed());
            o.put("kernel_freed", k.kernelFreed());
            o.put("before_recording", k.beforeRecording());
            o.put("kernel_failed", k.kernelFailed());
            o.put("unexplained", k.unexplained());
            kinds.add(o);
        }
        d.put("totals", kinds);
        d.put("explained", r.explanations());
        d.put("unexplained", r.unexplained());
        return d;
    }

    private static Map<String, Object> liveFile(KernelCheck.Result r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", r.file());
        d.put("method", r.method());
        List<Object> objects = new ArrayList<>();
        for (KernelCheck.Objects o : r.objects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", o.kind());
            m.put("model_live", o.modelLive());
            m.put("kernel_live", o.kernelLive());
            m.put("model_allocated", o.modelAllocated());
            m.put("kernel_allocated", o.kernelAllocated());
            objects.add(m);
        }
        d.put("objects", objects);
        d.put("pages", r.pages());
        d.put("pages_equal", r.pagesEqual());
        d.put("model_errors", r.modelErrors());
        d.put("kernel_errors", r.kernelErrors());
        d.put("verdict", r.equal() ? "model = kernel" : "DIFFERENCE");
        return d;
    }

    /** The CSV header line. */
    public static final String CSV_HEADER = "file,source,kind,op,figure,model,kernel\n";

    /** CSV rows (no header): per recording, kind and op, its allocations and frees; per live file and kind, live and allocated. */
    public static String csv(List<RecordingCheck.Result> recordings, KernelCheckFiles.Live live) {
        StringBuilder b = new StringBuilder();
        for (RecordingCheck.Result r : recordings)
            for (RecordingCheck.Row row : r.rows()) {
                line(b, r.file(), "recording", row.kind(), row.op(), "allocated", row.modelAllocated(), row.kernelAllocated());
                line(b, r.file(), "recording", row.kind(), row.op(), "freed", row.modelFreed(),
                        row.freesRecorded() ? row.kernelFreed() : null);
            }
        if (live != null)
            for (KernelCheck.Result r : live.results())
                for (KernelCheck.Objects o : r.objects()) {
                    line(b, r.file(), "live", o.kind(), "all", "live", o.modelLive(), o.kernelLive());
                    line(b, r.file(), "live", o.kind(), "all", "allocated", o.modelAllocated(), o.kernelAllocated());
                }
        return b.toString();
    }

    private static void line(StringBuilder b, String file, String source, String kind, String op, String figure, long model,
                             Long kernel) {
        b.append(Csv.field(file)).append(',').append(source).append(',').append(kind).append(',').append(Csv.field(op))
                .append(',').append(figure).append(',').append(model).append(',').append(kernel == null ? "" : kernel)
                .append('\n');
    }
}
