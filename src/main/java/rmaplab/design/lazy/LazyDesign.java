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
 * ANON_VMA_LAZY (the May 2026 series; docs/designs/lazy.md) on top of the
 * {@code linux} model, in one of three {@link Reading}s: a VMA is in one of
 * four states (none, lazy, tree-parent, regular); regular and tree-parent
 * VMAs use LinuxDesign's anon_vma and anon_vma_chain objects, lazy VMAs have
 * none and their folios name a VMA. See the package documentation for every
 * choice made where the series is silent.
 */
public class LazyDesign extends LinuxDesign {
    /** The lock a lazy walk takes instead of the anon_vma rwsem: a reference on the named VMA. */
    static final String VMA_REF = "vm_area_struct.vm_refcnt";
    static final String RCU = "rcu";
    /** folio_lock, taken for each folio re-pointed by an upgrade or a re-point. */
    static final String FOLIO_LOCK = "folio.lock";

    /**
     * The series' one new field of vm_area_struct, {@code rcuref_t vm_rcuref}
     * under CONFIG_ANON_VMA_LAZY, right after vm_lock_seq
     * (include/linux/mm_types.h, linux-mm/linux-mm @ 1aff34ad202e): 4 bytes,
     * placed where 6.18 has a 4-byte hole (offsets 44-47 on x86-64, read from
     * BTF; the same hole on arm64). sizeof(struct vm_area_struct) does not
     * change, so the design adds nothing to the object ({@link #vmaGrowthBytes}).
     */
    static final int VM_RCUREF_BYTES = 4;

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
    private final Reading reading;
    private final Fixes fixes;
    /** vma->anon_vma's tag for lazy ({@link Lazy}) and tree-parent VMAs; absent for none and regular. */
    private final PerVma<Tag> tags = new PerVma<>();
    /** Reading (b)'s references on root VMAs; null in the other readings. */
    private final HeldRoots held;
    private long upgrades, repointed;

    public LazyDesign(DesignContext ctx, Reading reading, Fixes fixes) {
        super(ctx);
        this.ctx = ctx;
        this.reading = reading;
        this.fixes = fixes;
        this.held = reading == Reading.MM_LOOKUP ? new HeldRoots(ctx.ledgers().objects, () -> ctx.machine().vmaBytes()) : null;
    }

    /** vm_rcuref fills a hole ({@link #VM_RCUREF_BYTES}): the object keeps its size. */
    @Override public long vmaGrowthBytes() { return 0; }

    public Reading reading() { return reading; }

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

    /** Lazy VMAs upgraded to a regular anon_vma so far, and folios re-pointed by upgrades and re-points. */
    public long upgrades() { return upgrades; }
    public long repointed() { return repointed; }

    /** Removed root VMAs kept by references now (reading (b); 0 in the others). */
    public int heldRoots() { return held == null ? 0 : held.held(); }

    /** What folio->mapping names for a folio: the root VMA of a lazy folio, else null. */
    public Vma lazyFolioVma(int folio) { return folioMapping(folio) instanceof Lazy l ? l.root() : null; }

    /** Sets a VMA's tag (null: none), keeping reading (b)'s references of other VMAs' tags. */
    private void tag(Vma v, Tag t) {
        Tag old = t == null ? tags.remove(v) : tags.get(v);
        if (t != null) tags.put(v, t);
        if (held == null) return;
        if (t instanceof Lazy l && l.root() != v) held.get(l.root());
        if (old instanceof Lazy l && l.root() != v) held.put(l.root());
    }

