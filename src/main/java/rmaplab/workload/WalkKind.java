package rmaplab.workload;

/**
 * What a reverse walk is for, which decides when it may stop (the walk op's
 * optional KIND, docs/workload-format.md).
 */
public enum WalkKind {
    /**
     * Reclaim and aging (folio_referenced, try_to_unmap, try_to_migrate): the
     * walk stops once every mapping of the folio has been found
     * (folio_referenced_one returns false when the mapcount is used up; the
     * others stop through rwc->done = folio_not_mapped). The default.
     */
    RECLAIM("reclaim"),
    /**
     * A walk that visits every place the design would look, mappings found or
     * not: remove_migration_ptes (mm/migrate.c), page_idle_clear_pte_refs
     * (mm/page_idle.c) and KSM's rmap_walk_ksm give no early stop.
     */
    FULL("full");

    private final String word;

    WalkKind(String word) { this.word = word; }

    /** The kind as a workload spells it. */
    public String word() { return word; }

    /** The kind for a workload word, or null. */
    public static WalkKind parse(String s) {
        for (WalkKind k : values()) if (k.word.equals(s)) return k;
        return null;
    }

    @Override public String toString() { return word; }
}
