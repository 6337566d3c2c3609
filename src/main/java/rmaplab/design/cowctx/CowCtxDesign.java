package rmaplab.design.cowctx;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import rmaplab.ledger.LockLedger;
import rmaplab.ledger.ObjectLedger;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.RmapDesign;
import rmaplab.sim.WalkSink;
import rmaplab.sim.Mm;
import rmaplab.sim.PerFolio;
import rmaplab.sim.PerMm;
import rmaplab.sim.VmaChange;
import rmaplab.sim.Pte;
import rmaplab.sim.Vma;

/**
 * The COW context PoC (Lorenzo Stoakes, 2026) as written ({@link Fixes#NONE},
 * design {@code cowctx}) or with the corrections of {@code cowctx-fixed}
 * ({@link Fixes#ALL}). See the package documentation for what is modelled and
 * every choice made where the PoC's call sites were not read.
 */
public final class CowCtxDesign implements RmapDesign {
    static final String COW_CONTEXT = "cow_context";
    /** sizeof(struct cow_context) on x86_64, computed in the package documentation. */
    static final long COW_CONTEXT_BYTES = 96;
    static final String FOLIO_CTX_PTR = ContextCharge.FOLIO_CTX_PTR;

    static final String LIST_LOCK = "cow_context.list_write_lock";
    static final String UNMAP_LOCK = "cow_context.concurrent_unmap_lock";
    static final String MMAP_LOCK = "mmap_lock";
    static final String RCU = "rcu";

    /** WALK_DEFAULT_STACK_SIZE: unique offsets a walk keeps on the stack. */
    static final int WALK_STACK_OFFSETS = 16;

    private final DesignContext ctx;
    private final Fixes fixes;
    /** folio->cow_context, charged as its {@link ContextCost} says. */
    private final ContextCharge pointers;
    private long nextContextId = 1;
    /** mm->cow_context. */
    private final PerMm<CowContext> contexts = new PerMm<>();
    /** folio->cow_context (the PoC's field in struct folio). */
    private final PerFolio<CowContext> folioContexts = new PerFolio<>();

    // what the walks the workload asked for did (not the oracle's muted sweeps)
    private long walks, contextsEntered;
    private final IntArrayList lastWalk = new IntArrayList();

    /** The PoC with the given corrections, its context pointer charged 8 bytes per live anonymous folio. */
    public CowCtxDesign(DesignContext ctx, Fixes fixes) { this(ctx, fixes, ContextCost.ANON_FOLIO); }

    public CowCtxDesign(DesignContext ctx, Fixes fixes, ContextCost cost) {
        this.ctx = ctx;
        this.fixes = fixes;
        ObjectLedger o = ctx.ledgers().objects;
        o.declare(COW_CONTEXT);
        o.declare(RemapTree.MAPLE_NODE);
        o.declare(RemapTree.REMAP_OFFSETS);
        this.pointers = new ContextCharge(cost, o);
    }

    public Fixes fixes() { return fixes; }

    public ContextCost cost() { return pointers.cost(); }


    // ------------------------------------------------------------------ contexts

    private CowContext of(Mm mm) { return contexts.get(mm); }

    private CowContext folioContext(int folio) { return folioContexts.get(folio); }

    private LockLedger locks() { return ctx.ledgers().locks(); }

    /** mm_init_cow_context. */
    @Override public void mmCreated(Mm mm) {
        long id = nextContextId++;
        RemapTree.Env env = new RemapTree.Env() {
            @Override public ObjectLedger objects() { return ctx.ledgers().objects; }

            @Override public void concurrentUnmapLock() { locks().acquire(UNMAP_LOCK, id, LockLedger.Mode.WRITE); }
        };
        contexts.put(mm, new CowContext(id, mm, new RemapTree(env, fixes)));
        ctx.ledgers().objects.alloc(COW_CONTEXT, COW_CONTEXT_BYTES);
    }

    /** drop_cow_context: the context loses its mm and the mm's reference. */
    @Override public void mmDestroyed(Mm mm) {
        CowContext c = of(mm);
        c.mm = null;
        put(c);
    }

    private static void get(CowContext c) { c.refcnt++; }

    /** put_cow_context, and __put_cow_context's iterative cascade to the parents. */
    private void put(CowContext c) {
        if (--c.refcnt > 0) return;
        for (CowContext curr = c; curr != null; ) {
            if (curr.firstChild != null) throw new IllegalStateException("freeing " + curr + " with children");
            CowContext parent = curr.parent, next = null;
            if (parent != null) { // delete_child_from_parent
                locks().acquire(LIST_LOCK, parent.id, LockLedger.Mode.WRITE);
                parent.removeChild(curr);
                if (--parent.refcnt == 0) next = parent;
            }
            curr.remaps.destroy();
            ctx.ledgers().objects.free(COW_CONTEXT, COW_CONTEXT_BYTES);
            curr = next;
        }
    }

