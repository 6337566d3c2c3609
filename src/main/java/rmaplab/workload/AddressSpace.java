package rmaplab.workload;

/**
 * The user address space of an x86-64 process, in 4 KiB pages, for the two
 * paging modes. TASK_SIZE_MAX is {@code (1 << __VIRTUAL_MASK_SHIFT) - PAGE_SIZE}
 * (arch/x86/include/asm/page_64_types.h), with a shift of 47 for 4-level
 * paging and 56 for 5-level. The page below it is the last a process can map:
 * get_unmapped_area() (mm/mmap.c) refuses {@code len > TASK_SIZE} and
 * {@code addr > TASK_SIZE - len} with ENOMEM.
 *
 * <p>The reader refuses what no process could ask for, which is what lies
 * beyond the larger of the two ({@link #LARGEST}); a simulated machine with
 * 4-level paging returns the kernel's errors at run time for what lies
 * between the two.
 */
public enum AddressSpace {
    /** 4-level paging: 128 TiB less one page. */
    LEVEL4(47),
    /** 5-level paging (CONFIG_X86_5LEVEL on a CPU with LA57): 64 PiB less one page. */
    LEVEL5(56);

    public static final int PAGE_SHIFT = 12;

    /** The larger of the two: the reader's limit. */
    public static final AddressSpace LARGEST = LEVEL5;

    /**
     * The first page offset of a file that no x86-64 process can name: mmap(2) takes the offset in
     * bytes as an unsigned long (sys_mmap in arch/x86/kernel/sys_x86_64.c passes {@code off >> PAGE_SHIFT}
     * as pgoff), so a page offset is below 2^52.
     */
    public static final long PGOFF_LIMIT = 1L << (64 - PAGE_SHIFT);

    private final int virtualMaskShift;

    AddressSpace(int virtualMaskShift) { this.virtualMaskShift = virtualMaskShift; }

    /** __VIRTUAL_MASK_SHIFT: 47 or 56. */
    public int virtualMaskShift() { return virtualMaskShift; }

    /** TASK_SIZE_MAX in bytes. */
    public long taskSize() { return (1L << virtualMaskShift) - (1L << PAGE_SHIFT); }

    /** TASK_SIZE_MAX in pages: the first page a process cannot map. */
    public long taskSizePages() { return taskSize() >>> PAGE_SHIFT; }

    /** Whether the pages [addr, addr + len) are all user pages (len may be zero); no overflow for any longs. */
    public boolean contains(long addr, long len) {
        long limit = taskSizePages();
        return addr >= 0 && len >= 0 && len <= limit && addr <= limit - len;
    }
}
