package rmaplab.sim;

/**
 * Settings of the simulated machine.
 *
 * @param zeroPage      a read fault on never-written private anonymous memory maps the
 *                      shared zero page (mainline Linux); when false a new zeroed
 *                      anonymous folio is made, as the kernel on these machines does
 * @param stackGuardGap stack_guard_gap in pages (256 = 1 MiB by default)
 * @param stackLimit    RLIMIT_STACK in pages (8 MiB by default)
 * @param sizes         slab object sizes
 */
public record MachineConfig(boolean zeroPage, long stackGuardGap, long stackLimit, SlabSizes sizes) {
    public static MachineConfig defaults() { return new MachineConfig(true, 256, 2048, SlabSizes.DEFAULTS); }

    public MachineConfig withZeroPage(boolean z) { return new MachineConfig(z, stackGuardGap, stackLimit, sizes); }

    public MachineConfig withSizes(SlabSizes s) { return new MachineConfig(zeroPage, stackGuardGap, stackLimit, s); }
}
