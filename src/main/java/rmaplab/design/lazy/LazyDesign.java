package rmaplab.design.lazy;

import rmaplab.design.linux.LinuxDesign;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.WalkSink;
import rmaplab.sim.Folios;
import rmaplab.sim.PerVma;
import rmaplab.design.linux.AnonMapping;
import rmaplab.design.linux.AnonVma;
import rmaplab.sim.PageTable;
import rmaplab.sim.Pte;
import rmaplab.sim.Vma;
import rmaplab.sim.VmFlags;

/**
 * ANON_VMA_LAZY (the May 2026 series, notes/anon_vma_lazy.md) on top of the
 * {@code linux} model: a VMA is in one of four states (none, lazy,
 * tree-parent, regular); regular and tree-parent VMAs use LinuxDesign's
 * anon_vma and anon_vma_chain objects, lazy VMAs have none and their folios
 * name a VMA. See the package documentation for every choice made where the
 * series is silent.
 */
public class LazyDesign extends LinuxDesign {
    /** The lock a lazy walk takes instead of the anon_vma rwsem: a reference on the named VMA. */
    static final String VMA_REF = "vm_area_struct.vm_refcnt";
    static final String RCU = "rcu";
    /** folio_lock, taken for each folio re-pointed by an upgrade. */
    static final String FOLIO_LOCK = "folio.lock";

    /**
     * Growth of vm_area_struct: the cover letter measures +1.0 % (after boot)
     * and +0.2 % (24 apps) of the cache's active KB; the larger, applied per
     * object and rounded up, is 2 bytes on 192.
     */
    static long vmaGrowth(long base) { return (base + 99) / 100; }

    /** What the series' tag bits in vma->anon_vma say beside a plain anon_vma pointer. */
    sealed interface Tag permits Lazy, TreeParent {}

    /** The lazy tag (ANON_VMA_TREE_VMA): vma->anon_vma names the "root VMA"; also what a lazy folio's mapping holds. */
    public record Lazy(Vma root) implements Tag, AnonMapping {
        @Override public String toString() { return "lazy(" + root + ")"; }
    }

    /** ANON_VMA_TREE_PARENT: the VMA's anon_vma (LinuxDesign's vma->anon_vma) is its parent's. */
    enum TreeParent implements Tag {
        TREE_PARENT
    }

    /** ANON_VMA_TREE_PARENT as a merge key: tagged, so never equal to the plain anon_vma pointer. */
    private record TreeParentKey(AnonVma anonVma) {}

    /** The state of a VMA, as {@link #state} reports it. */
    public enum State { NONE, LAZY, TREE_PARENT, REGULAR }

    private static final Tag TREE_PARENT = TreeParent.TREE_PARENT;

    private final DesignContext ctx;
    private final Fixes fixes;
    /** vma->anon_vma's tag for lazy ({@link Lazy}) and tree-parent VMAs; absent for none and regular. */
    private final PerVma<Tag> tags = new PerVma<>();
    private long upgrades, repointed;

    public LazyDesign(DesignContext ctx, Fixes fixes) {
        super(ctx);
        this.ctx = ctx;
        this.fixes = fixes;
    }

    @Override public long vmaGrowthBytes() { return vmaGrowth(ctx.sizes().vmAreaStruct()); }

    private LockLedger locks() { return ctx.ledgers().locks(); }

    private Folios folios() { return ctx.folios(); }

    // ------------------------------------------------------------------ states

    /** The VMA's state. */
    public State state(Vma v) {
        Tag t = tags.get(v);
        if (t instanceof Lazy) return State.LAZY;
        if (t == TREE_PARENT) return State.TREE_PARENT;
        return anonVmaKey(v) != null ? State.REGULAR : State.NONE;
    }

    /** The root VMA a lazy VMA's tag names, or null when it is not lazy. */
    public Vma lazyRoot(Vma v) { return tags.get(v) instanceof Lazy l ? l.root() : null; }

    /** Lazy VMAs upgraded to a regular anon_vma so far, and folios re-pointed by those upgrades. */
    public long upgrades() { return upgrades; }
    public long repointed() { return repointed; }

    /** What folio->mapping names for a folio: the root VMA of a lazy folio, else null. */
    public Vma lazyFolioVma(int folio) { return folioMapping(folio) instanceof Lazy l ? l.root() : null; }

