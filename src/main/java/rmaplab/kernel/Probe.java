package rmaplab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Runs the live-kernel probe (probe/rmaplab-probe.c, built by
 * scripts/build-probe.sh with the system gcc) and reads what it prints
 * (probe/README.md has the format).
 */
public final class Probe {
    public static final List<String> KINDS = List.of("anon_vma", "anon_vma_chain", "vm_area_struct");
    /**
     * A backstop only: the whole kernel suite runs in about 30 s here, and the probe
     * itself stops with FILE:LINE when one task leaves an op unanswered for 120 s.
     */
    private static final int PROBE_TIMEOUT_S = 600;
    private final Path home;
    private Path binary;

    /** @param home the repository (where probe/ and scripts/ are) */
    public Probe(Path home) { this.home = home; }

    /** The rmaplab repository: -Drmaplab.home (set by the launcher), else the working directory. */
    public static Path home() { return Path.of(System.getProperty("rmaplab.home", ".")).toAbsolutePath().normalize(); }

    /** Builds the probe when needed; explains what is missing when it cannot be. */
    public Path build() throws ProbeUnavailableException, IOException {
        if (binary != null) return binary;
        Path script = home.resolve("scripts/build-probe.sh");
        if (!Files.isRegularFile(script)) throw new ProbeUnavailableException("cannot find " + script + " (set -Drmaplab.home to the repository)");
        Result r = exec(List.of("bash", script.toString()), 300);
        if (r.status == 3) throw new ProbeUnavailableException(r.stderr.strip());
        if (r.status != 0) throw new IOException("building the probe failed:\n" + r.stderr);
        binary = home.resolve("probe/build/rmaplab-probe");
        return binary;
    }

    /** How the live kernel treats a read fault on never-written anonymous memory: true = the zero page. */
    public boolean zeroPage() throws ProbeUnavailableException, IOException {
        Result r = exec(List.of(build().toString(), "--detect-zero-page"), 60);
        check(r, "--detect-zero-page");
        String out = r.stdout.strip();
        if (out.equals("zero-page on")) return true;
        if (out.equals("zero-page off")) return false;
        throw new IOException("the probe could not tell how read faults are served: " + out);
    }

    /** Runs a workload (or only its skeleton) on the live kernel. */
    public ProbeResult run(Path workload, boolean skeleton) throws ProbeUnavailableException, IOException {
        Path plain = plainCopy(workload);
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(build().toString());
            if (skeleton) cmd.add("--skeleton");
            cmd.add(plain.toString());
            Result r = exec(cmd, PROBE_TIMEOUT_S);
            check(r, workload.toString());
            return parse(r.stdout, workload.toString());
        } finally {
            if (!plain.equals(workload)) Files.deleteIfExists(plain);
        }
    }

    private static void check(Result r, String what) throws ProbeUnavailableException, IOException {
        if (r.status == 3) throw new ProbeUnavailableException(r.stderr.strip());
        if (r.status != 0) throw new IOException("the probe failed on " + what + " (status " + r.status + "): " + r.stderr.strip());
    }

    /** The probe reads plain text: a gzip file is decompressed to a temporary copy. */
    static Path plainCopy(Path p) throws IOException {
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(p)) {
            if (in.read(head) < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) return p;
        }
        Path t = Files.createTempFile("rmaplab-probe-", ".rmw");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p)); OutputStream out = Files.newOutputStream(t)) {
            in.transferTo(out);
        }
        return t;
    }

    /** Parses the probe's output (probe/README.md). */
    static ProbeResult parse(String out, String what) throws IOException {
        String method = null;
        Map<String, Long> alloc = new LinkedHashMap<>(), free = new LinkedHashMap<>(), errors = new TreeMap<>();
        long other = 0, background = 0;
        List<ProbeResult.Page> pages = new ArrayList<>();
        boolean header = false, end = false;
        int n = 0;
        for (String line : out.split("\n")) {
            n++;
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            try {
                switch (f[0]) {
                    case "rmaplab-probe" -> header = f.length == 2 && f[1].equals("1");
                    case "method" -> method = f[1];
                    case "mode" -> { }
                    case "objects" -> {
                        alloc.put(f[1], Long.parseLong(f[3]));
                        free.put(f[1], Long.parseLong(f[5]));
                    }
                    case "excluded" -> other = Long.parseLong(f[3]);
                    case "background" -> background = Long.parseLong(f[3]);
                    case "error" -> errors.put(f[1] + " " + f[2], Long.parseLong(f[3]));
                    case "page" -> pages.add(new ProbeResult.Page(f[1], Long.decode(f[2]), Long.decode(f[3]),
                            Long.parseLong(f[4]), f[5]));
                    case "end" -> end = true;
                    default -> throw new IOException("unknown line");
                }
            } catch (RuntimeException | IOException e) {
                throw new IOException("probe output for " + what + ", line " + n + ": cannot read '" + line + "'");
            }
        }
        if (!header || !end || method == null || !alloc.keySet().containsAll(KINDS))
            throw new IOException("probe output for " + what + " is incomplete");
        return new ProbeResult(method, alloc, free, other, background, errors, pages);
    }

    record Result(int status, String stdout, String stderr) {}

    static Result exec(List<String> cmd, int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path out = Files.createTempFile("rmaplab-probe-out", ".txt"), err = Files.createTempFile("rmaplab-probe-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: the probe kills its workers and removes its cgroup
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
                throw new IOException("the probe did not finish in " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
