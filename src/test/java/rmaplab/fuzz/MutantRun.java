package rmaplab.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/**
 * Runs one mutant as the command line would: through the reader, then, if it
 * reads, through a run of the {@code linux} design ({@link Runner#runAll},
 * which first checks the whole file on the simulated kernel), on a worker
 * thread watched for time and for memory. The memory a run may allocate is
 * justified by what its workload maps: a base, plus an allowance per line and
 * per page mapped in each task.
 */
final class MutantRun implements AutoCloseable {
    enum Kind {
        /** Read and ran. */
        RAN,
        /** Refused with a proper FILE:LINE message. */
        REFUSED,
        /** Over the time limit. */
        HANG,
        /** An exception other than a workload error: the command line would print a stack trace or "internal error". */
        STACK_TRACE,
        /** A refusal whose message is not FILE:LINE: what is wrong, or echoes control bytes or too much. */
        BAD_MESSAGE,
        /** Allocated more than its workload justifies. */
        MEMORY
    }

    record Outcome(Kind kind, String detail) {
        boolean failed() { return kind != Kind.RAN && kind != Kind.REFUSED; }
    }

    /** Bytes a run may allocate: a base, per line, per page mapped and task (generous: it catches runaways, not waste). */
    static final long BASE_BYTES = 256L << 20, PER_LINE = 64L << 10, PER_PAGE = 4L << 10;
    /** The longest message a refusal may have (a few quoted tokens of at most 60 characters each). */
    static final int MESSAGE_LIMIT = 400;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private final Path dir;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private ExecutorService worker = newWorker();
    private int abandoned, serial;

    MutantRun(Path dir) { this.dir = dir; }

    /** Threads left running after a hang (they cannot be stopped; they are daemons at the lowest priority). */
    int abandoned() { return abandoned; }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-mutant");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** The shared state of one run: its budget once known, and a flag that stops it between ops. */
    private static final class Watch {
        volatile long budget = BASE_BYTES;
        volatile boolean cancelled;
    }

    /** Runs a file's bytes (named .rmw.gz when {@code gz}), stopped as a hang after {@code timeoutMs}. */
    Outcome run(byte[] bytes, boolean gz, long timeoutMs) {
        Path p = dir.resolve("m" + serial++ + (gz ? ".rmw.gz" : ".rmw"));
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Watch w = new Watch();
        long allocated0 = threads.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
        Future<Outcome> f = worker.submit(() -> attempt(p, w));
        try {
            while (true) {
                try {
                    return f.get(20, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long used = threads.getTotalThreadAllocatedBytes() - allocated0;
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (used > w.budget) return abandon(w, new Outcome(Kind.MEMORY, "allocated " + (used >> 20)
                            + " MiB after " + ms + " ms, more than the " + (w.budget >> 20) + " MiB its workload justifies"));
                    if (ms > timeoutMs) return abandon(w, new Outcome(Kind.HANG, "still running after " + ms + " ms"));
                }
            }
        } catch (ExecutionException e) {
            return new Outcome(Kind.STACK_TRACE, "escaped the worker: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (f.isDone()) delete(p);
        }
    }

    private Outcome abandon(Watch w, Outcome o) {
        w.cancelled = true;
        worker.shutdownNow();
        worker = newWorker();
        abandoned++;
        return o;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the temporary directory goes with the test
        }
    }

    /** On the worker thread: the reader, then the run. */
    private static Outcome attempt(Path p, Watch w) {
        List<Op> ops;
        try {
            ops = Workloads.readAll(p);
        } catch (WorkloadException e) {
            return refused(p, e, "reader");
        } catch (Throwable e) {
            return new Outcome(Kind.STACK_TRACE, "reader: " + trace(e));
        }
        w.budget = budget(ops);
        try {
            Runner.runAll(stoppable(OpSource.file(p), w), List.of("linux"), MachineConfig.defaults(), CheckMode.WALKS, 1);
            return new Outcome(Kind.RAN, ops.size() + " ops");
        } catch (WorkloadException e) {
            if (w.cancelled) return new Outcome(Kind.HANG, "stopped");
            return refused(p, e, "run");
        } catch (OutOfMemoryError e) {
            return new Outcome(Kind.MEMORY, "run: " + e);
        } catch (Throwable e) {
            return new Outcome(Kind.STACK_TRACE, "run: " + trace(e));
        }
    }

    /** What a workload justifies: the base, plus per line, plus per page its mmaps and mremaps map, times its tasks. */
    static long budget(List<Op> ops) {
        double pages = 0, tasks = 1;
        for (Op op : ops) {
            switch (op) {
                case Op.Mmap m -> pages += m.len();
                case Op.Mremap m -> pages += m.newLen();
                case Op.Spawn s -> tasks++;
                case Op.Fork f -> tasks++;
                case Op.Vfork v -> tasks++;
                case Op.Thread t -> tasks++;
                default -> { }
            }
        }
        double b = BASE_BYTES + (double) PER_LINE * ops.size() + PER_PAGE * pages * tasks;
        return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) b;
    }

    private static Outcome refused(Path p, WorkloadException e, String where) {
        String m = e.getMessage();
        String prefix = p + ":" + e.line() + ": ";
        if (!m.startsWith(prefix) || e.line() < 0 || e.problem().isBlank())
            return new Outcome(Kind.BAD_MESSAGE, where + ": not FILE:LINE: what is wrong: " + cut(m));
        if (CONTROL.matcher(m).find()) return new Outcome(Kind.BAD_MESSAGE, where + ": control bytes in " + cut(m));
        if (m.length() > MESSAGE_LIMIT)
            return new Outcome(Kind.BAD_MESSAGE, where + ": a message of " + m.length() + " characters: " + cut(m));
        return new Outcome(Kind.REFUSED, where + ": " + m.substring(p.toString().length()));
    }

    /** A message as this test shows it: control characters escaped, cut to 200 characters (not trusting the code tested). */
    static String cut(String m) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < m.length() && b.length() < 200; i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return m.length() > 200 ? b + "..." : b.toString();
    }

    private static String trace(Throwable e) {
        StringBuilder b = new StringBuilder(cut(e.toString()));
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) b.append("\n    at ").append(st[i]);
        return b.toString();
    }

    /** A source whose cursor stops (with a workload error) once the watch is cancelled. */
    private static OpSource stoppable(OpSource src, Watch w) {
        return new OpSource() {
            @Override public String name() { return src.name(); }

            @Override public Cursor open() throws IOException, WorkloadException {
                Cursor c = src.open();
                return new Cursor() {
                    @Override public Op next() throws WorkloadException {
                        if (w.cancelled) throw new WorkloadException(src.name(), c.line(), "stopped by the fuzz test's watch");
                        return c.next();
                    }
                    @Override public long line() { return c.line(); }
                    @Override public void close() throws IOException { c.close(); }
                };
            }
        };
    }

    @Override public void close() { worker.shutdownNow(); }
}
