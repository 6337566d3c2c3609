package rmaplab.sim;

/**
 * A page-table entry packed in a long: 0 is "not present"; otherwise the
 * low two bits say what it maps (an anonymous folio, the shared zero page, a
 * page-cache page), bit 2 whether it is writable, the rest the id.
 */
public final class Pte {
    private Pte() {}

    public static final int ANON = 1, ZERO = 2, FILE = 3;
    static final long WRITE = 4;

    public static long anon(int folio, boolean writable) { return ((long) folio << 3) | (writable ? WRITE : 0) | ANON; }

    public static long file(int page, boolean writable) { return ((long) page << 3) | (writable ? WRITE : 0) | FILE; }

    public static final long ZERO_PAGE = ZERO;

    public static boolean present(long pte) { return pte != 0; }

    public static int type(long pte) { return (int) (pte & 3); }

    public static boolean writable(long pte) { return (pte & WRITE) != 0; }

    public static int id(long pte) { return (int) (pte >>> 3); }

    public static boolean isAnon(long pte) { return type(pte) == ANON; }

    public static long wrprotect(long pte) { return pte & ~WRITE; }

    public static long mkwrite(long pte) { return pte | WRITE; }
}
