package rmaplab.design.cowctx;

import java.util.Arrays;

/**
 * The PoC's {@code struct dynarray { int nr, cap; void *contents[]; }}: the
 * offsets of a multi remap entry (in the tree) or the unique offsets a walk
 * collects (on the stack). Offsets are compared as unsigned longs, as the PoC
 * compares {@code void *} values.
 *
 * <p>Slots at or past {@code nr} keep whatever they last held (zero when never
 * written): that is how this model reads the PoC's uninitialised memory.
 */
final class Dynarray {
    long[] contents;
    int nr;

    Dynarray(int cap) { contents = new long[cap]; }

    int cap() { return contents.length; }

    /** __dynarray_dup: a new array of capacity {@code cap} holding the first nr offsets. */
    static Dynarray dup(Dynarray src, int cap) {
        Dynarray d = new Dynarray(cap);
        System.arraycopy(src.contents, 0, d.contents, 0, src.nr);
        d.nr = src.nr;
        return d;
    }

    /** krealloc to twice the capacity (__dynarray_expand of an array already on the heap). */
    void doubleInPlace() { contents = Arrays.copyOf(contents, 2 * contents.length); }

    /**
     * __dynarray_append_value: insertion into an array assumed sorted, a
     * no-op when the scan from the end meets an equal value first. There must
     * be room (nr < cap).
     *
     * <p>As written, the PoC's shifting loop stops at {@code i <= insert_idx}
     * and so never moves the element at the insertion point: inserting below
     * the last element overwrites one offset and leaves a duplicate (or, just
     * below the last, an unwritten slot) behind. {@code correct} shifts that
     * element too ({@code i < insert_idx}), which is what the code means to do.
     */
    void appendValue(long v, boolean correct) {
        if (nr == contents.length) throw new IllegalStateException("dynarray full");
        int i;
        for (i = nr - 1; i >= 0; i--) {
            long val = contents[i];
            if (val == v) return;
            if (Long.compareUnsigned(val, v) < 0) break;
        }
        int insert = i + 1;
        for (i = nr - 1; i >= 0; i--) {
            if (correct ? i < insert : i <= insert) break;
            contents[i + 1] = contents[i];
        }
        contents[insert] = v;
        nr++;
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < nr; i++) b.append(i == 0 ? "" : ", ").append(contents[i]);
        return b.append("] cap ").append(contents.length).toString();
    }
}
