package rmaplab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import rmaplab.run.OpSource;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;

/**
 * Progress of a long command, on one line of stderr redrawn in place, only
 * when stderr is a terminal (nothing when it is redirected, so logs and
 * tests see none), and only once the work has run for a second (a short run
 * prints nothing). It counts the ops every design's machine has applied
 * ({@link #counting}), the units of work done (workloads, files, grid
 * points), and estimates the time left from the share done so far.
 *
 * <p>A small class of our own: the progress-bar libraries on Maven Central
 * bring a terminal library (JLine) for what is here one carriage return.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_MS = 1000, PERIOD_MS = 250;

    private final String what, unit;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong ops = new AtomicLong(), opsTotal = new AtomicLong(-1);
    private final AtomicInteger lanes = new AtomicInteger(), lanesDone = new AtomicInteger();
    private volatile int perLaneOps = -1, lanesPerUnit = 1;
    private final long t0 = System.nanoTime();
    private final PrintStream err;
    private final Thread painter;
    private volatile boolean drawn;

    private Progress(String what, String unit, long total, PrintStream err) {
        this.what = what;
        this.unit = unit;
        this.total = total;
        this.err = err;
        if (err == null) {
            painter = null;
            return;
        }
        painter = new Thread(this::paint, "rmaplab-progress");
        painter.setDaemon(true);
        painter.start();
    }

    /** Progress over {@code total} units, drawn on stderr when it is a terminal; otherwise it does nothing. */
    static Progress start(String what, String unit, long total) {
        String env = System.getenv("RMAPLAB_PROGRESS"); // "0": never; "1": even when stderr is no terminal
        boolean on = env != null ? env.equals("1") : Terminal.isTerminal(Terminal.STDERR);
        return new Progress(what, unit, total, on ? System.err : null);
    }

    void step(long n) { done.addAndGet(n); }

    private volatile String stage = "";

    /** What is being done now, for work that has no ops to count ("reading /proc"). */
    void stage(String s) { stage = s; }

    /**
     * {@code src} counted op by op: its first cursor is the validation pass
     * (whose length gives each design's total), every later one a design's
     * run; {@code designs} is how many designs each unit runs.
     */
    OpSource counting(OpSource src, int designs) {
        if (painter == null) return src;
        lanesPerUnit = designs; // units run one after the other: the counts start again for each
        perLaneOps = -1;
        ops.set(0);
        lanes.set(0);
        lanesDone.set(0);
        return new OpSource() {
            @Override public String name() { return src.name(); }

            @Override public Cursor open() throws IOException, WorkloadException {
                Cursor c = src.open();
                boolean validation = lanes.getAndIncrement() == 0;
                return new Cursor() {
                    long n;

                    @Override public Op next() throws WorkloadException {
                        Op op = c.next();
                        if (op != null) {
                            n++;
                            if (!validation) ops.incrementAndGet();
                        } else if (validation) {
                            perLaneOps = (int) Math.min(Integer.MAX_VALUE, n);
                        }
                        return op;
                    }

                    @Override public long line() { return c.line(); }

                    @Override public void close() throws IOException {
                        if (!validation) lanesDone.incrementAndGet();
                        c.close();
                    }
                };
            }
        };
    }

    private void paint() {
        try {
            Thread.sleep(DELAY_MS);
            while (!Thread.currentThread().isInterrupted()) {
                String line = line();
                int width = Math.max(40, Terminal.columns(80)) - 1;
                if (line.length() > width) line = line.substring(0, width);
                synchronized (this) {
                    err.print("\r" + line + "\033[K");
                    err.flush();
                    drawn = true;
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The line as drawn now: units done, this unit's ops per design, the time left. */
    String line() {
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder b = new StringBuilder(what).append(": ");
        long d = done.get();
        double share = total > 0 ? (double) d / total : 0;
        if (total > 1) b.append(d).append('/').append(total).append(' ').append(unit);
        int per = perLaneOps;
        if (per > 0 && lanesPerUnit > 0) {
            long unitOps = (long) per * lanesPerUnit;
            long thisUnit = ops.get();
            if (total > 1) b.append(", ");
            b.append(String.format(Locale.ROOT, "designs %d/%d, ops %,d/%,d", lanesDone.get(), lanesPerUnit,
                    thisUnit, unitOps));
            double inUnit = Math.min(1.0, (double) thisUnit / unitOps);
            share = total > 0 ? (d + inUnit) / total : inUnit;
        } else if (lanes.get() > 0) {
            b.append(total > 1 ? ", " : "").append("checking the workload");
        } else if (!stage.isEmpty()) {
            b.append(stage).append(String.format(Locale.ROOT, ", %d:%02d", (long) secs / 60, (long) secs % 60));
        }
        if (share > 0.02 && share < 1) {
            long left = Math.round(secs / share * (1 - share));
            b.append(String.format(Locale.ROOT, ", %d:%02d left", left / 60, left % 60));
        }
        return b.toString();
    }

    /** Stops drawing and clears the line, so that what follows starts on a clean line. */
    @Override public void close() {
        if (painter == null) return;
        painter.interrupt();
        try {
            painter.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
