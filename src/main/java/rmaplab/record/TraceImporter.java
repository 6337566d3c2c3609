package rmaplab.record;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * Turns the text of {@code perf script --show-mmap-events --show-task-events}
 * (the events of {@link EventSet}) into workload ops and the kernel's ground
 * truth ({@link Truth}). Reads line by line; keeps state per live task and per
 * address space only. The rules are in package-info.java. The parts:
 * {@link PerfLineParser} reads a line into a {@link PerfEvent}; {@link TaskTracker}
 * follows tasks, their address spaces and faults; {@link SyscallDecoder} turns
 * syscalls into ops; {@link Attribution} counts each kmem event under its op.
 */
public final class TraceImporter {
    private final ImportContext ctx;
    private final PerfLineParser parser;
    private final Attribution attribution;
    private final TaskTracker tasks;
    private final SyscallDecoder syscalls;
    private final DamageCheck damage;

    private TraceImporter(String file, WorkloadWriter out, Truth truth, boolean walks) {
        ctx = new ImportContext(file, out, truth);
        parser = new PerfLineParser(file);
        attribution = new Attribution(ctx);
        tasks = new TaskTracker(ctx, attribution, walks);
        syscalls = new SyscallDecoder(ctx, attribution);
        damage = new DamageCheck(ctx);
    }

    /** What an import did. */
    public record Result(long lines, Map<String, Long> ops, int liveTasks, Map<String, Long> counters) {
        public long opTotal() { return ops.values().stream().mapToLong(Long::longValue).sum(); }
    }

    /**
     * Imports perf script text (plain or gzip, told by its magic bytes) from
     * {@code in}; errors are {@code FILE:LINE: what is wrong} with FILE =
     * {@code name}.
     */
    public static Result run(String name, InputStream in, WorkloadWriter out, Truth truth)
            throws IOException, WorkloadException {
        return run(name, in, out, truth, false);
    }

