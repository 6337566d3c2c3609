package rmaplab.workload;

/** Page protection, spelled as in /proc/PID/maps without the sharing letter. */
public enum Prot {
    NONE("---", false, false, false),
    R("r--", true, false, false),
    RW("rw-", true, true, false),
    RX("r-x", true, false, true),
    RWX("rwx", true, true, true),
    /**
     * Without PROT_READ (calc_vm_prot_bits gives no VM_READ): x86 page tables make them readable all
     * the same (a read fault is refused only when the VMA has none of VM_READ, VM_WRITE and VM_EXEC),
     * but the missing VM_READ keeps such a VMA from merging with a readable neighbour.
     */
    W("-w-", false, true, false),
    WX("-wx", false, true, true),
    X("--x", false, false, true);

    private final String spelling;
    public final boolean read, write, exec;

    Prot(String spelling, boolean read, boolean write, boolean exec) {
        this.spelling = spelling;
        this.read = read;
        this.write = write;
        this.exec = exec;
    }

    public String spelling() { return spelling; }

    /** The protection for a spelling, or null when it is not one of the eight. */
    public static Prot parse(String s) {
        for (Prot p : values()) if (p.spelling.equals(s)) return p;
        return null;
    }

    @Override public String toString() { return spelling; }
}