    /** dup_cow_context, which dup_mmap calls after copying every VMA. */
    @Override public void forkEnd(Mm parent, Mm child) {
        CowContext p = of(parent), c = of(child);
        c.parent = p;
        locks().acquire(LIST_LOCK, p.id, LockLedger.Mode.WRITE);
        p.addChildFirst(c);
        get(p);
    }

    // ------------------------------------------------------------------ remap tracking

    /** (vm_start >> PAGE_SHIFT) - vm_pgoff. */
    static long offset(Vma v) { return v.start() - v.pgoff(); }

    /** should_track_anon_remap. */
    private static boolean trackAnon(Vma v, boolean prepared, long offset) {
        return v.anonymous() && prepared && offset != 0;
    }

    /** should_track_map_private_remap. */
    private static boolean trackMapPrivate(Vma v, boolean prepared, long offset) {
        return !v.anonymous() && !v.shared() && prepared && offset != 0;
    }

    /** should_track_remap. */
    private static boolean track(Vma v, boolean prepared, long offset) {
        return trackAnon(v, prepared, offset) || trackMapPrivate(v, prepared, offset);
    }

    private CowContext writeLocked(Vma v) {
        CowContext c = of(v.mm());
        locks().acquire(MMAP_LOCK, c.mmId, LockLedger.Mode.WRITE);
        return c;
    }

    /**
     * __cow_context_do_remap(vma, pgoff_orig, is_remap); {@code vma} is the VMA
     * after the move (or the child's copy at fork).
     */
    private void doRemap(Vma vma, long origStart, boolean isRemap) {
        long pgoff = vma.pgoff(), n = vma.pages();
        long oldOffset = origStart - pgoff, newOffset = offset(vma);
        if (!track(vma, vma.anonPrepared(), newOffset)) return;
        if (oldOffset == 0 && newOffset == 0) return;
        CowContext c = writeLocked(vma);
        if (newOffset == 0) {
            c.remaps.unmapExisting(pgoff, n, oldOffset);
            return;
        }
        // "If we're not forking, we might only need to update remaps."
        if (isRemap && !fixes.remapAddsNew() && c.remaps.remapExisting(pgoff, n, oldOffset, newOffset)) return;
        c.remaps.addNew(pgoff, n, newOffset);
    }

    /** cow_context_do_map_private_cow (and, with trackAnonFirstFault, its anonymous counterpart). */
    private void mapPrivateCow(Vma vma, boolean prepared, boolean anonToo) {
        long off = offset(vma);
        if (!(anonToo ? track(vma, prepared, off) : trackMapPrivate(vma, prepared, off))) return;
        writeLocked(vma).remaps.addNew(vma.pgoff(), vma.pages(), off);
    }

    /** cow_context_do_fork(vma = child, pvma = parent). */
    @Override public void forkVma(Vma parent, Vma child) {
        doRemap(child, child.start(), false);
        mapPrivateCow(parent, parent.anonPrepared(), false);
    }

    /** __anon_vma_prepare: vma->anon_vma = DUMMY_ANON_VMA, then cow_context_do_map_private_cow. */
    @Override public void anonPrepare(Vma vma) { mapPrivateCow(vma, true, fixes.trackAnonFirstFault()); }

    /**
     * The VMA changes: each removed VMA leaves its remaps (remove_vma), a
     * copy_vma copy is remapped, each adjusted VMA is re-tracked at its new
     * range; a split and dup_anon_vma do nothing under the PoC (the
     * (pgoff, offset) pairs do not change; dup copies the DUMMY_ANON_VMA
     * marker and the target's adjust covers its range).
     */
    @Override public void vmaComplete(VmaChange c) {
        for (Vma r : c.removed()) vmaRemoved(r);
        if (c.kind() == VmaChange.Kind.COPY) vmaCopied(c.source(), c.inserted());
        if (c.kind() == VmaChange.Kind.SPLIT) return; // the PoC hooks no split: both parts keep their (pgoff, offset)
        for (VmaChange.Adjust a : c.adjusted()) vmaAdjusted(a.vma(), a.oldStart(), a.oldEnd(), a.oldPgoff());
    }

