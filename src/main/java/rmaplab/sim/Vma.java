package rmaplab.sim;

/**
 * A vm_area_struct: the pages [start, end) of one mm, with its page offset
 * (vm_pgoff), flags and backing. Designs read it and keep their own
 * per-VMA state in a {@link PerVma} table; only the simulated kernel changes it.
 */
public final class Vma {
    final long id;
    /** A small number, unique among live VMAs and reused after vm_area_free: the index of {@link PerVma}. */
    final int slot;
    final Mm mm;
    long start, end, pgoff;
    int flags;
    /** File identity for file and shared-anonymous (shmem) mappings; null for private anonymous memory. */
    final String file;
    /** True once an anonymous folio has been prepared for this VMA (Linux: vma->anon_vma != NULL). */
    boolean anonPrepared;
    boolean alive = true;

    Vma(long id, int slot, Mm mm, long start, long end, long pgoff, int flags, String file) {
        this.id = id;
        this.slot = slot;
        this.mm = mm;
        this.start = start;
        this.end = end;
        this.pgoff = pgoff;
        this.flags = flags;
        this.file = file;
    }

    public long id() { return id; }
    public Mm mm() { return mm; }
    public long start() { return start; }
    public long end() { return end; }
    public long pages() { return end - start; }
    public long pgoff() { return pgoff; }
    public int flags() { return flags; }
    public String file() { return file; }
    public boolean alive() { return alive; }
    public boolean anonPrepared() { return anonPrepared; }

    public boolean shared() { return (flags & VmFlags.VM_SHARED) != 0; }

    /** vma_is_anonymous(): no file behind it (private anonymous memory, including stacks). */
    public boolean anonymous() { return file == null; }

    public boolean contains(long vpage) { return vpage >= start && vpage < end; }

    /** linear_page_index(): the page offset of virtual page vpage in this VMA. */
    public long linearPageIndex(long vpage) { return vpage - start + pgoff; }

    /** vma_address(): the virtual page at which page offset index would be mapped here (may be outside). */
    public long addressOf(long index) { return start + (index - pgoff); }

    /** The pgoff just past the end: pgoff + pages. */
    public long endPgoff() { return pgoff + (end - start); }

    @Override public String toString() {
        return "vma#" + id + "[" + Long.toHexString(start) + "," + Long.toHexString(end) + ") pgoff=0x"
                + Long.toHexString(pgoff) + " " + VmFlags.describe(flags) + (file != null ? " " + file : "")
                + (anonPrepared ? " anon" : "") + (alive ? "" : " DEAD");
    }
}
