package rmaplab.design.lazy;

/**
 * The corrections {@code lazy-fixed} makes to reading (a) of ANON_VMA_LAZY,
 * one switch each, so that tests can show that each is needed. {@link #NONE}
 * is the series in reading (a) ({@code lazy}); {@link #ALL} is
 * {@code lazy-fixed}.
 *
 * <p>Both are the same correction applied at two places: a VMA in the lazy
 * state is upgraded to a regular anon_vma (its folios re-pointed, as the
 * series already does at fork) before the kernel makes a second VMA that
 * would carry its lazy tag. The third place where a tag is copied,
 * dup_anon_vma, needs none: with the code's merge rule a lazy VMA counts as a
 * fork child, and is_mergeable_anon_vma never lets its tag be duplicated
 * (LazyDesign refuses it loudly, so that the random sequences would say if it
 * happened).
 *
 * @param upgradeOnSplit before __split_vma of a lazy VMA (mprotect, madvise,
 *        partial munmap, partial mremap)
 * @param upgradeOnCopy  before copy_vma of a lazy VMA (an mremap move)
 */
public record Fixes(boolean upgradeOnSplit, boolean upgradeOnCopy) {
    public static final Fixes NONE = new Fixes(false, false);
    public static final Fixes ALL = new Fixes(true, true);

    /** Parses two 0/1 digits in the order of the components, e.g. "10". */
    public static Fixes of(String bits) {
        if (!bits.matches("[01]{2}")) throw new IllegalArgumentException("two 0/1 digits: " + bits);
        return new Fixes(bits.charAt(0) == '1', bits.charAt(1) == '1');
    }

    /** The switches as 0/1 digits. */
    public String bits() { return (upgradeOnSplit ? "1" : "0") + (upgradeOnCopy ? "1" : "0"); }
}
