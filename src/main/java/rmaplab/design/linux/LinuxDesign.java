package rmaplab.design.linux;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.PerFolio;
import rmaplab.sim.PerVma;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.Vma;
import rmaplab.sim.VmaChange;
import rmaplab.sim.VmFlags;
import rmaplab.sim.WalkSink;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;

/**
 * anon_vma + anon_vma_chain as in Linux 6.18 (mm/rmap.c, mm/vma.c). See the
 * package documentation for what is modelled and which kernel version each
 * rule follows.
 *
 * <p>Open for extension by designs that keep this topology for some VMAs and
 * something else for others (rmaplab.design.lazy, rmaplab.design.leaf). What
 * they may use is stated in the protected members: typed steps of the kernel
 * functions (anon_vma_fork's two halves, the VMA's own anon_vma, the folio's
 * {@link AnonMapping}) and the steps of a VMA change they may refine (dup,
 * split, copy, unlink). Every public method keeps the 6.18 behaviour. Split,
 * copy, dup and in-place changes
 * follow the VMA's chain rather than vma->anon_vma (the same thing in 6.18,
 * where a VMA has a chain exactly when it has an anon_vma), so that a
 * subclass's VMA linked to its ancestors' anon_vmas without one of its own
 * keeps its links.
 */
public class LinuxDesign implements RmapDesign {
    static final String ANON_VMA = "anon_vma";
    static final String AVC = "anon_vma_chain";
    static final String LOCK = "anon_vma.rwsem";

    private final DesignContext ctx;
    private final long anonVmaBytes, avcBytes;
    private long nextAnonVmaId = 1;
    /** Each VMA's vma->anon_vma and anon_vma_chain. */
    private final PerVma<VmaAnon> vmaAnon = new PerVma<>();
    /** folio->mapping. */
    private final PerFolio<AnonMapping> mapping = new PerFolio<>();
    /** Rules put back to before a historical fix (none in the {@code linux} design). */
    private final Set<LinuxBug> bugs;
    /** Freed anon_vma objects a concurrent run may hand out again (SLAB_TYPESAFE_BY_RCU), newest last. */
    private final List<AnonVma> slabFree = new ArrayList<>();
    /** The anon_vma rwsem: ledger counts and concurrent-run steps. */
    final AnonVmaLocks locks;
    /** The walk's locking in a concurrent run (folio_lock_anon_vma_read). */
    private final WalkLock walkLock;

    public LinuxDesign(DesignContext ctx) { this(ctx, Set.of()); }

    /** The model with some rules put back to before their fix ({@link LinuxBug}). */
    public LinuxDesign(DesignContext ctx, Set<LinuxBug> bugs) {
        this.bugs = bugs.isEmpty() ? Set.of() : EnumSet.copyOf(bugs);
        this.ctx = ctx;
        this.locks = new AnonVmaLocks(ctx, this.bugs);
        this.walkLock = new WalkLock(this, ctx);
        this.anonVmaBytes = ctx.sizes().anonVma();
        this.avcBytes = ctx.sizes().anonVmaChain();
        ctx.ledgers().objects.declare(ANON_VMA);
        ctx.ledgers().objects.declare(AVC);
    }

    // ------------------------------------------------------------------ per-VMA state

    /** The VMA's state, made on first use (a new VMA has an empty chain and no anon_vma). */
    private VmaAnon state(Vma v) {
        VmaAnon s = vmaAnon.get(v);
        if (s == null) {
            s = new VmaAnon();
            vmaAnon.put(v, s);
        }
        return s;
    }

    /** vma->anon_vma, or null. */
    final AnonVma anonVmaOf(Vma v) {
        VmaAnon s = vmaAnon.get(v);
        return s == null ? null : s.anonVma;
    }

    private boolean hasChain(Vma v) {
        VmaAnon s = vmaAnon.get(v);
        return s != null && !s.chain.isEmpty();
    }

    /**
     * The anon_vma whose root lock covers the VMA's chain: vma->anon_vma, or
     * for a VMA linked without one of its own (a subclass's state; never in
     * 6.18, where a non-empty chain means vma->anon_vma is set) the first
     * anon_vma on its chain — every entry shares one root.
     */
    private AnonVma lockOf(Vma v) {
        AnonVma av = anonVmaOf(v);
        return av != null ? av : vmaAnon.get(v).chain.getFirst().anonVma;
    }

    // ------------------------------------------------------------------ objects (anon_vma_alloc, anon_vma_chain_alloc, ...)

