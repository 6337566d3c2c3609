package rmaplab.record;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rmaplab.workload.WorkloadException;

/**
 * Reads one line of perf script text into a {@link PerfLine}: the header (command, tid, CPU, time)
 * and a typed {@link PerfEvent}. A line that is not what perf writes is a {@code FILE:LINE: what is
 * wrong} error. Knows the text, not the meaning: which task an event belongs to and what it does
 * are for {@link TraceImporter}.
 */
final class PerfLineParser {
    /** One parsed line: its number, the header's tid and time (as printed), and the event. */
    record PerfLine(long number, int tid, String time, PerfEvent event) {}

    private static final Pattern HEADER = Pattern.compile(
            "^\\s*(.*?)\\s+(-?\\d+)(?:/(-?\\d+))?\\s+\\[(\\d+)\\]\\s+(\\d+\\.\\d+):\\s+(.*)$");
    private static final Pattern MMAP2 = Pattern.compile(
            "^PERF_RECORD_MMAP2 (-?\\d+)/(-?\\d+): \\[0x([0-9a-f]+)\\(0x([0-9a-f]+)\\) @ (0x[0-9a-f]+|\\d+) "
                    + "([0-9a-f]+):([0-9a-f]+) (\\d+) (\\d+)\\]: ([-rwxps]{4}) (.*)$");
    private static final Pattern COMM = Pattern.compile("^PERF_RECORD_COMM( exec)?: (.*):(-?\\d+)/(-?\\d+)$");
    private static final Pattern FORK_EXIT = Pattern.compile(
            "^PERF_RECORD_(FORK|EXIT)\\((-?\\d+):(-?\\d+)\\):\\((-?\\d+):(-?\\d+)\\)$");
    private static final Pattern EVENT = Pattern.compile("^([a-z_0-9]+):([a-zA-Z_0-9]+):\\s*(.*)$");

    private final String file;
    private long line;

    PerfLineParser(String file) { this.file = file; }

    /** Line {@code number}'s text as a parsed line, or null for a blank line. */
    PerfLine parse(long number, String text) throws WorkloadException {
        line = number;
        if (text.isBlank()) return null;
        Matcher h = HEADER.matcher(text);
        if (!h.matches()) throw error("not a line of perf script output: '" + abbrev(text) + "'");
        int tid = parseInt(h.group(2), "tid");
        String body = h.group(6);
        return new PerfLine(number, tid, h.group(5), body.startsWith("PERF_RECORD_") ? record(body) : event(body));
    }

    private PerfEvent record(String body) throws WorkloadException {
        if (body.startsWith("PERF_RECORD_MMAP2")) {
            Matcher m = MMAP2.matcher(body);
            if (!m.matches()) throw error("malformed PERF_RECORD_MMAP2 line");
            int tid = parseInt(m.group(2), "tid");
            long start = parseHex(m.group(3), "MMAP2 start"), len = parseHex(m.group(4), "MMAP2 length");
            String pg = m.group(5);
            long pgoff = pg.startsWith("0x") ? parseHex(pg, "MMAP2 offset") : parseDecimal(pg, "MMAP2 offset");
            return new PerfEvent.Mmap2(tid, start, len, pgoff, m.group(6) + ":" + m.group(7) + ":" + m.group(8),
                    m.group(10), m.group(11));
        }
        if (body.startsWith("PERF_RECORD_MMAP ")) return new PerfEvent.Mmap(body.startsWith("PERF_RECORD_MMAP -1/"));
        if (body.startsWith("PERF_RECORD_COMM")) {
            Matcher m = COMM.matcher(body);
            if (!m.matches()) throw error("malformed PERF_RECORD_COMM line");
            if (m.group(1) == null) return new PerfEvent.Comm(false, 0, 0);
            return new PerfEvent.Comm(true, parseInt(m.group(3), "pid"), parseInt(m.group(4), "tid"));
        }
        if (body.startsWith("PERF_RECORD_FORK") || body.startsWith("PERF_RECORD_EXIT")) {
            Matcher m = FORK_EXIT.matcher(body);
            if (!m.matches()) throw error("malformed " + body.substring(0, 16) + " line");
            int pid = parseInt(m.group(2), "pid"), tid = parseInt(m.group(3), "tid");
            int ppid = parseInt(m.group(4), "pid"), ptid = parseInt(m.group(5), "tid");
            return m.group(1).equals("FORK") ? new PerfEvent.Fork(pid, tid, ppid, ptid) : new PerfEvent.Exit(pid, tid);
        }
        if (body.startsWith("PERF_RECORD_LOST")) return new PerfEvent.Lost();
        return new PerfEvent.OtherRecord();
    }

