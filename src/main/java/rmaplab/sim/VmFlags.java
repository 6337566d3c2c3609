package rmaplab.sim;

import rmaplab.workload.Prot;

/** The vm_flags bits the model keeps (include/linux/mm.h names). */
public final class VmFlags {
    private VmFlags() {}

    public static final int VM_READ = 1;
    public static final int VM_WRITE = 1 << 1;
    public static final int VM_EXEC = 1 << 2;
    public static final int VM_SHARED = 1 << 3;
    public static final int VM_GROWSDOWN = 1 << 8;
    public static final int VM_ACCOUNT = 1 << 20;
    public static final int VM_DONTCOPY = 1 << 17;
    public static final int VM_WIPEONFORK = 1 << 25;
    /** MAP_NORESERVE (do_mmap, when vm.overcommit_memory is not 2): never charged, so never VM_ACCOUNT. */
    public static final int VM_NORESERVE = 1 << 21;
    /** MADV_HUGEPAGE (hugepage_madvise). */
    public static final int VM_HUGEPAGE = 1 << 29;
    /** MADV_NOHUGEPAGE (hugepage_madvise), and MAP_STACK since Linux 6.7 (calc_vm_flag_bits). */
    public static final int VM_NOHUGEPAGE = 1 << 30;

    /** VM_READ|VM_WRITE|VM_EXEC: the bits mprotect changes. */
    public static final int VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;

    public static int of(Prot p) {
        return (p.read ? VM_READ : 0) | (p.write ? VM_WRITE : 0) | (p.exec ? VM_EXEC : 0);
    }

    public static String describe(int f) {
        StringBuilder b = new StringBuilder();
        b.append((f & VM_READ) != 0 ? 'r' : '-').append((f & VM_WRITE) != 0 ? 'w' : '-')
                .append((f & VM_EXEC) != 0 ? 'x' : '-').append((f & VM_SHARED) != 0 ? 's' : 'p');
        if ((f & VM_GROWSDOWN) != 0) b.append(" growsdown");
        if ((f & VM_ACCOUNT) != 0) b.append(" account");
        if ((f & VM_DONTCOPY) != 0) b.append(" dontcopy");
        if ((f & VM_WIPEONFORK) != 0) b.append(" wipeonfork");
        if ((f & VM_NORESERVE) != 0) b.append(" noreserve");
        if ((f & VM_HUGEPAGE) != 0) b.append(" hugepage");
        if ((f & VM_NOHUGEPAGE) != 0) b.append(" nohugepage");
        return b.toString();
    }
}