    /** Sets folio->mapping, keeping reading (b)'s references of folios. */
    private void map(int folio, AnonMapping m) {
        AnonMapping old = folioMapping(folio);
        setFolioMapping(folio, m);
        if (held == null) return;
        if (m instanceof Lazy l) held.get(l.root());
        if (old instanceof Lazy l) held.put(l.root());
    }

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
     * vma_is_fork_child (vma_had_uncowed_parents), unchanged by the series:
     * {@code vma->anon_vma && !list_is_singular(&vma->anon_vma_chain)}. A
     * lazy VMA has a non-zero tag and an empty chain, which is not singular,
     * so it counts as a fork child (mm/vma.c @ 1aff34ad202e); tree-parent and
     * regular VMAs by their chains.
     */
    private boolean forkChild(Vma v) {
        if (v == null) return false;
        if (tags.get(v) instanceof Lazy) return true;
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
        tag(vma, new Lazy(vma));
    }

    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        if (tags.get(vma) instanceof Lazy l) { // folio->mapping = root VMA | FOLIO_MAPPING_ANON_VMA_LAZY
            map(folio, l);
            folios().index[folio] = vma.linearPageIndex(vpage);
            return;
        }
        super.newAnonFolio(folio, vma, vpage, exclusive); // regular, or a tree-parent's (parent's) anon_vma
    }

    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) {
        if (tags.get(vma) instanceof Lazy l) {
            map(folio, l);
            return;
        }
        AnonMapping old = folioMapping(folio);
        super.reuseAnonFolio(folio, vma, vpage);
        if (held != null && old instanceof Lazy l) held.put(l.root());
    }

    @Override public void folioMigrated(int oldFolio, int newFolio) {
        super.folioMigrated(oldFolio, newFolio);
        if (held != null && folioMapping(newFolio) instanceof Lazy l) held.get(l.root());
    }

    /** The folio's mapping goes with it (its id will be reused), and with it reading (b)'s reference. */
    @Override public void folioFreed(int folio) {
        super.folioFreed(folio);
        if (folioMapping(folio) instanceof Lazy) map(folio, null);
    }

    // ------------------------------------------------------------------ upgrades and re-points

    /**
     * The upgrade of a lazy VMA to a regular anon_vma (anon_vma_fork in the
     * series; lazy-fixed also before split and copy): __anon_vma_prepare
     * (an AVC, a neighbour's anon_vma when reusable, else a new one; the root
     * lock for write), then every folio mapped in {@code ranges} whose
     * folio->mapping is this VMA's lazy tag is re-pointed to the anon_vma
     * under its folio lock; folio->index does not change.
     */
    private void upgradeLazy(Vma vma, Vma... ranges) {
        Lazy tag = (Lazy) tags.get(vma);
        tag(vma, null);
        super.anonPrepare(vma);
        AnonVma av = anonVmaKey(vma);
        upgrades++;
        for (Vma r : ranges.length == 0 ? new Vma[] {vma} : ranges) repoint(r, tag.root(), av);
    }

    /**
     * Walks the page tables of {@code range} and re-points every folio whose
     * mapping names {@code root} to {@code to}, each under its folio lock;
     * counted in the walk ledger (PTEs examined, folios re-pointed).
     */
    private void repoint(Vma range, Vma root, AnonMapping to) {
        PageTable pt = range.mm().pageTable();
        long[] ptes = {0}, n = {0};
        pt.forEach(range.start(), range.end(), (vp, pte) -> {
            ptes[0]++;
            if (!Pte.isAnon(pte)) return;
            int folio = Pte.id(pte);
            if (folioMapping(folio) instanceof Lazy l && l.root() == root) {
                locks().acquire(FOLIO_LOCK, folio, LockLedger.Mode.WRITE);
                rmaplab.steps.Steps.lock(rmaplab.steps.LockClass.FOLIO_LOCK, folio, rmaplab.steps.StepObserver.Mode.WRITE,
                        "lazy re-point: folio_lock"); // a step of a concurrent run (rmaplab.race)
                map(folio, to);
                rmaplab.steps.Steps.unlock(rmaplab.steps.LockClass.FOLIO_LOCK, folio, "lazy re-point: folio_unlock");
                n[0]++;
            }
        });
        repointed += n[0];
        ctx.ledgers().walks.repointed(ptes[0], n[0]);
    }

    /**
     * A tree-parent VMA that forks becomes regular: its own anon_vma, child
     * of the parent's, linked by one AVC (anon_vma_fork's second half). Its
     * folios stay in the parent's anon_vma, which it is still linked to.
     */
    private void upgradeTreeParent(Vma vma) {
        tag(vma, null);
        AnonVma parentAnonVma = clearOwnAnonVma(vma);
        forkOwnAnonVma(vma, parentAnonVma);
        upgrades++;
    }

    /**
     * Reading (c), an mremap move: move_ptes maps each moved PTE in the copy,
     * which has a tag of its own; a lazy folio naming another root is
     * re-pointed to it there, under its folio lock (the PTE is being moved
     * anyway: one PTE examined).
     */
    @Override public void pteMapped(int folio, Vma vma, long vpage) {
        if (reading != Reading.REPOINT || !(tags.get(vma) instanceof Lazy own)) return;
        if (!(folioMapping(folio) instanceof Lazy l) || l.root() == own.root()) return;
        locks().acquire(FOLIO_LOCK, folio, LockLedger.Mode.WRITE);
        map(folio, own);
        repointed++;
        ctx.ledgers().walks.repointed(1, 1);
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
        tag(child, TREE_PARENT);
    }

    // ------------------------------------------------------------------ VMA changes

    /**
     * __split_vma of a lazy VMA: vm_area_dup copies the tag, so both parts
     * name the same root (readings (a) and (b)); lazy-fixed upgrades first;
     * reading (c) gives the new part a tag of its own and re-points its folios.
     */
    @Override protected void splitClone(Vma orig, Vma created) {
        Tag t = tags.get(orig);
        if (t instanceof Lazy l) {
            if (fixes.upgradeOnSplit()) {
                upgradeLazy(orig, orig, created);
            } else if (reading == Reading.REPOINT) {
                Lazy own = new Lazy(created);
                tag(created, own);
                repoint(created, l.root(), own);
                return;
            } else {
                tag(created, t);
                return;
            }
        }
        super.splitClone(orig, created);
        if (t == TREE_PARENT) tag(created, TREE_PARENT);
    }

    /**
     * dup_anon_vma: the unfaulted dst takes src's tag and chain (tree-parent
     * and regular). A lazy src cannot get here: is_mergeable_anon_vma refuses
     * every merge that would duplicate a lazy tag, a lazy VMA being a fork
     * child ({@link #forkChild}).
     */
    @Override protected void dupAnonVma(Vma dst, Vma src) {
        if (tags.has(dst) || anonVmaKey(dst) != null) return;
        Tag t = tags.get(src);
        if (t instanceof Lazy)
            throw new IllegalStateException("dup_anon_vma from a lazy VMA, which is_mergeable_anon_vma refuses: " + src);
        super.dupAnonVma(dst, src);
        if (t == TREE_PARENT) tag(dst, TREE_PARENT);
    }

    /**
     * copy_vma (mremap move): vm_area_dup copies the tag (readings (a) and
     * (b)); lazy-fixed upgrades first; reading (c) gives the copy a tag of its
     * own, and its folios are re-pointed as move_ptes maps them there
     * ({@link #pteMapped}).
     */
    @Override protected void copyClone(Vma src, Vma copy) {
        Tag t = tags.get(src);
        if (t instanceof Lazy) {
            if (fixes.upgradeOnCopy()) {
                upgradeLazy(src);
            } else {
                tag(copy, reading == Reading.REPOINT ? new Lazy(copy) : t);
                return;
            }
        }
        super.copyClone(src, copy);
        if (t == TREE_PARENT) tag(copy, TREE_PARENT);
    }

    /**
     * unlink_anon_vmas, then vm_area_free (vma_put in the series): the tag
     * goes with the VMA (a lazy VMA has nothing to unlink); in reading (b) a
     * VMA still named by folios or tags is kept ({@link HeldRoots}).
     */
    @Override protected void unlink(Vma vma) {
        tag(vma, null);
        super.unlink(vma);
        if (held != null) held.removed(vma);
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
     * rmap_walk_anon with anon_rmap_t. A lazy folio (ANON_RMAP_ANON_VMA_LAZY)
     * is walked under RCU and a reference on its root VMA, with no anon_vma
     * lock, at folio->index: in readings (a) and (c) in the root VMA only
     * ("there is only one vma"), and nowhere when that VMA is gone or no longer
     * covers vma_address(folio); in reading (b) at vma_mapping_base(root) +
     * folio->index in the root's mm, whatever VMA covers that address there
     * (one VMA-tree lookup: one mm entered). Other folios: LinuxDesign's walk.
     */
    @Override public void walk(int folio, WalkSink sink) {
        if (!(folioMapping(folio) instanceof Lazy l)) {
            super.walk(folio, sink);
            return;
        }
        locks().acquire(RCU, 0, LockLedger.Mode.RCU);
        Vma root = l.root();
        long index = folios().index[folio];
        sink.steps(1);
        if (reading == Reading.MM_LOOKUP) { // the root is referenced, attached or not: its fields are valid
            locks().acquire(VMA_REF, root.id(), LockLedger.Mode.READ);
            long address = root.addressOf(index);
            sink.entered(1);
            Vma vma = root.mm().find(address);
            if (vma != null) sink.visit(vma, address);
            return;
        }
        if (!root.alive()) return; // vm_area_free'd: no reference can be taken
        locks().acquire(VMA_REF, root.id(), LockLedger.Mode.READ);
        long address = root.addressOf(index);
        if (root.contains(address)) sink.visit(root, address);
    }
}