    /** anon_vma_alloc: refcount 1, its own root and parent. */
    private AnonVma anonVmaAlloc() {
        ctx.ledgers().objects.alloc(ANON_VMA, anonVmaBytes);
        AnonVma av;
        if (Steps.active() && !slabFree.isEmpty()) { // a concurrent run: the slab hands out the last freed object
            av = slabFree.removeLast();
            av.id = nextAnonVmaId++;
            av.freed = false;
        } else av = new AnonVma(nextAnonVmaId++);
        av.refcount = 1;
        av.numChildren = 0;
        av.numActiveVmas = 0;
        av.parent = av;
        av.root = av;
        return av;
    }

    /** anon_vma_free: back to the slab at once. */
    private void anonVmaFree(AnonVma av) {
        if (av.refcount != 0) throw new IllegalStateException("freeing " + av);
        if (!av.rb.isEmpty()) throw new IllegalStateException("freeing a linked " + av);
        av.freed = true;
        if (Steps.active()) slabFree.add(av);
        ctx.ledgers().objects.free(ANON_VMA, anonVmaBytes);
    }

    /** put_anon_vma. */
    void putAnonVma(AnonVma av) {
        if (--av.refcount == 0) putAnonVmaLast(av);
    }

    /** __put_anon_vma: a non-root anon_vma also drops its reference on the root. */
    void putAnonVmaLast(AnonVma av) {
        AnonVma root = av.root;
        anonVmaFree(av);
        if (root != av && --root.refcount == 0) anonVmaFree(root);
    }

    private Avc avcAlloc() {
        ctx.ledgers().objects.alloc(AVC, avcBytes);
        return new Avc();
    }

    private void avcFree(Avc avc) {
        ctx.ledgers().objects.free(AVC, avcBytes);
        avc.vma = null;
        avc.anonVma = null;
    }

    /** anon_vma_chain_link: list_add at the head of the VMA's chain, then into the anon_vma's tree. */
    private void link(Vma vma, Avc avc, AnonVma av) {
        locks.stepWrite(av, "anon_vma_chain_link");
        avc.vma = vma;
        avc.anonVma = av;
        state(vma).chain.addFirst(avc);
        treeInsert(avc);
    }

    /** anon_vma_interval_tree_insert with the VMA's current range. */
    private static void treeInsert(Avc avc) {
        Vma v = avc.vma;
        avc.start = v.pgoff();
        avc.last = v.pgoff() + v.pages() - 1;
        avc.anonVma.rb.insert(avc);
    }

    // ------------------------------------------------------------------ anon_vma_prepare

    /** __anon_vma_prepare (mm/rmap.c). */
    @Override public void anonPrepare(Vma vma) {
        VmaAnon st = state(vma);
        if (st.anonVma != null) return; // anon_vma_prepare's fast path
        Avc avc = avcAlloc(); // allocated before anything else
        AnonVma av = MergeableAnonVma.find(vma, vmaAnon, this::mayShareAnonVmaOf);
        AnonVma allocated = null;
        if (av == null) {
            av = anonVmaAlloc();
            av.numChildren++; // self-parent link for new root
            allocated = av;
        }
        locks.lockWrite(av);
        // d9d332e0874f: lock the anon_vma even when newly allocated (LinuxBug.PREPARE_UNLOCKED: not)
        boolean takesLock = allocated == null || !bugs.contains(LinuxBug.PREPARE_UNLOCKED);
        if (takesLock) locks.stepLock(av, StepObserver.Mode.WRITE, "__anon_vma_prepare");
        if (st.anonVma == null) { // always: a fault holds the mmap_lock in the model, so no other prepare races it
            st.anonVma = av;
            link(vma, avc, av);
            av.numActiveVmas++;
            allocated = null;
            avc = null;
        }
        if (takesLock) locks.stepUnlock(av, "__anon_vma_prepare");
        if (allocated != null) putAnonVma(allocated);
        if (avc != null) avcFree(avc);
    }

    /**
     * Whether __anon_vma_prepare may reuse the anon_vma of the neighbour
     * {@code old} (when reusable_anon_vma's own rules allow). Always true in
     * Linux; a design whose vma->anon_vma can hold something other than the
     * VMA's own anon_vma says no for those VMAs.
     */
    protected boolean mayShareAnonVmaOf(Vma old) { return true; }

    // ------------------------------------------------------------------ clone, fork, unlink