    /**
     * vma->anon_vma as the merge code compares it: the tag for lazy and
     * tree-parent VMAs, the anon_vma for regular ones, null for none.
     */
    private Object mergeKey(Vma v) {
        if (v == null) return null;
        Tag t = tags.get(v);
        if (t instanceof Lazy) return t;
        if (t == TREE_PARENT) return new TreeParentKey(anonVmaKey(v));
        return anonVmaKey(v);
    }

    /**
     * vma_had_uncowed_parents / vma_is_fork_child with the tagged field:
     * false for a lazy VMA (it has no chain, but the series must treat it as
     * a VMA of its own, or no faulted heap could ever grow by merging);
     * the chain rule for tree-parent and regular VMAs.
     */
    private boolean forkChild(Vma v) {
        if (v == null || tags.get(v) instanceof Lazy) return false;
        return vmaIsForkChild(v);
    }

    /**
     * The upgrade's __anon_vma_prepare may take a regular neighbour's
     * anon_vma, not the one a tree-parent neighbour's tag points at (that is
     * its parent's, not a VMA's own).
     */
    @Override protected boolean mayShareAnonVmaOf(Vma old) { return tags.get(old) != TREE_PARENT; }

    // ------------------------------------------------------------------ first fault

    /**
     * anon_vma_prepare / __vmf_anon_prepare with ANON_VMA_LAZY on:
     * vma_prepare_anon_vma_lazy tags the VMA as its own root; nothing is
     * allocated and no anon_vma lock is taken.
     */
    @Override public void anonPrepare(Vma vma) {
        if (tags.has(vma) || anonVmaKey(vma) != null) return;
        tags.put(vma, new Lazy(vma));
    }

    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        if (tags.get(vma) instanceof Lazy l) { // folio->mapping = root VMA | FOLIO_MAPPING_ANON_VMA_LAZY
            setFolioMapping(folio, l);
            folios().index[folio] = vma.linearPageIndex(vpage);
            return;
        }
        super.newAnonFolio(folio, vma, vpage, exclusive); // regular, or a tree-parent's (parent's) anon_vma
    }

    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) {
        if (tags.get(vma) instanceof Lazy l) {
            setFolioMapping(folio, l);
            return;
        }
        super.reuseAnonFolio(folio, vma, vpage);
    }

    // ------------------------------------------------------------------ upgrades

    /**
     * The upgrade of a lazy VMA to a regular anon_vma (anon_vma_fork in the
     * series; lazy-fixed also before split, dup and copy): __anon_vma_prepare
     * (an AVC, a neighbour's anon_vma when reusable, else a new one; the root
     * lock for write), then every folio mapped in {@code ranges} whose
     * folio->mapping is this VMA's lazy tag is re-pointed to the anon_vma
     * under its folio lock; folio->index does not change.
     */
    private void upgradeLazy(Vma vma, Vma... ranges) {
        Lazy tag = (Lazy) tags.remove(vma);
        super.anonPrepare(vma);
        AnonVma av = anonVmaKey(vma);
        upgrades++;
        for (Vma r : ranges.length == 0 ? new Vma[] {vma} : ranges) repoint(r, tag, av);
    }

    private void repoint(Vma range, Lazy tag, AnonVma av) {
        PageTable pt = range.mm().pageTable();
        Folios f = folios();
        pt.forEach(range.start(), range.end(), (vp, pte) -> {
            if (!Pte.isAnon(pte)) return;
            int folio = Pte.id(pte);
            if (folioMapping(folio) instanceof Lazy l && l.root() == tag.root()) {
                locks().acquire(FOLIO_LOCK, folio, LockLedger.Mode.WRITE);
                setFolioMapping(folio, av);
                repointed++;
            }
        });
    }

    /**
     * A tree-parent VMA that forks becomes regular: its own anon_vma, child
     * of the parent's, linked by one AVC (anon_vma_fork's second half). Its
     * folios stay in the parent's anon_vma, which it is still linked to.
     */
    private void upgradeTreeParent(Vma vma) {
        tags.remove(vma);
        AnonVma parentAnonVma = clearOwnAnonVma(vma);
        forkOwnAnonVma(vma, parentAnonVma);
        upgrades++;
    }

    // ------------------------------------------------------------------ fork

    /**
     * anon_vma_fork with ANON_VMA_LAZY: the parent VMA is upgraded first
     * (lazy or tree-parent → regular); anon_vma_clone links the child to the
     * parent's chain (reusing an ancestor's anon_vma when 6.18's rule allows);
     * otherwise the child is made tree-parent: no anon_vma of its own, the
     * parent's anon_vma as vma->anon_vma.
     */
    @Override public void forkVma(Vma parent, Vma child) {
        if ((parent.flags() & VmFlags.VM_WIPEONFORK) != 0) return; // no anon_vma_fork: nothing to upgrade
        switch (state(parent)) {
            case NONE -> { return; }
            case LAZY -> upgradeLazy(parent);
            case TREE_PARENT -> upgradeTreeParent(parent);
            case REGULAR -> { }
        }
        if (forkClone(parent, child)) return;
        setOwnAnonVma(child, anonVmaKey(parent));
        tags.put(child, TREE_PARENT);
    }

    // ------------------------------------------------------------------ VMA changes

    /**
     * vm_area_dup copies a VMA's tag to another (split, dup_anon_vma, copy_vma). For a lazy tag t: as
     * posted, dst just takes it and the linux step is skipped (true); with the fix, src is upgraded first
     * (its folios over {@code ranges} re-pointed) and the linux step follows (false). Other tags: false.
     */
    private boolean lazyTagOnlyCopied(Tag t, Vma dst, boolean fixed, Vma src, Vma... ranges) {
        if (!(t instanceof Lazy)) return false;
        if (!fixed) {
            tags.put(dst, t);
            return true;
        }
        upgradeLazy(src, ranges);
        return false;
    }

    /** __split_vma: vm_area_dup copies the tag, so both halves name the same root VMA. */
    @Override protected void splitClone(Vma orig, Vma created) {
        Tag t = tags.get(orig);
        if (lazyTagOnlyCopied(t, created, fixes.upgradeOnSplit(), orig, orig, created)) return;
        super.splitClone(orig, created);
        if (t == TREE_PARENT) tags.put(created, TREE_PARENT);
    }

    /** dup_anon_vma: the unfaulted dst takes src's tag (and chain, for tree-parent and regular). */
    @Override protected void dupAnonVma(Vma dst, Vma src) {
        if (tags.has(dst) || anonVmaKey(dst) != null) return;
        Tag t = tags.get(src);
        if (lazyTagOnlyCopied(t, dst, fixes.upgradeOnDup(), src)) return;
        super.dupAnonVma(dst, src);
        if (t == TREE_PARENT) tags.put(dst, TREE_PARENT);
    }

    /** copy_vma (mremap move): vm_area_dup copies the tag. */
    @Override protected void copyClone(Vma src, Vma copy) {
        Tag t = tags.get(src);
        if (lazyTagOnlyCopied(t, copy, fixes.upgradeOnCopy(), src)) return;
        super.copyClone(src, copy);
        if (t == TREE_PARENT) tags.put(copy, TREE_PARENT);
    }

    /** unlink_anon_vmas + vm_area_free: the tag goes with the VMA (a lazy VMA has nothing to unlink). */
    @Override protected void unlink(Vma vma) {
        tags.remove(vma);
        super.unlink(vma);
    }

    // ------------------------------------------------------------------ merge questions

    /** is_mergeable_anon_vma on the tagged vma->anon_vma (see {@link #mergeKey}, {@link #forkChild}). */
    @Override public boolean isMergeableAnon(AnonMerge q) {
        Object tgt = mergeKey(q.target());
        Object src = mergeKey(q.source());
        if (tgt == null && src != null) return !forkChild(q.middle()) && !forkChild(q.copiedFrom());
        if (tgt != null && src == null) return !forkChild(q.target());
        return java.util.Objects.equals(src, tgt);
    }

    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) {
        Object p = mergeKey(prev), n = mergeKey(next);
        return p == null || n == null || p.equals(n);
    }

    // ------------------------------------------------------------------ the walk

    /**
     * rmap_walk_anon with anon_rmap_t: a lazy folio (ANON_RMAP_ANON_VMA_LAZY)
     * is looked for in the one VMA its mapping names, under RCU and a
     * reference on that VMA, with no anon_vma lock; nothing is visited when
     * that VMA is gone or its range no longer covers vma_address(folio).
     * Other folios: LinuxDesign's walk.
     */
    @Override public void walk(int folio, WalkSink sink) {
        if (!(folioMapping(folio) instanceof Lazy l)) {
            super.walk(folio, sink);
            return;
        }
        locks().acquire(RCU, 0, LockLedger.Mode.RCU);
        Vma vma = l.root();
        sink.steps(1);
        if (!vma.alive()) return; // vm_area_free'd: no reference can be taken
        locks().acquire(VMA_REF, vma.id(), LockLedger.Mode.READ);
        long address = vma.addressOf(folios().index[folio]);
        if (vma.contains(address)) sink.visit(vma, address);
    }
}
