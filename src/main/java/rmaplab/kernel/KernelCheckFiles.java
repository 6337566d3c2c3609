package rmaplab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rmaplab.record.Truth;
import rmaplab.run.OpSource;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;

/**
 * The files of one 'kernel-check': each one a recording (a workload with its
 * truth file) or a workload for the live kernel, every one read and
 * validated before any is checked, so that bad input is reported before any
 * result is printed.
 *
 * @param warnings what is odd but not wrong (a truth file written for another workload's name)
 */
public record KernelCheckFiles(List<Recording> recordings, List<Path> live, List<String> warnings) {
    /** A recorded workload and the kernel's counts for it. */
    public record Recording(Path workload, Truth truth) {}

    /** A file that cannot be checked; the message says which and why (FILE:LINE for a bad workload). */
    public static final class BadInput extends Exception {
        BadInput(String message) { super(message); }
    }

    /** Classifies, reads and validates every file. */
    public static KernelCheckFiles read(List<Path> files) throws BadInput {
        for (Path f : files)
            if (!Files.isRegularFile(f)) throw new BadInput(f + ":0: no such file"); // as the workload reader says it
        List<Recording> recordings = new ArrayList<>();
        List<Path> live = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path f : files) {
            Path workload = f, truthFile;
            String n = f.getFileName().toString();
            if (n.endsWith(".truth.json")) { // the truth file named: its workload is beside it
                String prefix = n.substring(0, n.length() - ".truth.json".length());
                workload = f.resolveSibling(prefix + ".rmw.gz");
                if (!Files.isRegularFile(workload)) workload = f.resolveSibling(prefix + ".rmw");
                if (!Files.isRegularFile(workload))
                    throw new BadInput("rmaplab: " + f + ": no workload beside it (" + prefix + ".rmw.gz or " + prefix + ".rmw)");
                truthFile = f;
            } else {
                truthFile = Truth.besideWorkload(f);
            }
            if (truthFile == null) {
                live.add(f);
                continue;
            }
            try {
                Truth t = Truth.read(truthFile);
                if (!t.workload().equals(workload.getFileName().toString()))
                    warnings.add("rmaplab: warning: " + truthFile + " was written for workload '" + t.workload()
                            + "', not '" + workload.getFileName() + "'");
                recordings.add(new Recording(workload, t));
            } catch (Truth.BadTruthException e) {
                throw new BadInput(e.getMessage());
            }
        }
        List<Path> all = new ArrayList<>();
        for (Recording r : recordings) all.add(r.workload());
        all.addAll(live);
        for (Path f : all) {
            try {
                Runner.validate(OpSource.file(f), MachineConfig.defaults());
            } catch (WorkloadException e) {
                throw new BadInput(e.getMessage());
            } catch (IOException e) {
                throw new BadInput("rmaplab: " + f + ": " + e.getMessage());
            }
        }
        return new KernelCheckFiles(List.copyOf(recordings), List.copyOf(live), List.copyOf(warnings));
    }

    /**
     * The live check of some workloads: how the kernel serves an anonymous
     * read fault, each file's result, and the measurements that were made
     * again because kernel threads disturbed them.
     */
    public record Live(boolean zeroPage, List<KernelCheck.Result> results, List<String> remeasured) {
        public long differing() { return results.stream().filter(r -> !r.equal()).count(); }
    }

    /** Checks every live file against the kernel; {@code zeroPage} is the kernel's mode ({@link Probe#zeroPage}). */
    public static Live checkLive(Probe probe, List<Path> files, boolean zeroPage)
            throws IOException, WorkloadException, ProbeUnavailableException {
        List<KernelCheck.Result> results = new ArrayList<>();
        List<String> remeasured = new ArrayList<>();
        for (Path f : files) {
            try {
                results.add(measure(() -> KernelCheck.check(probe, f, zeroPage), f.getFileName().toString(), remeasured));
            } catch (IOException e) {
                throw new IOException(f + ": " + e.getMessage(), e);
            }
        }
        return new Live(zeroPage, List.copyOf(results), List.copyOf(remeasured));
    }

    /** One live measurement, as KernelCheck.check. */
    public interface Measurement {
        KernelCheck.Result run() throws IOException, WorkloadException, ProbeUnavailableException;
    }

    /**
     * A kernel thread (kdamond, kswapd, ...) that drops the last reference to one of our anon_vmas
     * frees it outside the counted cgroup: a difference measured while kernel threads freed anon_vmas
     * is measured again, at most twice; each disturbed attempt is added to {@code notes}.
     */
    static KernelCheck.Result measure(Measurement m, String name, List<String> notes)
            throws IOException, WorkloadException, ProbeUnavailableException {
        KernelCheck.Result r = m.run();
        for (int attempt = 1; !r.equal() && r.backgroundAnonVmaFrees() > 0 && attempt < 3; attempt++) {
            notes.add(name + ": attempt " + attempt + " differed while kernel threads freed " + r.backgroundAnonVmaFrees()
                    + " anon_vma; measured again");
            r = m.run();
        }
        return r;
    }
}