    /** cow_context_vma_unmap, from remove_vma. */
    private void vmaRemoved(Vma vma) {
        long off = offset(vma);
        if (!track(vma, vma.anonPrepared(), off)) return;
        writeLocked(vma).remaps.unmapExisting(vma.pgoff(), vma.pages(), off);
    }

    /**
     * cow_context_vma_adjust(vma, start, end), called with the VMA still at its
     * old range: unmap the old range, add the new one at the same offset.
     */
    private void vmaAdjusted(Vma vma, long oldStart, long oldEnd, long oldPgoff) {
        long off = oldStart - oldPgoff;
        if (!track(vma, vma.anonPrepared(), off)) return;
        CowContext c = writeLocked(vma);
        c.remaps.unmapExisting(oldPgoff, oldEnd - oldStart, off);
        c.remaps.addNew(oldPgoff + (vma.start() - oldStart), vma.end() - vma.start(), off);
    }

    /** copy_vma made a new VMA: cow_context_do_remap(new_vma, orig_addr). */
    private void vmaCopied(Vma src, Vma copy) {
        doRemap(copy, src.start() + (copy.pgoff() - src.pgoff()), true);
    }

    // ------------------------------------------------------------------ merging

    /**
     * vma_is_fork_child(): {@code anon_vma && !list_is_singular(&anon_vma_chain)}.
     * No anon_vma_chain is ever linked under the PoC, and an empty list is not
     * singular: every faulted VMA counts as a fork child.
     */
    private static boolean forkChild(Vma v) { return v != null && v.anonPrepared(); }

    /** is_mergeable_anon_vma with every anon_vma DUMMY_ANON_VMA or NULL. */
    @Override public boolean isMergeableAnon(AnonMerge q) {
        boolean tgtAnon = q.target().anonPrepared();
        boolean srcAnon = q.source() != null && q.source().anonPrepared();
        if (!tgtAnon && srcAnon) return !forkChild(q.middle()) && !forkChild(q.copiedFrom()); // case 1
        if (tgtAnon && !srcAnon) return !forkChild(q.target()); // case 2
        return tgtAnon == srcAnon; // case 3: DUMMY == DUMMY, NULL == NULL
    }

