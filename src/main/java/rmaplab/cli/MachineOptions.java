package rmaplab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import rmaplab.record.Truth;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabSizes;

/** Options describing the simulated machine, shared by the commands that run the model. */
final class MachineOptions {
    enum OnOff { on, off }

    @Option(names = "--zero-page", paramLabel = "on|off",
            description = "A read fault on never-written anonymous memory maps the shared zero page (on, mainline "
                    + "Linux) or a new zeroed folio (off, as the kernel on these machines does). Default: on; for a "
                    + "recording (X.truth.json beside X.rmw.gz) the recorded kernel's mode where the recording shows "
                    + "it (its 'zeroPage').")
    OnOff zeroPage; // null: not given

    @Option(names = "--default-sizes",
            description = "Use the built-in object sizes (anon_vma 104 B, anon_vma_chain 64 B, vm_area_struct 192 B) "
                    + "even where /proc/slabinfo is readable.")
    boolean defaultSizes;

    @Option(names = "--paging", paramLabel = "4|5",
            description = "Page-table levels of the simulated x86-64 machine, which set its user address space "
                    + "(TASK_SIZE): 4 (47-bit addresses, 2^35 pages; the default, as on these machines) or 5 (56-bit, "
                    + "2^44 pages). Past it mmap fails with ENOMEM, munmap and mremap with EINVAL, as in Linux.")
    void paging(int levels) {
        if (levels != 4 && levels != 5)
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--paging must be 4 or 5, not " + levels);
        paging = levels;
    }

    private int paging = 4;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    private MachineConfig base;

    /** The one rule: the mode given on the command line, else the recording's where it shows it, else on (mainline). */
    static boolean zeroPage(OnOff given, Truth recording) {
        if (given != null) return given == OnOff.on;
        Boolean recorded = recording == null ? null : recording.zeroPageOn();
        return recorded == null || recorded;
    }

    /** The machine for a workload that is not a recording. */
    MachineConfig config() {
        if (base == null) base = MachineConfig.defaults().withSizes(defaultSizes ? SlabSizes.DEFAULTS : SlabSizes.detect())
                .withTaskSize(paging == 5 ? MachineConfig.TASK_SIZE_5LEVEL : MachineConfig.TASK_SIZE_4LEVEL);
        return base.withZeroPage(zeroPage(zeroPage, null));
    }

    /**
     * The machine for a workload file: a recording's zero-page mode, from the truth file beside it,
     * unless --zero-page was given (said on stderr when it is used).
     */
    MachineConfig config(Path workload) throws Truth.BadTruthException {
        Path t = workload == null || zeroPage != null ? null : Truth.besideWorkload(workload);
        Truth truth = t == null ? null : Truth.read(t);
        MachineConfig c = config().withZeroPage(zeroPage(zeroPage, truth));
        if (truth != null && truth.zeroPageOn() != null)
            System.err.println("rmaplab: " + workload + ": zero page " + (c.zeroPage() ? "on" : "off")
                    + ", as in the recorded kernel (" + t.getFileName() + "; --zero-page overrides it)");
        return c;
    }
}
