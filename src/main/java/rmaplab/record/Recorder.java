package rmaplab.record;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Runs a command under perf record with the {@link EventSet} and turns the recording into text. */
public final class Recorder {
    private Recorder() {}

    /** The perf executable on PATH, or null. */
    public static String findPerf() {
        String path = System.getenv("PATH");
        if (path == null) path = "/usr/bin:/bin";
        for (String d : path.split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, "perf");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** Runs a command with all its output on our stderr (stdout stays for results); its exit status, -1 if it could not start. */
    public static int runToStderr(List<String> cmd) {
        List<String> sh = new java.util.ArrayList<>(List.of("sh", "-c", "exec \"$@\" 1>&2", "sh"));
        sh.addAll(cmd);
        try {
            Process p = new ProcessBuilder(sh).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Whether this process runs as root (uid 0), from /proc/self/status. */
    public static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1))
                if (l.startsWith("Uid:")) return l.split("\\s+")[2].equals("0"); // effective uid
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Why perf cannot record the event set here, or null when it can (a short trial recording of 'true'). */
    public static String checkTracepoints(String perf) throws IOException {
        Path tmp = Files.createTempFile("rmaplab-record-check", ".data");
        try {
            List<String> cmd = EventSet.recordCommand(perf, tmp.toString(), List.of("true"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            return rc == 0 ? null : out.strip().isEmpty() ? "perf record exited with " + rc : out.strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** What a recording left. */
    public record Recording(Path data, Path text, int commandStatus, String perfLog) {}

    /**
     * Records {@code cmd} into PREFIX.data (its output goes to this terminal), then writes
     * {@code perf script} text to PREFIX.txt.gz.
     */
    public static Recording record(String perf, String prefix, List<String> cmd) throws IOException, InterruptedException {
        Path data = Path.of(prefix + ".data"), text = Path.of(prefix + ".txt.gz");
        Path log = Files.createTempFile("rmaplab-record", ".log");
        try {
            Process rec = new ProcessBuilder(EventSet.recordCommand(perf, data.toString(), cmd))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int status = rec.waitFor();
            if (!Files.isRegularFile(data)) throw new IOException("perf record wrote no " + data + " (exit " + status + ")");
            Process script = new ProcessBuilder(EventSet.scriptCommand(perf, data.toString()))
                    .redirectError(log.toFile()).start();
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(text), 1 << 16)) {
                script.getInputStream().transferTo(out);
            }
            int rc = script.waitFor();
            String perfLog = Files.readString(log, StandardCharsets.ISO_8859_1);
            if (rc != 0) throw new IOException("perf script failed (exit " + rc + "): " + perfLog.strip());
            return new Recording(data, text, status, perfLog);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The command as one line, for messages. */
    static String join(List<String> cmd) {
        List<String> q = new ArrayList<>();
        for (String c : cmd) q.add(EventSet.shellQuote(c));
        return String.join(" ", q);
    }
}
