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
 * @param taskSize      TASK_SIZE in pages: user addresses lie below it ({@link #TASK_SIZE_4LEVEL} by default)
 * @param commitLimit   the most pages one charge may take under vm.overcommit_memory 0 (OVERCOMMIT_GUESS):
 *                      totalram_pages() + total_swap_pages, as __vm_enough_memory (mm/util.c) compares it.
 *                      {@link #UNLIMITED} by default: the simulated machine has whatever memory the workload
 *                      needs; kernel-check sets it to the live machine's MemTotal + SwapTotal
 */
public record MachineConfig(boolean zeroPage, long stackGuardGap, long stackLimit, SlabSizes sizes, long taskSize,
                            long commitLimit) {
    /** No commit limit: no mapping is ever refused for want of memory. */
    public static final long UNLIMITED = Long.MAX_VALUE;
    /** x86-64 TASK_SIZE_MAX with 4-level page tables, (1 << 47) - 4096 bytes, in pages. */
    public static final long TASK_SIZE_4LEVEL = rmaplab.workload.AddressSpace.LEVEL4.taskSizePages();
    /** x86-64 TASK_SIZE_MAX with 5-level page tables (LA57), (1 << 56) - 4096 bytes, in pages: the reader's limit. */
    public static final long TASK_SIZE_5LEVEL = rmaplab.workload.AddressSpace.LEVEL5.taskSizePages();

    public MachineConfig(boolean zeroPage, long stackGuardGap, long stackLimit, SlabSizes sizes) {
        this(zeroPage, stackGuardGap, stackLimit, sizes, TASK_SIZE_4LEVEL, UNLIMITED);
    }

    public static MachineConfig defaults() { return new MachineConfig(true, 256, 2048, SlabSizes.DEFAULTS); }

    public MachineConfig withZeroPage(boolean z) {
        return new MachineConfig(z, stackGuardGap, stackLimit, sizes, taskSize, commitLimit);
    }

    public MachineConfig withSizes(SlabSizes s) {
        return new MachineConfig(zeroPage, stackGuardGap, stackLimit, s, taskSize, commitLimit);
    }

    public MachineConfig withTaskSize(long pages) {
        return new MachineConfig(zeroPage, stackGuardGap, stackLimit, sizes, pages, commitLimit);
    }

    public MachineConfig withCommitLimit(long pages) {
        return new MachineConfig(zeroPage, stackGuardGap, stackLimit, sizes, taskSize, pages);
    }

    /**
     * __vm_enough_memory (mm/util.c) with vm.overcommit_memory 0, the default: a charge of more pages
     * than RAM and swap together is refused; any smaller one is granted (nothing is reserved).
     */
    public boolean enoughMemory(long pages) { return pages <= commitLimit; }
}
