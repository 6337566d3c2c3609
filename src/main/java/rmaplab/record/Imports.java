package rmaplab.record;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import rmaplab.run.OpSource;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/** Imports a recording into a workload and its truth file, and checks that the workload runs. */
public final class Imports {
    private Imports() {}

    /** The machine cannot do what was asked (no perf, no root, no tracepoints): exit status 3. */
    public static final class Unavailable extends Exception {
        public Unavailable(String m) { super(m, null, false, false); }
    }

    /** An output could not be written (a full disk, a folder that cannot be written, ...): not the recording's fault. */
    public static final class CannotWrite extends IOException {
        private final Path path;

        CannotWrite(Path path, IOException cause) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(), cause);
            this.path = path;
        }

        /** The output that could not be written (its final name). */
        public Path path() { return path; }
    }

    /** A workload writer on {@code tmp} whose write errors are {@link CannotWrite} errors of {@code target}. */
    private static WorkloadWriter createWriter(Path tmp, Path target) throws CannotWrite {
        try {
            OutputStream s = new WriteGuard(Files.newOutputStream(tmp), target);
            if (tmp.getFileName().toString().endsWith(".gz")) s = new GZIPOutputStream(s, 1 << 16);
            return WorkloadWriter.of(new BufferedWriter(new OutputStreamWriter(s, StandardCharsets.UTF_8), 1 << 16));
        } catch (CannotWrite e) {
            throw e;
        } catch (IOException e) {
            throw new CannotWrite(target, e);
        }
    }

    /** Passes bytes through; a failure to write them is a {@link CannotWrite} of {@code target}. */
    private static final class WriteGuard extends FilterOutputStream {
        private final Path target;

        WriteGuard(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new CannotWrite(target, e);
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new CannotWrite(target, e);
            }
        }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new CannotWrite(target, e);
            }
        }

        @Override public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new CannotWrite(target, e);
            }
        }
    }

    /** Removes what a failed import wrote; a failure to remove it must not hide the error that failed the import. */
    private static void discard(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // it stays behind; the error that failed the import is the one to report
        }
    }

    /** Renames a complete output into place (atomically, within its folder). */
    private static void move(Path from, Path to) throws CannotWrite {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CannotWrite(to, e);
        }
    }

    /** What an import wrote. */
    public record Outcome(Path workload, Path truthFile, Truth truth, TraceImporter.Result result, Path recording) {}

    /** PREFIX.truth.json beside PREFIX.rmw.gz (or PREFIX.rmw). */
    public static Path truthPath(Path workload) {
        String n = workload.getFileName().toString();
        for (String ext : List.of(".rmw.gz", ".rmw", ".gz"))
            if (n.endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
                break;
            }
        return workload.resolveSibling(n + ".truth.json");
    }

    /** The workload name for a recording when -o is not given: FILE without .txt.gz, .txt or .data, plus .rmw.gz. */
    public static Path defaultWorkload(Path recording) {
        String n = recording.getFileName().toString();
        for (String ext : List.of(".txt.gz", ".txt", ".data", ".gz"))
            if (n.endsWith(ext)) {
                n = n.substring(0, n.length() - ext.length());
                break;
            }
        return recording.resolveSibling(n + ".rmw.gz");
    }

    /**
     * Imports {@code recording} (perf script text, plain or gzip, or a perf.data file when its name ends in
     * .data) into {@code workload} and its truth file. On an error nothing is left behind.
     */
    public static Outcome importFile(Path recording, Path workload, String perf)
            throws IOException, WorkloadException, Unavailable {
        return importFile(recording, workload, perf, "");
    }

    /** As above; {@code perfLog} is what perf printed while recording (its lost-event warnings are counted). */
    public static Outcome importFile(Path recording, Path workload, String perf, String perfLog)
            throws IOException, WorkloadException, Unavailable {
        return importFile(recording, workload, perf, perfLog, false);
    }

    /** As above; {@code walks}: see {@link TraceImporter#run(String, InputStream, WorkloadWriter, Truth, boolean)}. */
    public static Outcome importFile(Path recording, Path workload, String perf, String perfLog, boolean walks)
            throws IOException, WorkloadException, Unavailable {
        if (!Files.isRegularFile(recording)) throw new NoSuchFileException(recording.toString(), null, "no such file");
        Truth truth = new Truth();
        truth.recording = recording.getFileName().toString();
        truth.workload = workload.getFileName().toString();
        Path truthFile = truthPath(workload);
        // each output is written under a temporary name beside it and renamed when complete, the truth
        // first: a failure leaves no workload without its truth (kernel-check would take it for a live file)
        Path tmp = workload.resolveSibling(workload.getFileName() + ".part" + (workload.toString().endsWith(".gz") ? ".gz" : ""));
        Path truthTmp = truthFile.resolveSibling(truthFile.getFileName() + ".part");
        TraceImporter.Result res;
        boolean ok = false;
        try {
            try (WorkloadWriter w = createWriter(tmp, workload)) {
                w.comment("imported by 'rmaplab import' from " + recording.getFileName()
                        + "\nground truth: " + truthFile.getFileName()
                        + "\nthe recorded kernel's zero-page mode, where the recording shows it, is 'zeroPage' there: run, "
                        + "compare and kernel-check use it unless --zero-page is given");
                if (recording.getFileName().toString().endsWith(".data")) res = fromData(recording, w, truth, perf, walks);
                else try (InputStream in = Files.newInputStream(recording)) {
                    res = TraceImporter.run(recording.toString(), in, w, truth, walks);
                }
            }
            lostFromLog(perfLog, truth);
            truth.notes.add(0, "exit_mmap frees are not recorded (perf stops a task's events before them): compare "
                    + "allocations exactly, frees only for ops other than exit");
            truth.notes.add(1, "the first exec's stack VMA and anon_vma were made before recording started: the model "
                    + "counts one vm_area_struct (mmap) and one anon_vma and anon_vma_chain (touch) that the truth lacks");
            truth.notes.add(2, "not visible with this event set: pages that arrive without a fault event through mlock, "
                    + "userfaultfd, KSM merging, khugepaged collapse or swap-in (MAP_POPULATE, MAP_LOCKED and "
                    + "MADV_POPULATE_* are written as touches)");
            truth.notes.add(3, "allocations are counted under the op the workload writes for them: exec-time mappings "
                    + "under mmap, the exec stack's first page under touch, the old address space's teardown under exec");
            // the workload must run: an importer bug shows here, not later in someone's run
            try {
                Runner.validate(OpSource.file(tmp), MachineConfig.defaults().withZeroPage(false));
            } catch (WorkloadException e) {
                throw new IllegalStateException("the imported workload does not run (an importer bug): " + e.getMessage());
            }
            try {
                truth.write(truthTmp);
            } catch (IOException e) {
                throw new CannotWrite(truthFile, e);
            }
            move(truthTmp, truthFile);
            try {
                move(tmp, workload);
            } catch (CannotWrite e) {
                discard(truthFile); // no truth for a workload that is not there
                throw e;
            }
            ok = true;
        } finally {
            if (!ok) {
                discard(tmp);
                discard(truthTmp);
            }
        }
        return new Outcome(workload, truthFile, truth, res, recording);
    }

    private static final Pattern LOST = Pattern.compile("lost (\\d+) chunks", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOST2 = Pattern.compile("(\\d+) (?:samples|events)? ?lost|lost (\\d+)", Pattern.CASE_INSENSITIVE);

    /** Runs perf script on a perf.data file and imports its output as it comes. */
    private static TraceImporter.Result fromData(Path data, WorkloadWriter w, Truth truth, String perf, boolean walks)
            throws IOException, WorkloadException, Unavailable {
        String exe = perf != null ? perf : Recorder.findPerf();
        if (exe == null) throw new Unavailable("perf is not installed (run scripts/install-perf.sh as root)");
        Path err = Files.createTempFile("rmaplab-perf-script", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(EventSet.scriptCommand(exe, data.toString()));
            pb.redirectError(err.toFile());
            Process p = pb.start();
            TraceImporter.Result res;
            try (InputStream in = p.getInputStream()) {
                res = TraceImporter.run(data + " (perf script)", in, w, truth, walks);
            } finally {
                p.getInputStream().close();
                if (p.isAlive()) p.destroy(); // an import error stops reading: perf script need not go on
            }
            int rc;
            try {
                rc = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            String log = Files.readString(err, StandardCharsets.ISO_8859_1);
            if (rc != 0) throw new WorkloadException(data.toString(), 0, "perf script failed (exit " + rc + "): " + log.strip());
            lostFromLog(log, truth);
            return res;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Lost events that perf reports as warnings on stderr. */
    static void lostFromLog(String log, Truth truth) {
        try {
            lostLines(log, truth);
        } catch (NumberFormatException e) {
            truth.unrepresented("lost events (perf warning with a count too large to read)");
        }
    }

    private static void lostLines(String log, Truth truth) {
        for (String l : log.split("\n")) {
            if (!l.toLowerCase().contains("lost")) continue;
            Matcher m = LOST.matcher(l);
            if (m.find()) truth.unrepresented("lost chunks of events (perf warning)", Long.parseLong(m.group(1)));
            else {
                Matcher m2 = LOST2.matcher(l);
                long n = 1;
                if (!l.contains("%") && m2.find()) n = Long.parseLong(m2.group(1) != null ? m2.group(1) : m2.group(2));
                truth.unrepresented("lost events (perf warning: " + l.strip() + ")", n);
            }
        }
    }

    /** One paragraph saying what the recording held and how much of it the workload says. */
    public static String paragraph(Outcome o) {
        TraceImporter.Result r = o.result();
        Truth t = o.truth();
        Map<String, Long> ops = r.ops();
        long unrep = t.unrepresented.values().stream().mapToLong(Long::longValue).sum();
        long excl = t.excluded.values().stream().mapToLong(Long::longValue).sum();
        return String.format("The recording (%d lines) became %d ops: %d processes started (%d fork, %d vfork, %d spawn), "
                        + "%d threads, %d execs, %d mmap, %d munmap, %d mprotect, %d mremap, %d madvise and %d touches. "
                        + "The kernel allocated %d anon_vma, %d anon_vma_chain and %d vm_area_struct (and freed %d, %d "
                        + "and %d: frees at process exit are not recorded); %d events of other objects in the "
                        + "anon_vma_chain cache were left out, and %d events could not be written in the workload "
                        + "(listed under 'unrepresented' in %s). %s"
                        + "compare the designs: rmaplab compare %s.%s",
                r.lines(), r.opTotal(), ops.getOrDefault("fork", 0L) + ops.getOrDefault("vfork", 0L)
                        + ops.getOrDefault("spawn", 0L), ops.getOrDefault("fork", 0L), ops.getOrDefault("vfork", 0L),
                ops.getOrDefault("spawn", 0L), ops.getOrDefault("thread", 0L), ops.getOrDefault("exec", 0L),
                ops.getOrDefault("mmap", 0L), ops.getOrDefault("munmap", 0L), ops.getOrDefault("mprotect", 0L),
                ops.getOrDefault("mremap", 0L), ops.getOrDefault("madvise", 0L), ops.getOrDefault("touch", 0L),
                t.kinds.get("anon_vma").allocated.total, t.kinds.get("anon_vma_chain").allocated.total,
                t.kinds.get("vm_area_struct").allocated.total, t.kinds.get("anon_vma").freed.total,
                t.kinds.get("anon_vma_chain").freed.total, t.kinds.get("vm_area_struct").freed.total, excl, unrep,
                o.truthFile().getFileName(), t.damaged()
                        ? "The recording is damaged (" + t.damage().size() + " kind(s) of damage, listed above and under "
                                + "'damage' there): the workload and the counts hold only what is left of it, and "
                                + "'rmaplab kernel-check " + o.workload() + "' compares them but will not call the model "
                                + "equal to the kernel; "
                        : "Check the linux model against them: rmaplab kernel-check " + o.workload() + "; ",
                o.workload(),
                t.readFaultAnonVmas > 0
                        ? " The recorded kernel made a folio on an anonymous read fault (" + t.readFaultAnonVmas
                                + " read faults made an anon_vma): the model runs with the zero page off for it."
                        : " The recording does not show whether the recorded kernel maps the zero page on an anonymous "
                                + "read fault: the model runs with it on (mainline's default) unless --zero-page=off is given.");
    }

    /** The damage found, one {@code FILE:LINE: what} line each (the line where it was first seen). */
    public static List<String> damageLines(Outcome o) {
        List<String> out = new ArrayList<>();
        for (Truth.Damage d : o.truth().damage())
            out.add(o.recording() + ":" + d.line() + ": " + d.what()
                    + (d.count() > 1 ? " (" + d.count() + " times; the first here)" : ""));
        return out;
    }

    /** A few lines for the terminal. */
    public static List<String> summary(Outcome o) {
        List<String> out = new ArrayList<>();
        TraceImporter.Result r = o.result();
        out.add("wrote " + o.workload() + " (" + r.opTotal() + " ops from " + r.lines() + " lines: " + r.ops() + ")");
        out.add("wrote " + o.truthFile());
        Truth t = o.truth();
        for (var e : t.kinds.entrySet())
            out.add(String.format("  %-15s allocated %7d  freed %7d   allocated by op %s", e.getKey(),
                    e.getValue().allocated.total, e.getValue().freed.total, e.getValue().allocated.byOp));
        out.add("  excluded (other objects in the anon_vma_chain cache): " + (t.excluded.isEmpty() ? "none" : t.excluded));
        out.add("  unrepresented: " + (t.unrepresented.isEmpty() ? "none" : ""));
        for (Map.Entry<String, Long> e : t.unrepresented.entrySet()) out.add("    " + e.getValue() + "  " + e.getKey());
        if (t.damaged()) {
            out.add("  DAMAGED: the recording is not whole (signs of lines missing, cut, reordered or repeated); the "
                    + "workload and the counts hold only what is left:");
            for (String d : damageLines(o)) out.add("    " + d);
        }
        out.add("");
        out.add(paragraph(o));
        return out;
    }
}
