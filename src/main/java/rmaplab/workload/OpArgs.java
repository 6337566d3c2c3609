package rmaplab.workload;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The arguments of one op line, consumed in order and checked as they are:
 * numbers, ranges within the user address space, PROT, KIND and FLAGS.
 */
final class OpArgs {
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.\\-/]+");
    private static final AddressSpace SPACE = AddressSpace.LARGEST;
    /** Where the user address space ends, for messages. */
    private static final String ENDS = "it ends at page 0x" + Long.toHexString(SPACE.taskSizePages())
            + ": TASK_SIZE with 5-level paging";
    /** How large it is, for messages. */
    private static final String SIZE = "0x" + Long.toHexString(SPACE.taskSizePages()) + " pages: TASK_SIZE with 5-level paging";

    private final String op;
    private final String[] t;
    private final Function<String, WorkloadException> error;
    private int i = 2;

    OpArgs(String op, String[] t, Function<String, WorkloadException> error) {
        this.op = op;
        this.t = t;
        this.error = error;
    }

    private WorkloadException error(String msg) { return error.apply(msg); }

    private static String q(String s) { return WorkloadException.quote(s); }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    String next(String what) throws WorkloadException {
        if (i >= t.length) throw error(op + ": missing argument " + what);
        return t[i++];
    }

    boolean more() { return i < t.length; }

    void end() throws WorkloadException {
        if (i < t.length) throw error(op + ": unexpected argument " + q(t[i]));
    }

    /**
     * A number, decimal or 0x hex, as an unsigned value; -1 (all ones) when it
     * does not fit in 64 bits, which every caller refuses as too large.
     */
    static long parse(String s) {
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        if (digits.isEmpty() || !(hex ? HEX : DECIMAL).matcher(digits).matches()) throw new NumberFormatException(s);
        int nz = 0;
        while (nz < digits.length() - 1 && digits.charAt(nz) == '0') nz++;
        digits = digits.substring(nz);
        if (digits.length() > (hex ? 16 : 20)) return -1;
        try {
            return Long.parseUnsignedLong(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            return -1; // above 2^64 - 1
        }
    }

    private long number(String what, String s) throws WorkloadException {
        try {
            return parse(s);
        } catch (NumberFormatException e) {
            throw error(op + ": " + what + " " + q(s) + " is not a number (decimal or 0x hex)");
        }
    }

    /** A page address: below TASK_SIZE of the largest user address space. */
    long address(String what) throws WorkloadException {
        String s = next(what);
        long a = number(what, s);
        if (Long.compareUnsigned(a, SPACE.taskSizePages()) >= 0)
            throw error(op + ": " + what + " " + q(s) + " is beyond the user address space (" + ENDS + ")");
        return a;
    }

    /** A length in pages: not zero, and the range from {@code addr} within the user address space. */
    long length(String what, long addr) throws WorkloadException {
        String s = next(what);
        long len = number(what, s);
        if (len == 0) throw error(op + ": " + what + " must not be zero");
        if (Long.compareUnsigned(len, SPACE.taskSizePages()) > 0)
            throw error(op + ": " + what + " " + q(s) + " is larger than the user address space (" + SIZE + ")");
        if (!SPACE.contains(addr, len))
            throw error(op + ": the range at " + hex(addr) + " of " + hex(len) + " pages ends beyond the user address space ("
                    + ENDS + ")");
        return len;
    }

    Prot prot() throws WorkloadException {
        String s = next("PROT");
        Prot p = Prot.parse(s);
        if (p == null) throw error(op + ": bad PROT " + q(s) + " (one of ---, r--, rw-, r-x, rwx, -w-, -wx, --x)");
        return p;
    }

    MapKind kind() throws WorkloadException {
        String s = next("KIND");
        switch (s) {
            case "anon": return MapKind.ANON;
            case "shared": return MapKind.SHARED;
            case "stack": return MapKind.STACK;
            default: break;
        }
        boolean shared = s.startsWith("shared-file=");
        if (!shared && !s.startsWith("file="))
            throw error("mmap: bad KIND " + q(s) + " (anon, shared, stack, file=NAME@PGOFF, shared-file=NAME@PGOFF)");
        String rest = s.substring(s.indexOf('=') + 1);
        int at = rest.lastIndexOf('@');
        if (at < 0) throw error("mmap: bad KIND " + q(s) + ": missing @PGOFF");
        String file = rest.substring(0, at), off = rest.substring(at + 1);
        if (!FILE_NAME.matcher(file).matches())
            throw error("mmap: bad file name " + q(file) + " (letters, digits, '_', '.', '-', '/')");
        long pgoff;
        try {
            pgoff = parse(off);
        } catch (NumberFormatException e) {
            throw error("mmap: bad PGOFF " + q(off) + " in " + q(s));
        }
        // sys_mmap (arch/x86/kernel/sys_x86_64.c) takes the offset in bytes as an unsigned long and passes
        // off >> PAGE_SHIFT: no process can name a page offset of 2^52 or more
        if (Long.compareUnsigned(pgoff, AddressSpace.PGOFF_LIMIT) >= 0)
            throw error("mmap: PGOFF " + q(off) + " is beyond any file offset mmap(2) can be given (below 0x"
                    + Long.toHexString(AddressSpace.PGOFF_LIMIT) + " pages: 2^64 bytes)");
        return shared ? MapKind.sharedFile(file, pgoff) : MapKind.file(file, pgoff);
    }

    /** The optional FLAGS of mmap: known flags, comma-separated, each at most once. */
    Set<MapFlag> mapFlags() throws WorkloadException {
        String s = next("FLAGS");
        EnumSet<MapFlag> set = EnumSet.noneOf(MapFlag.class);
        for (String f : s.split(",", -1)) {
            MapFlag flag = MapFlag.parse(f);
            if (flag == null)
                throw error("mmap: bad FLAG " + q(f) + " in " + q(s) + " (comma-separated, each one of " + MapFlag.known() + ")");
            if (!set.add(flag)) throw error("mmap: FLAG " + q(f) + " repeated in " + q(s));
        }
        return set;
    }
}
