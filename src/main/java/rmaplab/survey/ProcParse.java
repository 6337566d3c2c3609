package rmaplab.survey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parsers for the /proc and /sys text the survey reads. Each takes the text
 * and the name it came from, and throws {@link ProcFormatException} with
 * {@code NAME:LINE: what is wrong} on text it cannot read.
 */
public final class ProcParse {
    private ProcParse() {}

    /** PF_KTHREAD in /proc/PID/stat's flags (include/linux/sched.h). */
    public static final long PF_KTHREAD = 0x00200000L;

    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

    /** The page size the survey assumes (x86_64, and the workload format's unit). */
    public static final long PAGE = 4096;

    /**
     * The fields of /proc/PID/stat the survey uses (proc(5), numbered from 1).
     *
     * @param startTime field 22, clock ticks after boot
     * @param cminflt   field 11: minor faults of the children this process has waited for
     * @param cmajflt   field 13
     * @param cutime    field 16, ticks
     * @param cstime    field 17, ticks
     */
    public record Stat(int pid, String comm, char state, int ppid, long flags, long cminflt, long cmajflt,
                       long cutime, long cstime, int threads, long startTime) {
        public boolean kernelThread() { return (flags & PF_KTHREAD) != 0; }

        /** Some child of this process was reaped by it (its faults or times were added to this one's). */
        public boolean reapedAChild() { return cminflt > 0 || cmajflt > 0 || cutime > 0 || cstime > 0; }
    }

    /** /proc/PID/stat: the command name is in parentheses and may itself contain blanks and ')'. */
    public static Stat stat(String text, String name) {
        String t = text.strip();
        int open = t.indexOf('('), close = t.lastIndexOf(')');
        if (open < 0 || close < open) throw new ProcFormatException(name + ":1: no '(comm)' field");
        String[] rest = BLANKS.split(t.substring(close + 1).strip());
        // rest[0] is field 3 (state); field k is rest[k - 3]
        if (rest.length < 20) throw new ProcFormatException(name + ":1: " + (rest.length + 2) + " fields, expected at least 22");
        try {
            int pid = Integer.parseInt(t.substring(0, open).strip());
            String comm = t.substring(open + 1, close);
            return new Stat(pid, comm, rest[0].charAt(0), Integer.parseInt(rest[1]), Long.parseLong(rest[6]),
                    Long.parseUnsignedLong(rest[8]), Long.parseUnsignedLong(rest[10]), Long.parseLong(rest[13]),
                    Long.parseLong(rest[14]), Integer.parseInt(rest[17]), Long.parseUnsignedLong(rest[19]));
        } catch (NumberFormatException e) {
            throw new ProcFormatException(name + ":1: not a number where one is expected (" + e.getMessage() + ")");
        }
    }

