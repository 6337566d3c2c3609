package rmaplab.design.linux;

/**
 * Named options that put one rule of the {@code linux} model back to what it
 * was before a historical fix, so that rmaplab.race can show the bug the fix
 * closed (found with the option, clean without). docs/races.md gives each
 * one's scenario and the command that finds it.
 */
public enum LinuxBug {
    /**
     * CVE-2022-42703, fixed by 2555283eb40d ("mm/rmap: Fix anon_vma->degree
     * ambiguity leading to double-reuse", Jann Horn, 2022): anon_vma_clone
     * reuses an anon_vma whose single {@code degree} (child anon_vmas plus
     * VMAs using it) is below 2, for any anon_vma on the chain but the source
     * VMA's own. A leaf anon_vma abandoned by an earlier reuse still has a
     * VMA, so it can be handed to a second VMA while the first one uses it.
     */
    DEGREE("degree", "2555283eb40d"),
    /**
     * The anon_vma_prepare publication race, fixed by d9d332e0874f
     * ("anon_vma_prepare: properly lock even newly allocated entries", Linus
     * Torvalds, 2008): a newly allocated anon_vma is published and linked
     * without its lock, but SLAB_TYPESAFE_BY_RCU lets a walker that read a
     * stale folio->mapping hold that very object's lock.
     */
    PREPARE_UNLOCKED("prepare-unlocked", "d9d332e0874f"),
    /**
     * Locking one's own anon_vma instead of the root's, as before 012f18004da3
     * ("mm: always lock the root (oldest) anon_vma", Rik van Riel, 2010): a
     * VMA change locks vma->anon_vma only, so a walk of a folio of another
     * anon_vma of the same tree (holding that one's lock) runs in the middle
     * of the change and misses the mapping — the 2010 migration crashes
     * (a migration PTE left behind) that led to locking the root.
     */
    OWN_LOCK("own-lock", "012f18004da3");

    public final String option;
    public final String fixCommit;

    LinuxBug(String option, String fixCommit) {
        this.option = option;
        this.fixCommit = fixCommit;
    }

    /** The option with this name, or null. */
    public static LinuxBug named(String option) {
        for (LinuxBug b : values()) if (b.option.equals(option)) return b;
        return null;
    }
}
