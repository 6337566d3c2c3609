package rmaplab.record;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that says what {@code rmaplab record} asks perf for. The
 * importer reads what these events print (docs/notes/recording.md).
 */
public final class EventSet {
    private EventSet() {}

    /** The slab caches whose allocations and frees are the ground truth. */
    public static final String KMEM_FILTER =
            "name == \"anon_vma\" || name == \"anon_vma_chain\" || name == \"vm_area_struct\"";

    /** The events, each with its filter when it has one, in the order given to perf record. */
    public static final List<List<String>> EVENTS = List.of(
            List.of("-e", "exceptions:page_fault_user"),
            List.of("-e", "exceptions:page_fault_kernel"),
            List.of("-e", "syscalls:sys_enter_mmap"),
            List.of("-e", "syscalls:sys_enter_munmap"),
            List.of("-e", "syscalls:sys_enter_mremap"),
            List.of("-e", "syscalls:sys_exit_mremap"),
            List.of("-e", "syscalls:sys_enter_mprotect"),
            List.of("-e", "syscalls:sys_enter_brk"),
            List.of("-e", "syscalls:sys_exit_brk"),
            List.of("-e", "syscalls:sys_enter_madvise"),
            List.of("-e", "task:task_newtask"),
            List.of("-e", "kmem:kmem_cache_alloc", "--filter", KMEM_FILTER),
            List.of("-e", "kmem:kmem_cache_free", "--filter", KMEM_FILTER));

    /** The tracepoints the event set needs (for the check that they exist). */
    public static List<String> tracepoints() {
        List<String> out = new ArrayList<>();
        for (List<String> e : EVENTS) out.add(e.get(1));
        return out;
    }

    /** {@code perf record ... -- CMD ARGS} writing {@code data}. */
    public static List<String> recordCommand(String perf, String data, List<String> cmd) {
        List<String> out = new ArrayList<>(List.of(perf, "record", "-q", "-d", "-m", "1024", "-o", data));
        for (List<String> e : EVENTS) out.addAll(e);
        out.add("--");
        out.addAll(cmd);
        return out;
    }

    /** {@code perf script} options that print what the importer reads. */
    public static final List<String> SCRIPT_OPTIONS = List.of("--show-mmap-events", "--show-task-events");

    public static List<String> scriptCommand(String perf, String data) {
        List<String> out = new ArrayList<>(List.of(perf, "script"));
        out.addAll(SCRIPT_OPTIONS);
        out.add("-i");
        out.add(data);
        return out;
    }

    /** Quotes a word for a POSIX shell when it needs it. */
    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=+,@%-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The perf record command line as a person would type it. */
    public static String describe() {
        StringBuilder b = new StringBuilder();
        for (String w : recordCommand("perf", "PREFIX.data", List.of("CMD", "ARGS..."))) {
            if (b.length() > 0) b.append(' ');
            b.append(w.equals("ARGS...") || w.equals("CMD") ? w : shellQuote(w));
        }
        b.append("\nperf script");
        for (String o : SCRIPT_OPTIONS) b.append(' ').append(o);
        b.append(" -i PREFIX.data | gzip > PREFIX.txt.gz");
        return b.toString();
    }
}