    /** /proc/PID/status: {@code Key:\tvalue} lines, values stripped, in file order. */
    public static Map<String, String> status(String text, String name) {
        Map<String, String> m = new LinkedHashMap<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) continue;
            int c = l.indexOf(':');
            if (c <= 0) throw new ProcFormatException(name + ":" + line + ": no 'Key:' at the start");
            m.put(l.substring(0, c), l.substring(c + 1).strip());
        }
        return m;
    }

    /** Whether SIGCHLD (17) is ignored, from status's SigIgn mask: then children are reaped without a trace. */
    public static boolean sigchldIgnored(Map<String, String> status) {
        String s = status.get("SigIgn");
        if (s == null) return false;
        try {
            return (Long.parseUnsignedLong(s, 16) & (1L << 16)) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * One VMA as /proc/PID/maps and the header line of /proc/PID/smaps show
     * it, with smaps' fields when they were read. Addresses and the offset in
     * pages.
     *
     * @param start     first page
     * @param end       first page after the VMA
     * @param perms     {@code rwxp} spelling, the last letter {@code p} (private) or {@code s} (shared)
     * @param pgoff     the file offset in pages (0 for anonymous VMAs)
     * @param path      the name column: a file, {@code [heap]}, {@code [stack]}, {@code [anon:NAME]}, ... or ""
     * @param vmFlags   smaps' VmFlags mnemonics (empty when only maps was read)
     * @param anonKb    smaps' Anonymous, -1 when only maps was read
     */
    public record Region(long start, long end, String perms, long pgoff, String dev, long inode, String path,
                         Set<String> vmFlags, long rssKb, long anonKb, long anonHugeKb, long swapKb) {
        public long pages() { return end - start; }

        public boolean shared() { return perms.charAt(3) == 's'; }

        public boolean writable() { return perms.charAt(1) == 'w'; }

        /** A file-backed VMA (a device and inode), as opposed to anonymous memory, named or not. */
        public boolean fileBacked() { return inode != 0; }

        /** [vdso], [vvar], [vvar_vclock], [vsyscall], [uprobes]: special mappings, never anonymous memory. */
        public boolean special() {
            return inode == 0 && path.startsWith("[") && !path.equals("[heap]") && !path.equals("[stack]")
                    && !path.startsWith("[anon:") && !path.startsWith("[anon_shmem:") && !path.startsWith("[stack:");
        }

        public boolean stack() { return path.equals("[stack]") || vmFlags.contains("gd"); }

        /** Private, and so may hold anonymous (copy-on-write) pages. */
        public boolean privateMapping() { return !shared() && !special(); }

        /**
         * An anonymous VMA in the survey's sense: private and either holding
         * anonymous pages (smaps Anonymous &gt; 0) or writable (it may get
         * them at the next write fault).
         */
        public boolean anonymous() { return privateMapping() && (anonKb > 0 || writable()); }

        Region withSmaps(Set<String> flags, long rss, long anon, long anonHuge, long swap) {
            return new Region(start, end, perms, pgoff, dev, inode, path, flags, rss, anon, anonHuge, swap);
        }
    }

    /** One line of /proc/PID/maps (or an smaps header line). */
    public static Region mapsLine(String l, String name, int line) {
        String s = l.strip();
        String[] f = BLANKS.split(s, 6);
        if (f.length < 5) throw new ProcFormatException(name + ":" + line + ": expected 'START-END PERMS OFFSET DEV INODE [PATH]'");
        int dash = f[0].indexOf('-');
        if (dash <= 0) throw new ProcFormatException(name + ":" + line + ": no START-END range");
        try {
            long a = Long.parseUnsignedLong(f[0].substring(0, dash), 16), b = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            if (Long.compareUnsigned(b, a) <= 0 || a % PAGE != 0 || b % PAGE != 0)
                throw new ProcFormatException(name + ":" + line + ": range " + f[0] + " is empty or not page-aligned");
            if (f[1].length() != 4 || "ps".indexOf(f[1].charAt(3)) < 0)
                throw new ProcFormatException(name + ":" + line + ": permissions '" + f[1] + "' are not rwx[ps]");
            long off = Long.parseUnsignedLong(f[2], 16);
            long inode = Long.parseLong(f[4]);
            String path = f.length > 5 ? f[5].strip() : "";
            return new Region(Long.divideUnsigned(a, PAGE), Long.divideUnsigned(b, PAGE), f[1], off / PAGE, f[3], inode,
                    path, Set.of(), -1, -1, -1, -1);
        } catch (NumberFormatException e) {
            throw new ProcFormatException(name + ":" + line + ": not a number where one is expected (" + e.getMessage() + ")");
        }
    }

    /** /proc/PID/maps. */
    public static List<Region> maps(String text, String name) {
        List<Region> out = new ArrayList<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank()) continue;
            out.add(mapsLine(l, name, line));
        }
        return out;
    }

    /** Whether text[a, b) starts with {@code HEX-HEX }: a VMA line of smaps, not a field. */
    private static boolean isHeader(String text, int a, int b) {
        int dash = -1, i = a;
        for (; i < b; i++) {
            char c = text.charAt(i);
            if (c == ' ') break;
            if (c == '-' && dash < 0 && i > a) dash = i;
            else if (Character.digit(c, 16) < 0) return false;
        }
        return dash > a && i < b && i > dash + 1;
    }

    private static boolean keyIs(String text, int a, int colon, String key) {
        return colon - a == key.length() && text.startsWith(key, a);
    }

    /**
     * /proc/PID/smaps: a maps line per VMA followed by {@code Key: N kB} lines
     * and VmFlags. Scanned in place (smaps has some 25 lines per VMA and a
     * process can have hundreds of thousands of VMAs): only VMA lines and the
     * five fields the survey uses become strings.
     */
    public static List<Region> smaps(String text, String name) {
        List<Region> out = new ArrayList<>();
        Region cur = null;
        Set<String> flags = Set.of();
        Map<String, Set<String>> flagSets = new java.util.HashMap<>(); // the same few VmFlags lines, again and again
        long rss = -1, anon = -1, huge = -1, swap = -1;
        int line = 0, n = text.length();
        for (int a = 0; a < n; ) {
            int b = text.indexOf('\n', a);
            if (b < 0) b = n;
            line++;
            int from = a;
            a = b + 1;
            while (from < b && Character.isWhitespace(text.charAt(from))) from++;
            if (from == b) continue; // blank
            if (isHeader(text, from, b)) {
                if (cur != null) out.add(cur.withSmaps(flags, rss, anon, huge, swap));
                cur = mapsLine(text.substring(from, b), name, line);
                flags = Set.of();
                rss = anon = huge = swap = -1;
                continue;
            }
            if (cur == null) throw new ProcFormatException(name + ":" + line + ": a field before the first VMA line");
            int c = text.indexOf(':', from);
            if (c < 0 || c >= b || c == from) throw new ProcFormatException(name + ":" + line + ": expected 'Key: value'");
            if (keyIs(text, from, c, "Rss")) rss = kb(text.substring(c + 1, b).strip(), name, line);
            else if (keyIs(text, from, c, "Anonymous")) anon = kb(text.substring(c + 1, b).strip(), name, line);
            else if (keyIs(text, from, c, "AnonHugePages")) huge = kb(text.substring(c + 1, b).strip(), name, line);
            else if (keyIs(text, from, c, "Swap")) swap = kb(text.substring(c + 1, b).strip(), name, line);
            else if (keyIs(text, from, c, "VmFlags")) {
                flags = flagSets.computeIfAbsent(text.substring(c + 1, b).strip(), x -> Collections.unmodifiableSet(
                        new TreeSet<>(List.of(x.isEmpty() ? new String[0] : BLANKS.split(x)))));
            }
        }
        if (cur != null) out.add(cur.withSmaps(flags, rss, anon, huge, swap));
        return out;
    }

    private static long kb(String v, String name, int line) {
        // "N kB", parsed by hand: smaps has several of these per VMA
        int sp = v.indexOf(' ');
        try {
            if (sp <= 0 || !v.regionMatches(sp, " kB", 0, 3) || v.length() != sp + 3) throw new NumberFormatException(v);
            return Long.parseLong(v, 0, sp, 10);
        } catch (NumberFormatException e) {
            throw new ProcFormatException(name + ":" + line + ": expected 'N kB', found '" + v + "'");
        }
    }

    /** One line of /proc/slabinfo (version 2.1): name, active objects, all objects, object size in bytes. */
    public record SlabLine(String name, long active, long total, long objsize) {}

    /** /proc/slabinfo, by cache name. */
    public static Map<String, SlabLine> slabinfo(String text, String name) {
        Map<String, SlabLine> m = new LinkedHashMap<>();
        int line = 0;
        for (String l : text.split("\n")) {
            line++;
            if (l.isBlank() || l.startsWith("#")) continue;
            if (l.startsWith("slabinfo - version:")) {
                if (!l.contains("2.1")) throw new ProcFormatException(name + ":" + line + ": unknown slabinfo version: " + l.strip());
                continue;
            }
            String[] f = BLANKS.split(l.strip());
            if (f.length < 4) throw new ProcFormatException(name + ":" + line + ": expected 'NAME ACTIVE TOTAL OBJSIZE ...'");
            try {
                m.put(f[0], new SlabLine(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            } catch (NumberFormatException e) {
                throw new ProcFormatException(name + ":" + line + ": not a number where one is expected (" + e.getMessage() + ")");
            }
        }
        return m;
    }

    /** /proc/PID/pagemap bits (Documentation/admin-guide/mm/pagemap.rst). */
    public static final long PM_PRESENT = 1L << 63, PM_SWAP = 1L << 62, PM_FILE = 1L << 61, PM_EXCLUSIVE = 1L << 56,
            PM_PFN = (1L << 55) - 1;

    /**
     * Not a kernel bit (pagemap documents bits 58-60 as zero; the survey uses
     * 59): marks a page the survey placed itself from smaps' count, because
     * pagemap was not read for its VMA.
     */
    public static final long SYNTHETIC = 1L << 59;

    /** /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
    public static final int KPF_ANON = 12, KPF_KSM = 21, KPF_THP = 22, KPF_ZERO_PAGE = 24;
}
