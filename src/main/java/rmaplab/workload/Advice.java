package rmaplab.workload;

/** madvise(2) advice values the format knows. */
public enum Advice {
    DONTFORK("dontfork"), DOFORK("dofork"), WIPEONFORK("wipeonfork"), KEEPONFORK("keeponfork"), DONTNEED("dontneed"),
    /** MADV_HUGEPAGE (14): VM_HUGEPAGE on, VM_NOHUGEPAGE off (hugepage_madvise). */
    HUGEPAGE("hugepage"),
    /** MADV_NOHUGEPAGE (15): VM_NOHUGEPAGE on, VM_HUGEPAGE off (hugepage_madvise). */
    NOHUGEPAGE("nohugepage");

    private final String spelling;

    Advice(String spelling) { this.spelling = spelling; }

    public String spelling() { return spelling; }

    public static Advice parse(String s) {
        for (Advice a : values()) if (a.spelling.equals(s)) return a;
        return null;
    }

    /** The known spellings, for error messages: "dontfork, dofork, ...". */
    public static String known() {
        StringBuilder b = new StringBuilder();
        for (Advice a : values()) b.append(b.length() == 0 ? "" : ", ").append(a.spelling);
        return b.toString();
    }

    @Override public String toString() { return spelling; }
}