    /**
     * anon_vma_clone (6.12 – 6.19 version): walk src's chain from the tail
     * (the root) to the head, list_add each new AVC at dst's head, so that
     * dst's chain keeps src's order. A fork (dst.anon_vma NULL, src faulted)
     * reuses the first anon_vma, oldest first, with no active VMA and fewer
     * than two children. One write acquisition of the root lock covers the
     * loop (lock_anon_vma_root), taken at the first AVC.
     */
    private void anonVmaClone(Vma dst, Vma src) {
        VmaAnon s = vmaAnon.get(src);
        if (s == null || s.chain.isEmpty()) {
            VmaAnon d = vmaAnon.get(dst);
            if (d != null && d.anonVma != null) d.anonVma.numActiveVmas++;
            return;
        }
        VmaAnon d = state(dst);
        AnonVmaLocks.RootLock root = locks.new RootLock("anon_vma_clone");
        for (Iterator<Avc> it = s.chain.descendingIterator(); it.hasNext();) {
            Avc pavc = it.next();
            Avc avc = avcAlloc();
            AnonVma av = pavc.anonVma;
            root.lock(av);
            if (locks.perAnonVmaLocks()) locks.stepLock(av, StepObserver.Mode.WRITE, "anon_vma_chain_link: spin_lock");
            link(dst, avc, av);
            if (locks.perAnonVmaLocks()) locks.stepUnlock(av, "anon_vma_chain_link: spin_unlock");
            if (d.anonVma == null && s.anonVma != null && reusable(av, s.anonVma))
                d.anonVma = av;
        }
        if (d.anonVma != null) d.anonVma.numActiveVmas++;
        root.unlock();
    }

    /**
     * anon_vma_clone's reuse rule: no VMA uses the anon_vma and it has fewer
     * than two children (2555283eb40d). Before that fix (LinuxBug.DEGREE) one
     * degree counted both, num_children + num_active_vmas in this model's
     * terms, and any anon_vma but the source VMA's own with a degree below 2
     * was taken: a leaf abandoned by an earlier reuse still has its VMA.
     */
    private boolean reusable(AnonVma av, AnonVma srcAnon) {
        if (bugs.contains(LinuxBug.DEGREE)) return av != srcAnon && av.numChildren + av.numActiveVmas < 2;
        return av.numChildren < 2 && av.numActiveVmas == 0;
    }

    /** dup_mmap → anon_vma_fork (6.12 – 6.19 version). */
    @Override public void forkVma(Vma parent, Vma child) {
        if ((parent.flags() & VmFlags.VM_WIPEONFORK) != 0) return; // dup_mmap: tmp->anon_vma = NULL, no anon_vma_fork
        AnonVma pav = anonVmaOf(parent);
        if (pav == null) return; // unfaulted parent VMA: nothing to link
        if (forkClone(parent, child)) return; // an existing anon_vma was reused
        forkOwnAnonVma(child, pav);
    }

    /**
     * The first half of anon_vma_fork: the child VMA drops the inherited
     * anon_vma pointer and anon_vma_clone links it to every anon_vma of the
     * parent's chain, reusing one as its own when the 6.18 rule allows.
     * Returns true when one was reused (the child then has its anon_vma).
     * The parent VMA must have an anon_vma.
     */
    protected final boolean forkClone(Vma parent, Vma child) {
        VmaAnon st = state(child);
        st.anonVma = null; // drop the inherited pointer; reuse or allocate
        anonVmaClone(child, parent);
        return st.anonVma != null;
    }

    /**
     * The second half of anon_vma_fork: a new anon_vma for {@code vma},
     * child of {@code parentAnonVma} (a value of {@link #anonVmaKey}) in its
     * tree, with one AVC linking the VMA to it under the root's write lock.
     */
    protected final void forkOwnAnonVma(Vma vma, AnonVma pav) {
        VmaAnon st = state(vma);
        AnonVma av = anonVmaAlloc();
        av.numActiveVmas++;
        Avc avc = avcAlloc();
        av.root = pav.root;
        av.parent = pav;
        av.root.refcount++; // get_anon_vma(root)
        st.anonVma = av;
        locks.lockWrite(av);
        locks.stepLock(av, StepObserver.Mode.WRITE, "anon_vma_fork: anon_vma_lock_write");
        link(vma, avc, av);
        av.parent.numChildren++;
        locks.stepUnlock(av, "anon_vma_fork: anon_vma_unlock_write");
    }

