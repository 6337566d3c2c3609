package rmaplab.record;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import rmaplab.ledger.Ledgers;
import rmaplab.run.ValidationDesign;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.WorkloadError;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;

/**
 * What the parts of one import share: the file and line for {@code FILE:LINE} errors, the workload
 * being written (each op checked by the runner's validation machine as it goes), the truth, and the
 * counts of ops and of things worth a note.
 */
final class ImportContext {
    static final long PAGE = 4096;

    final String file;
    /** The line being imported (1-based). */
    long line;
    final Truth truth;
    /** The model's defaults for stack limits; the zero page as on the recorded kernels. */
    final MachineConfig machine = MachineConfig.defaults().withZeroPage(false);
    final Map<String, Long> ops = new TreeMap<>();
    final Map<String, Long> counters = new LinkedHashMap<>();
    private final WorkloadWriter out;
    /** The validation pass's machine, run op by op as the workload is written: what it maps is what counts. */
    private final Machine shadow = new Machine(machine, new Ledgers(), ValidationDesign::new);
    private final Map<String, String> fileNames = new HashMap<>(); // dev:inode -> NAME
    private final Set<String> usedFileNames = new HashSet<>();

    ImportContext(String file, WorkloadWriter out, Truth truth) {
        this.file = file;
        this.out = out;
        this.truth = truth;
    }

    WorkloadException error(String what) { return new WorkloadException(file, line, what); }

    /** One more of a thing the truth's notes count. */
    void count(String what) { counters.merge(what, 1L, Long::sum); }

    void unrepresented(String what) { truth.unrepresented(what); }

    /** A sign that the recording is not whole, at this line (see {@link DamageCheck}). */
    void damage(String what) { truth.damage(what, line); }

    /** Writes an op, after the validation machine took it. */
    void emit(Op op) throws IOException {
        if (op instanceof Op.Mmap m && !m.flags().contains(rmaplab.workload.MapFlag.FIXED)) {
            // The validation pass must accept the workload: an mmap over what the model still maps (its
            // layout can differ from the kernel's, e.g. after an mremap it refused) is unmapped first.
            rmaplab.sim.Task st = shadow.task(m.task());
            if (st != null)
                for (rmaplab.sim.Vma v : st.mm().overlapping(m.addr(), m.addr() + m.len())) {
                    long a = Math.max(v.start(), m.addr()), b = Math.min(v.end(), m.addr() + m.len());
                    truth.unrepresented("mmaps over pages the model still mapped (its layout had drifted from the kernel's)");
                    emit(new Op.Munmap(m.task(), a, b - a));
                }
        }
        try {
            shadow.apply(op);
        } catch (WorkloadError e) {
            throw new IllegalStateException("the importer wrote an op the model refuses: "
                    + WorkloadWriter.format(op) + ": " + e.getMessage());
        }
        out.write(op);
        ops.merge(op.keyword(), 1L, Long::sum);
    }

    /** A NAME for the format, stable per (device, inode): the path's safe characters and the inode. */
    String fileName(String path, String dev) {
        String key = dev.endsWith(":0") ? path : dev;
        String have = fileNames.get(key);
        if (have != null) return have;
        String p = path.replaceAll(" \\(deleted\\)$", "");
        String base = p.replaceAll("[^A-Za-z0-9_.\\-/]", "_").replaceAll("^/+", "");
        if (base.isEmpty()) base = "file";
        if (base.length() > 120) base = base.substring(base.length() - 120);
        String name = dev.endsWith(":0") ? base : base + ".i" + dev.substring(dev.lastIndexOf(':') + 1);
        String n = name;
        for (int i = 2; usedFileNames.contains(n); i++) n = name + "." + i;
        usedFileNames.add(n);
        fileNames.put(key, n);
        return n;
    }

    // ------------------------------------------------------------------ units

    void aligned(long bytes, String what) throws WorkloadException {
        if (bytes % PAGE != 0) throw error(what + " 0x" + Long.toHexString(bytes) + " is not page-aligned");
    }

    static long pageUp(long bytes) { return (bytes + PAGE - 1) & -PAGE; }

    /** A length in bytes as pages, rounded up. */
    long pagesUp(long bytes) throws WorkloadException {
        if (Long.compareUnsigned(bytes, Long.MAX_VALUE - PAGE) > 0) throw error("length 0x" + Long.toHexString(bytes) + " too large");
        return pageUp(bytes) / PAGE;
    }

    /**
     * PROT_* bits as the format's protection. Without PROT_READ the VMA has no VM_READ
     * (calc_vm_prot_bits), though x86 maps it readable: written as such (-w-, -wx, --x), since the
     * missing VM_READ keeps it from merging with a readable neighbour.
     */
    static Prot prot(long bits) {
        boolean r = (bits & 1) != 0, w = (bits & 2) != 0, x = (bits & 4) != 0;
        if (!r) return w ? (x ? Prot.WX : Prot.W) : x ? Prot.X : Prot.NONE;
        if (w && x) return Prot.RWX;
        if (w) return Prot.RW;
        if (x) return Prot.RX;
        return Prot.R;
    }

    /** The rwx letters of an MMAP2 line as the format's protection. */
    static Prot prot(String rwx) {
        return prot((rwx.charAt(0) == 'r' ? 1 : 0) | (rwx.charAt(1) == 'w' ? 2 : 0) | (rwx.charAt(2) == 'x' ? 4 : 0));
    }
}
