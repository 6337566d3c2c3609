package rmaplab.cli;

import picocli.CommandLine.Option;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.SlabSizes;

/** Options describing the simulated machine, shared by the commands that run the model. */
final class MachineOptions {
    enum OnOff { on, off }

    @Option(names = "--zero-page", paramLabel = "on|off", defaultValue = "on",
            description = "A read fault on never-written anonymous memory maps the shared zero page (on, mainline "
                    + "Linux) or a new zeroed folio (off, as the kernel on these machines does). Default: ${DEFAULT-VALUE}.")
    OnOff zeroPage;

    @Option(names = "--default-sizes",
            description = "Use the built-in object sizes (anon_vma 104 B, anon_vma_chain 64 B, vm_area_struct 192 B) "
                    + "even where /proc/slabinfo is readable.")
    boolean defaultSizes;

    MachineConfig config() {
        return MachineConfig.defaults().withZeroPage(zeroPage == OnOff.on)
                .withSizes(defaultSizes ? SlabSizes.DEFAULTS : SlabSizes.detect());
    }
}
