package rmaplab.design.cowctx;

/**
 * The corrections {@code cowctx-fixed} makes to the PoC, one switch each, so
 * that tests can show that each of them is needed. {@link #NONE} is the PoC
 * as written ({@code cowctx}); {@link #ALL} is {@code cowctx-fixed}.
 *
 * @param earlyStopOnlyWhenFound walk_context takes its exclusive early stop only
 *        when the offset-0 pass found the folio mapped in the context's own mm
 *        (a page-table check of the VMAs that pass visited)
 * @param preciseUnmap           find_and_unmap_existing first splits the entries at
 *        the edges of its range, as add_new_remap does, so that only the range
 *        loses the offset, not the whole stored entries that overlap it
 * @param remapAddsNew           on mremap, __cow_context_do_remap adds the new offset
 *        (add_new_remap) instead of rewriting the old one in place
 *        (find_and_remap_existing); the old offset goes when the source range is
 *        unmapped (remove_vma → cow_context_vma_unmap), as for any unmapped range
 * @param correctInsertion       __dynarray_append_value shifts the element at the
 *        insertion point too, so that an insertion never loses an offset
 * @param trackAnonFirstFault    the first fault of a VMA (__anon_vma_prepare) adds its
 *        remap entry whenever should_track_remap() holds, not only for MAP_PRIVATE
 *        file mappings: an anonymous VMA that is unfaulted but has a non-zero offset
 *        (the MADV_WIPEONFORK copy of a moved VMA) gets tracked too
 */
public record Fixes(boolean earlyStopOnlyWhenFound, boolean preciseUnmap, boolean remapAddsNew,
                    boolean correctInsertion, boolean trackAnonFirstFault) {
    public static final Fixes NONE = new Fixes(false, false, false, false, false);
    public static final Fixes ALL = new Fixes(true, true, true, true, true);

    /** Parses five 0/1 digits in the order of the components, e.g. "10000". */
    static Fixes of(String bits) {
        if (bits.length() != 5) throw new IllegalArgumentException("five digits: " + bits);
        return new Fixes(bits.charAt(0) == '1', bits.charAt(1) == '1', bits.charAt(2) == '1', bits.charAt(3) == '1',
                bits.charAt(4) == '1');
    }

    /** The five switches as 0/1 digits. */
    String bits() {
        return (earlyStopOnlyWhenFound ? "1" : "0") + (preciseUnmap ? "1" : "0") + (remapAddsNew ? "1" : "0")
                + (correctInsertion ? "1" : "0") + (trackAnonFirstFault ? "1" : "0");
    }

    /** The switches on in either. */
    Fixes or(Fixes o) {
        return new Fixes(earlyStopOnlyWhenFound || o.earlyStopOnlyWhenFound, preciseUnmap || o.preciseUnmap,
                remapAddsNew || o.remapAddsNew, correctInsertion || o.correctInsertion,
                trackAnonFirstFault || o.trackAnonFirstFault);
    }
}