    /** vma->anon_vma (what folio->mapping holds for the VMA's exclusive folios), or null when the VMA has none. */
    protected final AnonVma anonVmaKey(Vma v) { return anonVmaOf(v); }

    /**
     * Makes {@code anonVma} (a value of {@link #anonVmaKey}, already on the
     * VMA's chain) the VMA's vma->anon_vma, counted in its num_active_vmas.
     * The VMA must have none.
     */
    protected final void setOwnAnonVma(Vma vma, AnonVma av) {
        VmaAnon st = state(vma);
        if (st.anonVma != null) throw new IllegalStateException("already has an anon_vma: " + vma);
        if (st.chain.stream().noneMatch(a -> a.anonVma == av)) throw new IllegalStateException("not on the chain of " + vma);
        st.anonVma = av;
        av.numActiveVmas++;
    }

    /**
     * Clears vma->anon_vma (its num_active_vmas drops; the chain stays) and
     * returns the old value.
     */
    protected final AnonVma clearOwnAnonVma(Vma vma) {
        VmaAnon st = vmaAnon.get(vma);
        AnonVma av = st == null ? null : st.anonVma;
        if (av == null) throw new IllegalStateException("no anon_vma: " + vma);
        av.numActiveVmas--;
        st.anonVma = null;
        return av;
    }

    /**
     * unlink_anon_vmas (6.12 – 6.19 version): every AVC leaves its tree, head
     * (newest) first; an AVC whose anon_vma tree became empty stays on the
     * list and drops its parent's num_children; the others are freed at once.
     * After the lock is dropped, each emptied anon_vma loses its own
     * reference (and is normally freed, its root too when that was the last
     * reference), and its AVC is freed.
     */
    private void unlinkAnonVmas(Vma vma) {
        VmaAnon st = vmaAnon.remove(vma);
        if (st == null) return;
        AnonVmaLocks.RootLock root = locks.new RootLock("unlink_anon_vmas");
        List<Avc> emptied = null;
        for (Avc avc : st.chain) {
            AnonVma av = avc.anonVma;
            root.lock(av);
            if (locks.perAnonVmaLocks()) locks.stepLock(av, StepObserver.Mode.WRITE, "unlink_anon_vmas: spin_lock");
            locks.stepWrite(av, "unlink_anon_vmas: anon_vma_interval_tree_remove");
            av.rb.remove(avc);
            if (locks.perAnonVmaLocks()) locks.stepUnlock(av, "unlink_anon_vmas: spin_unlock");
            if (av.rb.isEmpty()) {
                av.parent.numChildren--;
                if (emptied == null) emptied = new ArrayList<>(2);
                emptied.add(avc);
                continue;
            }
            avcFree(avc);
        }
        st.chain.clear();
        if (st.anonVma != null) {
            st.anonVma.numActiveVmas--;
            st.anonVma = null;
        }
        root.unlock();
        if (emptied == null) return;
        for (Avc avc : emptied) {
            AnonVma av = avc.anonVma;
            if (av.numChildren != 0 || av.numActiveVmas != 0) throw new IllegalStateException("emptied but in use: " + av);
            putAnonVma(av);
            avcFree(avc);
        }
    }

    // ------------------------------------------------------------------ folios

