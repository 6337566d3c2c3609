package rmaplab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a workload on the live kernel with probe/rmaplab-run.c (built by
 * scripts/build-run.sh with the system gcc): real tasks, each executing its own
 * ops, with no coordinator between the ops (docs/bench.md says how the
 * kernel's time is kept apart from the hand-offs, and what remains).
 */
public final class NativeRun {
    /**
     * What one execution took: {@code runNs} from the first op to the last op done (every exit included),
     * {@code teardownNs} the tasks still alive at the end told to exit until all are reaped;
     * {@code handoffs} changes of task between consecutive ops, each measured at {@code handoffNs} in the
     * same run (two processes passing a token through the same futex calls).
     */
    public record Result(long ops, long tasks, long handoffs, long handoffNs, long runNs, long teardownNs,
                         Map<String, Long> errors) {}

    /** A backstop: the runner itself stops when no op completes for 120 s. */
    private static final int TIMEOUT_S = 1800;
    private final Path home;
    private Path binary;

    /** @param home the repository (where probe/ and scripts/ are) */
    public NativeRun(Path home) { this.home = home; }

    /** Builds the runner when needed; explains what is missing when it cannot be. */
    public Path build() throws ProbeUnavailableException, IOException {
        if (binary != null) return binary;
        Path script = home.resolve("scripts/build-run.sh");
        if (!Files.isRegularFile(script)) throw new ProbeUnavailableException("cannot find " + script + " (set -Drmaplab.home to the repository)");
        Probe.Result r = Probe.exec(List.of("bash", script.toString()), 300);
        if (r.status() == 3) throw new ProbeUnavailableException(r.stderr().strip());
        if (r.status() != 0) throw new IOException("building the native runner failed:\n" + r.stderr());
        binary = home.resolve("probe/build/rmaplab-run");
        return binary;
    }

    /** Runs the workload file (plain or gzip) once. */
    public Result run(Path workload) throws ProbeUnavailableException, IOException {
        Path plain = Probe.plainCopy(workload);
        try {
            Probe.Result r = Probe.exec(List.of(build().toString(), plain.toString()), TIMEOUT_S);
            if (r.status() != 0)
                throw new IOException("the native runner failed on " + workload + " (status " + r.status() + "): " + r.stderr().strip());
            return parse(r.stdout(), workload.toString());
        } finally {
            if (!plain.equals(workload)) Files.deleteIfExists(plain);
        }
    }

    /** Parses the runner's output (the comment at the top of probe/rmaplab-run.c). */
    static Result parse(String out, String what) throws IOException {
        long ops = -1, tasks = -1, handoffs = -1, handoffNs = -1, runNs = -1, teardownNs = -1;
        Map<String, Long> errors = new TreeMap<>();
        boolean header = false, end = false;
        int n = 0;
        for (String line : out.split("\n")) {
            n++;
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            try {
                switch (f[0]) {
                    case "rmaplab-run" -> header = f.length == 2 && f[1].equals("1");
                    case "ops" -> ops = Long.parseLong(f[1]);
                    case "tasks" -> tasks = Long.parseLong(f[1]);
                    case "handoffs" -> handoffs = Long.parseLong(f[1]);
                    case "handoff_ns" -> handoffNs = Long.parseLong(f[1]);
                    case "run_ns" -> runNs = Long.parseLong(f[1]);
                    case "teardown_ns" -> teardownNs = Long.parseLong(f[1]);
                    case "error" -> errors.put(f[1] + " " + f[2], Long.parseLong(f[3]));
                    case "end" -> end = true;
                    default -> throw new IOException("unknown line");
                }
            } catch (RuntimeException | IOException e) {
                throw new IOException("native runner output for " + what + ", line " + n + ": cannot read '" + line + "'");
            }
        }
        if (!header || !end || ops < 0 || runNs < 0 || handoffNs < 0 || teardownNs < 0 || handoffs < 0 || tasks < 0)
            throw new IOException("native runner output for " + what + " is incomplete");
        return new Result(ops, tasks, handoffs, handoffNs, runNs, teardownNs, errors);
    }
}