    /** can_vma_merge_right: !prev->anon_vma || !next->anon_vma || equal — always, with one marker. */
    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) { return true; }

    // ------------------------------------------------------------------ folios

    /** __folio_set_anon: the faulting mm's context, with a reference; index = linear_page_index. */
    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        CowContext c = of(vma.mm());
        get(c);
        folioContexts.set(folio, c);
        ctx.folios().index[folio] = vma.linearPageIndex(vpage);
        pointers.folioMade();
    }

    /** folio_move_anon_rmap: an exclusive folio reused by another mm moves to its context. */
    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) {
        CowContext old = folioContext(folio);
        if (old.mm == vma.mm()) return;
        CowContext c = of(vma.mm());
        get(c);
        folioContexts.set(folio, c);
        put(old);
    }

    @Override public void folioFreed(int folio) {
        put(folioContext(folio));
        pointers.folioGone();
    }

    /** The new folio takes the old one's context (a reference of its own) and index. */
    @Override public void folioMigrated(int oldFolio, int newFolio) {
        CowContext c = folioContext(oldFolio);
        get(c);
        folioContexts.set(newFolio, c);
        pointers.folioMade();
    }

    // ------------------------------------------------------------------ the walk

    /** One walk's state (struct walk_context_control and the folio). */
    private final class Walk {
        final int folio;
        final long index;
        final WalkSink sink;
        final boolean record;
        /** Set during the offset-0 pass when the early stop may follow (cowctx-fixed). */
        boolean checkFound, foundHere;

        Walk(int folio, WalkSink sink) {
            this.folio = folio;
            this.index = ctx.folios().index[folio];
            this.sink = sink;
            this.record = !ctx.ledgers().muted();
        }
    }

    /** cow_context_walk: rcu_read_lock, then traverse_contexts from folio->cow_context. */
    @Override public void walk(int folio, WalkSink sink) {
        locks().acquire(RCU, 0, LockLedger.Mode.RCU);
        Walk w = new Walk(folio, sink);
        if (w.record) {
            walks++;
            lastWalk.clear();
        }
        rmaplab.steps.Steps.rcuReadLock("cow_context_walk: rcu_read_lock"); // a step of a concurrent run (rmaplab.race)
        traverse(folioContext(folio), w);
        rmaplab.steps.Steps.rcuReadUnlock("cow_context_walk: rcu_read_unlock");
    }

    /**
     * traverse_contexts: the root first, then its descendants in post-order,
     * each children list from its head (newest child first). Ancestors and
     * siblings of the root are never visited.
     */
    private void traverse(CowContext root, Walk w) {
        if (!walkContext(root, w)) return;
        CowContext parent = null, curr = root, next;
        for (;; curr = next) {
            if (curr != parent) {
                next = curr.firstChild;
                if (next != null) continue;
            }
            if (curr == root || !walkContext(curr, w)) break;
            parent = curr.parent;
            next = curr.nextSibling != null ? curr.nextSibling : parent;
        }
    }

    /** folio_maybe_mapped_shared for a small folio: mapped more than once. */
    private boolean maybeMappedShared(int folio) { return ctx.folios().mapcount(folio) > 1; }

    /** walk_context: returns false to end the whole walk. */
    private boolean walkContext(CowContext c, Walk w) {
        w.sink.steps(1);
        w.sink.entered(1); // dead contexts too: the traversal reads them
        if (w.record) {
            contextsEntered++;
            lastWalk.add(c.mmId);
        }
        if (c.mm == null) return true; // dead (or mmget_not_zero failed): skip, keep traversing
        boolean wasExclusive = !maybeMappedShared(w.folio);
        w.foundHere = false;
        w.checkFound = fixes.earlyStopOnlyWhenFound() && wasExclusive;
        boolean go = walkContextRemap(c, w, 0);
        w.checkFound = false;
        if (!go) return false;
        // "exclusive folios are moved to the correct Cow context level, so we only look once"
        if (wasExclusive && !maybeMappedShared(w.folio) && (!fixes.earlyStopOnlyWhenFound() || w.foundHere))
            return false;
        // the unique offsets of the remap entries over the folio's pgoff range, on the stack
        Dynarray unique = new Dynarray(WALK_STACK_OFFSETS);
        for (RemapTree.Range r : c.remaps.overlapping(w.index, w.index)) {
            w.sink.steps(1);
            int nr = r.nr();
            for (int i = 0; i < nr; i++) {
                w.sink.steps(1);
                if (unique.nr == unique.cap()) unique = Dynarray.dup(unique, 2 * unique.cap()); // GFP_ATOMIC
                unique.appendValue(r.get(i), fixes.correctInsertion());
            }
        }
        for (int i = 0; i < unique.nr; i++) if (!walkContextRemap(c, w, unique.contents[i])) return false;
        return true;
    }

    /**
     * walk_context_remap: the VMAs of the context's mm over the folio's pages
     * at folio->index + offset whose own offset equals {@code offset}.
     */
    private boolean walkContextRemap(CowContext c, Walk w, long offset) {
        w.sink.steps(1); // the VMA tree lookup
        long vpage = w.index + offset;
        Vma v = c.mm.find(vpage);
        if (v == null) return true;
        if (offset(v) != offset) {
            w.sink.steps(1); // a VMA looked at and skipped
            return true;
        }
        if (w.checkFound) {
            w.sink.steps(1); // page_vma_mapped_walk of the page: does this mm map the folio?
            long pte = c.mm.pageTable().get(vpage);
            if (Pte.isAnon(pte) && Pte.id(pte) == w.folio) w.foundHere = true;
        }
        return w.sink.visit(v, vpage);
    }

    // ------------------------------------------------------------------ views for tests and reports

    /** Walks made for the workload (the oracle's sweeps excluded). */
    public long walks() { return walks; }

    /** Contexts entered by those walks (dead ones included). */
    public long contextsEntered() { return contextsEntered; }

    /** The mm ids of the contexts the last such walk entered, in order. */
    public int[] lastWalkOrder() { return lastWalk.toIntArray(); }

    /** The reference count of the mm's context (the mm may be dead; the context must not be freed). */
    public int refcount(Mm mm) { return of(mm).refcnt; }

    /** Remap entries of the mm's context, as "[first,last]=..." strings in pgoff order. */
    public List<String> remapEntries(Mm mm) {
        List<String> l = new ArrayList<>();
        for (RemapTree.Range r : of(mm).remaps.all()) l.add(r.toString());
        return l;
    }

    /** The offsets stored for pgoff p in the mm's context (array order, nr of them). */
    public long[] remapOffsets(Mm mm, long p) {
        RemapTree.Range r = of(mm).remaps.at(p);
        if (r == null) return new long[0];
        long[] out = new long[r.nr()];
        for (int i = 0; i < out.length; i++) out[i] = r.get(i);
        return out;
    }

    /** The mm id of the folio's context (which may be dead). */
    public int folioContextMm(int folio) { return folioContext(folio).mmId; }
}