    /** folio_add_new_anon_rmap → __folio_set_anon: a non-exclusive new folio goes to the root. */
    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        AnonVma av = anonVmaOf(vma);
        if (av == null) throw new IllegalStateException("new anonymous folio in a VMA without anon_vma: " + vma);
        if (!exclusive) av = av.root;
        mapping.set(folio, av);
        ctx.folios().index[folio] = vma.linearPageIndex(vpage);
    }

    /** folio_move_anon_rmap: the folio now belongs to this VMA's own anon_vma; index unchanged. */
    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) {
        AnonVma av = anonVmaOf(vma);
        if (av == null) throw new IllegalStateException("reused folio in a VMA without anon_vma: " + vma);
        mapping.set(folio, av);
    }

    /** folio_migrate_mapping: the new folio takes the mapping (the kernel copied the index). */
    @Override public void folioMigrated(int oldFolio, int newFolio) { mapping.set(newFolio, mapping.get(oldFolio)); }

    /** migrate_folio_unmap → folio_get_anon_vma: a reference keeps the anon_vma until the migration ends. */
    @Override public void migrationStart(int folio) { walkLock.pinForMigration(folio, mapping.get(folio)); }

    /** migrate_folio_move → put_anon_vma of the anon_vma the reference was taken on. */
    @Override public void migrationEnd(int folio) { walkLock.unpinAfterMigration(folio); }

    // ------------------------------------------------------------------ merge questions (mm/vma.c)

    /** vma_is_fork_child: has an anon_vma and more than one AVC. */
    protected final boolean vmaIsForkChild(Vma v) {
        if (v == null) return false;
        VmaAnon s = vmaAnon.get(v);
        return s != null && s.anonVma != null && !s.singular();
    }

    /**
     * is_mergeable_anon_vma, 6.18 with the January 2026 mremap fixes
     * (3b617fd3d317, backported to 6.18.8): src_anon is vmg->anon_vma (the
     * middle VMA's, or the copied-from VMA's for copy_vma, or NULL for a new
     * mapping); src is vmg->middle.
     */
    @Override public boolean isMergeableAnon(AnonMerge q) {
        AnonVma tgtAnon = anonVmaOf(q.target());
        AnonVma srcAnon = q.source() == null ? null : anonVmaOf(q.source());
        if (tgtAnon == null && srcAnon != null) // Case 1: dup_anon_vma(src → tgt)
            return !vmaIsForkChild(q.middle()) && !vmaIsForkChild(q.copiedFrom());
        if (tgtAnon != null && srcAnon == null) // Case 2: tgt's anon_vma is used
            return !vmaIsForkChild(q.target());
        return srcAnon == tgtAnon; // Case 3
    }

    /** can_vma_merge_right: prev and next anon_vmas are NULL or equal. */
    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) {
        AnonVma p = anonVmaOf(prev), n = anonVmaOf(next);
        return p == null || n == null || p == n;
    }

    // ------------------------------------------------------------------ VMA changes (mm/vma.c)

    /** Before the tree changes: dup_anon_vma, which vma_expand and vma_merge_existing_range do first. */
    @Override public void vmaPrepare(VmaChange c) {
        if (c.dupFrom() != null) dupAnonVma(c.vma(), c.dupFrom());
        AnonVma held = changeLock(c);
        if (held != null) locks.stepLock(held, StepObserver.Mode.WRITE, "vma_prepare: anon_vma_lock_write");
    }

    /**
     * vma_prepare's vp->anon_vma: the anon_vma whose lock a VMA change holds
     * from before the ranges change until vma_complete (split, merge, expand,
     * stack growth), or null. munmap, exit and a new mapping take none here:
     * free_pgtables' unlink_anon_vmas and anon_vma_clone lock on their own.
     */
    private AnonVma changeLock(VmaChange c) {
        if (c.kind() == VmaChange.Kind.REMOVE || c.kind() == VmaChange.Kind.MAP || c.kind() == VmaChange.Kind.COPY)
            return null;
        if (c.vma() != null && hasChain(c.vma())) return lockOf(c.vma());
        for (VmaChange.Adjust a : c.adjusted()) if (hasChain(a.vma())) return lockOf(a.vma());
        return null;
    }

    /**
     * After the tree changed: the removed VMAs' chains are unlinked
     * (vma_complete → anon_vma_merge → unlink_anon_vmas, or free_pgtables for
     * munmap and exit), the inserted VMA is linked (anon_vma_clone of a split
     * or a copy_vma), then the adjusted VMAs' AVCs are re-indexed at their new
     * ranges under one write acquisition of the root lock, as vma_prepare /
     * vma_complete do for vp->vma and vp->adj_next together.
     */
    @Override public void vmaComplete(VmaChange c) {
        AnonVma held = changeLock(c);
        for (Vma r : c.removed()) unlink(r);
        switch (c.kind()) {
            case SPLIT -> splitClone(c.vma(), c.inserted());
            case COPY -> copyClone(c.source(), c.inserted());
            default -> { }
        }
        boolean locked = false;
        AnonVma late = null; // a chain made during this change (a design's upgrade in splitClone): locked for the re-index
        for (VmaChange.Adjust a : c.adjusted()) {
            Vma v = a.vma();
            if (!hasChain(v)) continue;
            if (!locked) {
                locks.lockWrite(lockOf(v));
                if (held == null) locks.stepLock(late = lockOf(v), StepObserver.Mode.WRITE, "vma_complete: anon_vma_lock_write");
            }
            locked = true;
            reinsert(v);
        }
        if (late != null) locks.stepUnlock(late, "vma_complete: anon_vma_unlock_write");
        if (held != null) locks.stepUnlock(held, "vma_complete: anon_vma_unlock_write");
    }

    /**
     * __split_vma: vm_area_dup copies vma->anon_vma and anon_vma_clone links
     * the new VMA at its range; vma_prepare / vma_complete then re-index the
     * original (the adjusted VMA of the change).
     */
    protected void splitClone(Vma orig, Vma created) {
        if (!hasChain(orig)) return; // an unfaulted VMA: nothing to clone, no lock
        state(created).anonVma = anonVmaOf(orig);
        anonVmaClone(created, orig);
    }

    /** dup_anon_vma: dst takes src's anon_vma and a copy of src's chain. */
    protected void dupAnonVma(Vma dst, Vma src) {
        AnonVma av = anonVmaOf(src);
        if (!hasChain(src) || anonVmaOf(dst) != null || hasChain(dst)) return;
        state(dst).anonVma = av;
        anonVmaClone(dst, src);
    }

    /** anon_vma_interval_tree_pre_update_vma + _post_update_vma. */
    private void reinsert(Vma vma) {
        VmaAnon st = vmaAnon.get(vma);
        for (Avc avc : st.chain) {
            locks.stepWrite(avc.anonVma, "anon_vma_interval_tree_pre_update_vma");
            avc.anonVma.rb.remove(avc);
        }
        for (Avc avc : st.chain) treeInsert(avc);
    }

    /** copy_vma (no merge): vm_area_dup copies anon_vma, then anon_vma_clone at the new range. */
    protected void copyClone(Vma src, Vma copy) {
        if (!hasChain(src)) return;
        state(copy).anonVma = anonVmaOf(src);
        anonVmaClone(copy, src);
    }

    /** free_pgtables / vma_complete → unlink_anon_vmas; then vm_area_free. */
    protected void unlink(Vma vma) { unlinkAnonVmas(vma); }

    // ------------------------------------------------------------------ the walk

    /**
     * rmap_walk_anon: the root's rwsem for read (folio_lock_anon_vma_read /
     * anon_vma_lock_read), then every AVC of the folio's anon_vma whose VMA
     * range covers folio->index, in interval-tree order, until the sink stops.
     * Steps are the tree nodes the iteration dereferences.
     */
    @Override public void walk(int folio, WalkSink sink) {
        if (!(mapping.get(folio) instanceof AnonVma av)) return;
        if (Steps.active() && !walkLock.folioLockAnonVmaRead(folio, av)) return;
        long index = ctx.folios().index[folio];
        ctx.ledgers().locks().acquire(LOCK, av.root.id, LockLedger.Mode.READ);
        sink.entered(1); // the folio's anon_vma: its interval tree holds every VMA searched
        av.rb.takeSteps();
        av.rb.query(index, index, n -> {
            Vma vma = ((Avc) n).vma;
            return sink.visit(vma, vma.addressOf(index));
        });
        sink.steps(av.rb.takeSteps());
        if (Steps.active()) locks.stepUnlock(av, "rmap_walk_anon: anon_vma_unlock_read");
    }

    // ------------------------------------------------------------------ for designs built on this one

    /** folio->mapping: an anon_vma, or what a design built on this one keeps there instead. */
    protected final AnonMapping folioMapping(int folio) { return mapping.get(folio); }

    /** Sets folio->mapping (for a design built on this one: its own kind of {@link AnonMapping}). */
    protected final void setFolioMapping(int folio, AnonMapping m) { mapping.set(folio, m); }

    // ------------------------------------------------------------------ views for tests and reports

    /** The anon_vma of a VMA as (id, root id), or null when unfaulted (tests). */
    public long[] anonVmaIds(Vma v) {
        AnonVma av = anonVmaOf(v);
        return av == null ? null : new long[] {av.id, av.root.id};
    }

    /** The VMA's anon_vma and chain, or null (tests of this package). */
    VmaAnon vmaAnonOf(Vma v) { return vmaAnon.get(v); }

    /** The ids of the anon_vmas on the VMA's chain, head (newest) first (tests). */
    public long[] chainIds(Vma v) {
        VmaAnon s = vmaAnon.get(v);
        return s == null ? new long[0] : s.chain.stream().mapToLong(a -> a.anonVma.id).toArray();
    }

    /** Length of the VMA's anon_vma_chain (tests). */
    public int chainLength(Vma v) {
        VmaAnon s = vmaAnon.get(v);
        return s == null ? 0 : s.chain.size();
    }
}
