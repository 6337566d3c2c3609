package rmaplab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import rmaplab.gen.GenSpec;
import rmaplab.record.Truth;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabCache;
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

    @Option(names = "--kernel-profile", paramLabel = "NAME", converter = ProfileConverter.class,
            description = "The slab caches of a named kernel instead of this machine's: x86-64-6.18 (the built-in "
                    + "values), android-arm64 (derived: Android Common Kernel 6.6/6.12 on arm64), android-arm64-6.18 "
                    + "(derived). Default: this machine's /proc/slabinfo and /sys/kernel/slab where readable, else "
                    + "x86-64-6.18; a generator may name its kernel (gen:android: android-arm64). docs/slab.md.")
    SlabSizes profile; // null: not given

    @Option(names = "--slab", paramLabel = "CACHE=OBJ/SLOT/ALIGN/PERSLAB[/USED]", converter = SlabConverter.class,
            description = "Override one cache (anon_vma, anon_vma_chain or vm_area_struct): object size, slot "
                    + "(slabinfo's objsize), alignment, objects per slab, and optionally the bytes the struct's "
                    + "fields use (default: the whole object). Repeatable.")
    List<SlabCache> slabs = new ArrayList<>();

    private MachineConfig base;

    /** --kernel-profile NAME: one of SlabSizes.PROFILES. */
    static final class ProfileConverter implements ITypeConverter<SlabSizes> {
        @Override public SlabSizes convert(String v) {
            try {
                return SlabSizes.profile(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** --slab CACHE=OBJ/SLOT/ALIGN/PERSLAB[/USED]. */
    static final class SlabConverter implements ITypeConverter<SlabCache> {
        @Override public SlabCache convert(String v) {
            try {
                return SlabCache.parse(v);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + v + "': " + e.getMessage());
            }
        }
    }

    /** The slab caches: --kernel-profile, else the generator's kernel, else --default-sizes or this machine's; then --slab. */
    SlabSizes sizes(String workload) {
        SlabSizes s = profile;
        if (s == null && !defaultSizes && workload != null && GenSpec.isSpec(workload)) {
            String named = generatorProfile(workload);
            if (named != null) {
                s = SlabSizes.profile(named);
                System.err.println("rmaplab: " + workload + ": slab caches of kernel profile " + named
                        + ", the generator's (--kernel-profile overrides it)");
            }
        }
        if (s == null) s = defaultSizes ? SlabSizes.DEFAULTS : SlabSizes.detect();
        for (SlabCache c : slabs) s = s.with(c);
        return s;
    }

    private static String generatorProfile(String workload) {
        try {
            return GenSpec.parse(workload).generator().kernelProfile();
        } catch (IllegalArgumentException e) {
            return null; // the command reports the bad spec itself
        }
    }

    /** The one rule: the mode given on the command line, else the recording's where it shows it, else on (mainline). */
    static boolean zeroPage(OnOff given, Truth recording) {
        if (given != null) return given == OnOff.on;
        Boolean recorded = recording == null ? null : recording.zeroPageOn();
        return recorded == null || recorded;
    }

    /** The machine for a workload that is not a recording. */
    MachineConfig config() {
        if (base == null) base = MachineConfig.defaults().withSizes(sizes(null))
                .withTaskSize(paging == 5 ? MachineConfig.TASK_SIZE_5LEVEL : MachineConfig.TASK_SIZE_4LEVEL);
        return base.withZeroPage(zeroPage(zeroPage, null));
    }

    /** The machine for a workload named on the command line: a file (see {@link #config(Path)}) or gen:NAME[:K=V,...]. */
    MachineConfig configFor(String workload) throws Truth.BadTruthException {
        if (!GenSpec.isSpec(workload)) return config(Path.of(workload));
        return MachineConfig.defaults().withSizes(sizes(workload)).withZeroPage(zeroPage(zeroPage, null))
                .withTaskSize(paging == 5 ? MachineConfig.TASK_SIZE_5LEVEL : MachineConfig.TASK_SIZE_4LEVEL);
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
