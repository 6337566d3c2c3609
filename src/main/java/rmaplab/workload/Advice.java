package rmaplab.workload;

/** madvise(2) advice values the format knows. */
public enum Advice {
    DONTFORK("dontfork"), DOFORK("dofork"), WIPEONFORK("wipeonfork"), KEEPONFORK("keeponfork"), DONTNEED("dontneed");

    private final String spelling;

    Advice(String spelling) { this.spelling = spelling; }

    public String spelling() { return spelling; }

    public static Advice parse(String s) {
        for (Advice a : values()) if (a.spelling.equals(s)) return a;
        return null;
    }

    @Override public String toString() { return spelling; }
}
