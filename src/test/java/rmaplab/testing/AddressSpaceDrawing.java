package rmaplab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import rmaplab.sim.Machine;
import rmaplab.sim.Mm;
import rmaplab.sim.Task;
import rmaplab.sim.Vma;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/**
 * An address space drawn one column per page, the way the kernel's userland
 * VMA tests draw their cases in comments (tools/testing/vma/vma.c, whose
 * tests now live in tools/testing/vma/tests/merge.c: test_merge_existing,
 * test_anon_vma_non_mergeable, test_merge_new): a {@code <->} over the range
 * being changed, a ruler of page numbers, a letter per VMA. Here the drawing
 * is computed from the simulated mm, so a test asserts it and a failure
 * prints the drawing the test got. One legend everywhere:
 *
 * <pre>
 *    &lt;-&gt;       the range the last op names: '&lt;' its first page, '&gt;' its last,
 *               '-' between; a one-page range is a lone '-' (merge.c's spelling).
 *               An mremap that moves marks its source and its destination.
 * 0123456789    the ruler: the last hex digit of each page number
 * aaaBBBcccc    the VMAs: A is the mm's first VMA in address order, B the next, ...
 *               (every VMA of the mm counts, drawn or not; '?' after Z);
 *               upper case while the VMA has no anon_vma, lower case once it has
 *               one (the first anonymous fault prepared it); '.' a page no VMA maps
 *               (merge.c leaves it blank, which a text block would strip at a line's end)
 * </pre>
 *
 * <p>The marker line is left out when the last op names no range (spawn,
 * fork, exit, ...), was on another address space, or lies outside the
 * window. Without a window the drawing starts at the last multiple of 16
 * pages at or below the first VMA (or the marked range), so the ruler starts
 * at 0, and ends with the last VMA or the marked range, whichever ends
 * later; an address space with neither draws as {@code (no VMAs)}.
 */
public final class AddressSpaceDrawing {
    private AddressSpaceDrawing() {}

    /** Wider drawings are refused: draw a window instead. */
    public static final int MAX_WIDTH = 80;

    /** The drawing of mm with the range of {@code last} marked (null: no marker line), in the automatic window. */
    public static String draw(Mm mm, Op last) {
        List<long[]> marks = ranges(last);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Vma v : mm.vmas()) {
            lo = Math.min(lo, v.start());
            hi = Math.max(hi, v.end());
        }
        for (long[] r : marks) {
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        if (lo == Long.MAX_VALUE) return "(no VMAs)\n";
        long from = lo & ~0xfL;
        if (hi - from > MAX_WIDTH)
            throw new IllegalArgumentException("the drawing of [0x" + Long.toHexString(from) + ", 0x" + Long.toHexString(hi)
                    + ") would be " + (hi - from) + " pages wide (at most " + MAX_WIDTH + "): draw a window");
        return draw(mm, from, hi, last);
    }

    /**
     * The drawing of pages [from, to) of mm, with the part of the range of
     * {@code last} inside the window marked (no marker line when none is).
     */
    public static String draw(Mm mm, long from, long to, Op last) {
        if (to <= from) throw new IllegalArgumentException("empty window");
        int width = Math.toIntExact(to - from);
        StringBuilder out = new StringBuilder();
        List<long[]> marks = ranges(last);
        if (!marks.isEmpty()) {
            char[] m = blank(width, ' ');
            for (long[] r : marks) mark(m, Math.max(r[0], from) - from, Math.min(r[1], to) - from);
            String line = new String(m).stripTrailing();
            if (!line.isEmpty()) out.append(line).append('\n');
        }
        char[] ruler = new char[width];
        for (int i = 0; i < width; i++) ruler[i] = Character.forDigit((int) ((from + i) & 0xf), 16);
        out.append(ruler).append('\n');
        char[] vmas = blank(width, '.');
        int index = 0;
        for (Vma v : mm.vmas()) {
            char c = letter(index++, v.anonPrepared());
            for (long p = Math.max(v.start(), from); p < Math.min(v.end(), to); p++) vmas[(int) (p - from)] = c;
        }
        out.append(vmas).append('\n');
        return out.toString();
    }

    /**
     * Asserts a drawing; on failure the message shows the actual drawing
     * whole (so that it can be pasted into the test once checked).
     */
    public static void assertDrawing(String expected, String actual, String what) {
        assertEquals(expected.stripTrailing(), actual.stripTrailing(), () -> what + "; drawn:\n" + actual);
    }

    /**
     * Asserts the drawing of the task's address space on the machine, with
     * the range of {@code last} (the op applied last, or null) marked when
     * that op was on this address space.
     */
    public static void assertDrawing(String expected, Machine m, String task, Op last) {
        Mm mm = m.task(task).mm();
        assertDrawing(expected, draw(mm, on(m, mm, last)), task + "'s address space after " + spell(last));
    }

    /** The same, for the window [from, to) of the task's address space. */
    public static void assertDrawing(String expected, Machine m, String task, Op last, long from, long to) {
        Mm mm = m.task(task).mm();
        assertDrawing(expected, draw(mm, from, to, on(m, mm, last)),
                task + "'s pages [0x" + Long.toHexString(from) + ", 0x" + Long.toHexString(to) + ") after " + spell(last));
    }

    /** The op, if it was on this mm (else null: nothing to mark). */
    private static Op on(Machine m, Mm mm, Op op) {
        Task by = op == null ? null : m.task(op.task());
        return by != null && by.mm() == mm ? op : null;
    }

    private static String spell(Op op) { return op == null ? "no op" : WorkloadWriter.format(op); }

    /** The page ranges [start, end) the op names: none for ops without a range; source and destination of a move. */
    public static List<long[]> ranges(Op op) {
        List<long[]> l = new ArrayList<>();
        switch (op) {
            case null -> { }
            case Op.Mmap o -> l.add(range(o.addr(), o.len()));
            case Op.Munmap o -> l.add(range(o.addr(), o.len()));
            case Op.Mprotect o -> l.add(range(o.addr(), o.len()));
            case Op.Madvise o -> l.add(range(o.addr(), o.len()));
            case Op.Touch o -> l.add(range(o.addr(), o.len()));
            case Op.Walk o -> l.add(range(o.addr(), o.len()));
            case Op.Migrate o -> l.add(range(o.addr(), o.len()));
            case Op.Mremap o -> {
                if (o.newAddr() == o.addr()) {
                    l.add(range(o.addr(), Math.max(o.len(), o.newLen())));
                } else {
                    l.add(range(o.addr(), o.len()));
                    l.add(range(o.newAddr(), o.newLen()));
                }
            }
            default -> { }
        }
        return l;
    }

    private static long[] range(long addr, long len) { return new long[] {addr, addr + len}; }

    private static char[] blank(int width, char c) {
        char[] a = new char[width];
        java.util.Arrays.fill(a, c);
        return a;
    }

    /** merge.c's marker over columns [a, b): "-" for one page, "<>" for two, "<-->" for four. */
    private static void mark(char[] m, long a, long b) {
        if (b <= a) return;
        if (b - a == 1) {
            m[(int) a] = '-';
            return;
        }
        m[(int) a] = '<';
        for (long i = a + 1; i < b - 1; i++) m[(int) i] = '-';
        m[(int) (b - 1)] = '>';
    }

    private static char letter(int index, boolean anonVma) {
        if (index >= 26) return '?';
        char c = (char) ('A' + index);
        return anonVma ? Character.toLowerCase(c) : c;
    }
}