    private PerfEvent event(String body) throws WorkloadException {
        Matcher e = EVENT.matcher(body);
        if (!e.matches()) throw error("not an event: '" + abbrev(body) + "'");
        String sys = e.group(1), ev = e.group(2), payload = e.group(3);
        return switch (sys + ":" + ev) {
            case "kmem:kmem_cache_alloc" -> kmem(true, payload);
            case "kmem:kmem_cache_free" -> kmem(false, payload);
            case "exceptions:page_fault_user" -> fault(false, payload);
            case "exceptions:page_fault_kernel" -> fault(true, payload);
            case "task:task_newtask" -> newtask(payload);
            case "syscalls:sys_enter_mmap", "syscalls:sys_enter_munmap", "syscalls:sys_enter_mprotect",
                    "syscalls:sys_enter_brk", "syscalls:sys_enter_madvise", "syscalls:sys_enter_mremap" ->
                    new PerfEvent.SysEnter(ev.substring("sys_enter_".length()), args(payload));
            case "syscalls:sys_exit_brk", "syscalls:sys_exit_mremap" ->
                    new PerfEvent.SysExit(ev.substring("sys_exit_".length()), parseHex(payload.trim(), "return value"));
            default -> new PerfEvent.Foreign(sys + ":" + ev);
        };
    }

    private PerfEvent kmem(boolean alloc, String payload) throws WorkloadException {
        String site = field(payload, "call_site=");
        String cache = field(payload, "name=");
        if (site == null || cache == null) throw error("kmem event without call_site= or name=");
        int plus = site.indexOf('+');
        if (plus > 0) site = site.substring(0, plus);
        return new PerfEvent.Kmem(alloc, site, cache, field(payload, "ptr="));
    }

    private PerfEvent fault(boolean kernel, String payload) throws WorkloadException {
        String a = field(payload, "address="), ec = field(payload, "error_code=");
        if (a == null || ec == null) throw error("page fault without address= or error_code=");
        return new PerfEvent.Fault(kernel, parseHex(a, "address"), parseHex(ec, "error_code"));
    }

    private PerfEvent newtask(String payload) throws WorkloadException {
        String pidS = field(payload, "pid="), flagsS = lastField(payload, " clone_flags=");
        if (pidS == null || flagsS == null) throw error("task_newtask without pid= or clone_flags=");
        return new PerfEvent.NewTask(parseInt(pidS, "pid"), parseHex(flagsS, "clone_flags"));
    }

    // ------------------------------------------------------------------ helpers

    private WorkloadException error(String what) { return new WorkloadException(file, line, what); }

    static String abbrev(String s) { return s.length() > 80 ? s.substring(0, 80) + "..." : s; }

    /** The value after {@code key} up to the next blank, or null. */
    private static String field(String payload, String key) {
        int i = payload.startsWith(key) ? 0 : payload.indexOf(" " + key);
        if (i < 0) return null;
        if (i > 0 || !payload.startsWith(key)) i++;
        int from = i + key.length(), to = payload.indexOf(' ', from);
        return payload.substring(from, to < 0 ? payload.length() : to);
    }

    private static String lastField(String payload, String key) {
        int i = payload.lastIndexOf(key);
        if (i < 0) return null;
        int from = i + key.length(), to = payload.indexOf(' ', from);
        return payload.substring(from, to < 0 ? payload.length() : to);
    }

    /** Syscall arguments: {@code name: 0xVALUE, name: 0xVALUE}. */
    private Map<String, Long> args(String payload) throws WorkloadException {
        Map<String, Long> out = new HashMap<>();
        for (String part : payload.split(", ")) {
            int c = part.indexOf(": ");
            if (c <= 0) throw error("malformed syscall arguments: '" + abbrev(payload) + "'");
            out.put(part.substring(0, c).trim(), parseHex(part.substring(c + 2).trim(), part.substring(0, c).trim()));
        }
        return out;
    }

    private int parseInt(String s, String what) throws WorkloadException {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + abbrev(s) + "'");
        }
    }

    /** Hex, with or without 0x (task_newtask prints clone_flags without it). */
    private long parseHex(String s, String what) throws WorkloadException {
        String d = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (d.isEmpty() || d.length() > 16) throw error("bad " + what + " '" + abbrev(s) + "'");
        long v = 0;
        for (int i = 0; i < d.length(); i++) {
            int x = Character.digit(d.charAt(i), 16);
            if (x < 0) throw error("bad " + what + " '" + abbrev(s) + "'");
            v = v << 4 | x;
        }
        return v;
    }

    private long parseDecimal(String s, String what) throws WorkloadException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + abbrev(s) + "'");
        }
    }
}
