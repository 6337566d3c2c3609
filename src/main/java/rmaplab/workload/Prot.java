package rmaplab.workload;

/** Page protection, spelled as in /proc/PID/maps without the sharing letter. */
public enum Prot {
    NONE("---", false, false, false),
    R("r--", true, false, false),
    RW("rw-", true, true, false),
    RX("r-x", true, false, true),
    RWX("rwx", true, true, true);

    private final String spelling;
    public final boolean read, write, exec;

    Prot(String spelling, boolean read, boolean write, boolean exec) {
        this.spelling = spelling;
        this.read = read;
        this.write = write;
        this.exec = exec;
    }

    public String spelling() { return spelling; }

    /** The protection for a spelling, or null when it is not one of the five. */
    public static Prot parse(String s) {
        for (Prot p : values()) if (p.spelling.equals(s)) return p;
        return null;
    }

    @Override public String toString() { return spelling; }
}
