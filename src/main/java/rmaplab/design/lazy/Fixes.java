package rmaplab.design.lazy;

/**
 * The corrections {@code lazy-fixed} makes to ANON_VMA_LAZY as posted, one
 * switch each, so that tests can show that each is needed. {@link #NONE} is
 * the series as posted ({@code lazy}); {@link #ALL} is {@code lazy-fixed}.
 *
 * <p>All three are the same correction applied at three places: a VMA in the
 * lazy state is upgraded to a regular anon_vma (its folios re-pointed, as the
 * series already does at fork) before the kernel makes a second VMA that
 * would carry its lazy tag, because a lazy folio names one VMA and the walk
 * looks in that VMA only.
 *
 * @param upgradeOnSplit before __split_vma of a lazy VMA (mprotect, madvise,
 *        partial munmap, partial mremap)
 * @param upgradeOnDup   before dup_anon_vma from a lazy VMA into an unfaulted
 *        neighbour (a merge that takes the lazy VMA's range or replaces it)
 * @param upgradeOnCopy  before copy_vma of a lazy VMA (an mremap move)
 */
public record Fixes(boolean upgradeOnSplit, boolean upgradeOnDup, boolean upgradeOnCopy) {
    public static final Fixes NONE = new Fixes(false, false, false);
    public static final Fixes ALL = new Fixes(true, true, true);

    /** Parses three 0/1 digits in the order of the components, e.g. "101". */
    public static Fixes of(String bits) {
        if (bits.length() != 3 || !bits.matches("[01]{3}")) throw new IllegalArgumentException("three 0/1 digits: " + bits);
        return new Fixes(bits.charAt(0) == '1', bits.charAt(1) == '1', bits.charAt(2) == '1');
    }

    /** The switches as 0/1 digits. */
    public String bits() { return (upgradeOnSplit ? "1" : "0") + (upgradeOnDup ? "1" : "0") + (upgradeOnCopy ? "1" : "0"); }
}