    /**
     * As above; with {@code walks}, a {@code walk} of each mapped range of an address space is written
     * just before its last user exits or execs, so that the oracle checks (and the designs pay for) a
     * reverse walk of every anonymous folio a recorded process leaves behind.
     */
    public static Result run(String name, InputStream in, WorkloadWriter out, Truth truth, boolean walks)
            throws IOException, WorkloadException {
        TraceImporter imp = new TraceImporter(name, out, truth, walks);
        BufferedInputStream raw = new BufferedInputStream(in, 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        InputStream s;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                s = new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                throw new WorkloadException(name, 1, "not a readable gzip file: " + e.getMessage());
            }
        } else {
            s = raw;
        }
        // ISO-8859-1: every byte is a character, so a damaged byte is a parse error, never a decoding one
        LastByte text = new LastByte(s);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(text, StandardCharsets.ISO_8859_1), 1 << 16)) {
            imp.loop(r);
        }
        if (!imp.tasks.anyTask())
            throw new WorkloadException(name, imp.ctx.line, "no 'PERF_RECORD_COMM exec' line: not the perf script text of a "
                    + "recorded command (record with 'rmaplab record', or perf script --show-task-events)");
        imp.damage.end(imp.tasks, text.last);
        imp.finish();
        return new Result(imp.ctx.line, imp.ctx.ops, imp.tasks.live().size(), imp.ctx.counters);
    }

    private void loop(BufferedReader r) throws WorkloadException, IOException {
        while (true) {
            String l;
            try {
                l = r.readLine();
            } catch (IOException e) {
                throw new WorkloadException(ctx.file, ctx.line + 1, "cannot read further (truncated or corrupted file?): "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            if (l == null) break;
            ctx.line++;
            try {
                PerfLineParser.PerfLine p = parser.parse(ctx.line, l);
                if (p != null) {
                    damage.line(p, l);
                    handle(p);
                }
            } catch (WorkloadException e) {
                throw e;
            } catch (IOException e) {
                throw e; // writing the workload failed: not the input's fault
            } catch (RuntimeException e) {
                // a safety net: the importer's own checks should have caught it; the tests fail on this message
                throw new WorkloadException(ctx.file, ctx.line, "internal error while importing this line: " + e);
            }
        }
    }

    private void handle(PerfLineParser.PerfLine p) throws WorkloadException, IOException {
        switch (p.event()) {
            case PerfEvent.Mmap2 m -> mmap2(m);
            case PerfEvent.Mmap m -> {
                if (!m.kernel()) ctx.unrepresented("PERF_RECORD_MMAP without -d details");
            }
            case PerfEvent.Comm c -> {
                if (c.exec()) tasks.exec(c.pid(), c.tid());
            }
            case PerfEvent.Fork f -> tasks.forkRecord(f.pid(), f.tid(), f.ptid());
            case PerfEvent.Exit x -> tasks.exitRecord(x.tid());
            case PerfEvent.Lost l -> ctx.unrepresented("lost events (PERF_RECORD_LOST lines)");
            case PerfEvent.OtherRecord o -> ctx.count("other perf records (not about memory)");
            case PerfEvent.Kmem k -> {
                TracedTask t = tasks.get(p.tid());
                if (t == null && tasks.anyTask()) ctx.damage("kmem events of tasks not seen being created");
                attribution.kmem(t, k);
            }
            case PerfEvent.Fault f -> fault(p.tid(), f);
            case PerfEvent.NewTask n -> tasks.newtask(tasks.get(p.tid()), n);
            case PerfEvent.SysEnter e -> {
                TracedTask t = known(p.tid(), "syscalls of tasks not seen being created");
                if (t != null) {
                    tasks.execStep(t, true);
                    syscalls.enter(t, e);
                }
            }
            case PerfEvent.SysExit e -> {
                TracedTask t = known(p.tid(), "syscalls of tasks not seen being created");
                if (t != null) syscalls.exit(t, e);
            }
            case PerfEvent.Foreign f -> ctx.unrepresented("event " + f.name() + " (not in the event set)");
        }
    }

    /**
     * The live task with this tid after the common prologue of its events ({@link TaskTracker#before}),
     * or null, counting {@code unknown} when the recorded command has started.
     */
    private TracedTask known(int tid, String unknown) throws IOException {
        TracedTask t = tasks.get(tid);
        if (t == null) {
            if (tasks.anyTask()) ctx.damage(unknown);
            return null;
        }
        tasks.before(t);
        return t;
    }

    private void fault(int tid, PerfEvent.Fault f) throws IOException {
        TracedTask t = known(tid, "page faults of tasks not seen being created");
        if (t == null) return;
        tasks.execStep(t, !f.kernel());
        if (!f.kernel()) syscalls.end(t);
        tasks.fault(t, f);
    }

    private void mmap2(PerfEvent.Mmap2 m) throws WorkloadException, IOException {
        TracedTask t = known(m.tid(), "mappings of tasks not seen being created");
        if (t == null) return;
        ctx.aligned(m.start(), "MMAP2 start");
        ctx.aligned(m.len(), "MMAP2 length");
        if (m.len() == 0) throw ctx.error("MMAP2 of length 0");
        long s = m.start() / ImportContext.PAGE, e = s + m.len() / ImportContext.PAGE;
        if (e <= s) throw ctx.error("MMAP2 range wraps around");
        TaskTracker.Mapping map = new TaskTracker.Mapping(s, e, ImportContext.prot(m.prot().substring(0, 3)),
                m.prot().charAt(3) == 's', m.path(), m.dev(), m.pgoffBytes());
        if (t.sys instanceof SyscallDecoder.MmapCall c) {
            t.sys = null;
            syscalls.mmapped(t, c, map);
            return;
        }
        tasks.mapping(t, map);
    }

    /** The text as it is read, remembering its last byte (a last line without its newline was cut short). */
    private static final class LastByte extends FilterInputStream {
        int last = -1;

        LastByte(InputStream in) { super(in); }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) last = b;
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) last = b[off + n - 1] & 0xff;
            return n;
        }
    }

    private void finish() {
        tasks.finish();
        for (var e : ctx.counters.entrySet()) ctx.truth.notes.add(e.getKey() + ": " + e.getValue());
    }
}
