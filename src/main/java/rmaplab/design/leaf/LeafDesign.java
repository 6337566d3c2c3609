package rmaplab.design.leaf;

import rmaplab.design.linux.LinuxDesign;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.AnonMerge;
import rmaplab.sim.DesignContext;
import rmaplab.sim.WalkSink;
import rmaplab.sim.Mm;
import rmaplab.sim.PerMm;
import rmaplab.design.linux.AnonMapping;
import rmaplab.sim.Process;
import rmaplab.sim.Task;
import rmaplab.sim.Vma;
import rmaplab.sim.VmFlags;

/**
 * Linux 6.18's anon_vma + anon_vma_chain, except in a <em>leaf</em> mm — one
 * that no fork will ever copy again — whose exclusive folios are keyed by the
 * mm and their virtual page instead of an anon_vma. See the package
 * documentation for every rule and where it comes from.
 */
public final class LeafDesign extends LinuxDesign {
    /** How the design learns that an mm is a leaf. */
    public enum Mode {
        /** {@code linux-nofork}: every process using the mm promised nofork (PR_SET_NOFORK). */
        PROMISE,
        /** {@code leaf-bound}: the runner's first pass says no fork copies the mm from now on. */
        CLAIRVOYANT
    }

    static final String RCU = "rcu";

    /** folio->mapping of an address-keyed folio: its mm (the folio's index is then its virtual page). */
    record AddressKeyed(Mm mm) implements AnonMapping {}

    /** A merge's view of a VMA prepared in a leaf mm with neither anon_vma nor chain: its folios are keyed by address. */
    private static final Object BY_ADDRESS = new Object() {
        @Override public String toString() { return "keyed by address"; }
    };

    private final DesignContext ctx;
    private final Mode mode;
    /** The mms known to be leaves (once a leaf, always a leaf). */
    private final PerMm<Boolean> leaves = new PerMm<>();

    public LeafDesign(DesignContext ctx, Mode mode) {
        super(ctx);
        this.ctx = ctx;
        this.mode = mode;
        if (mode == Mode.CLAIRVOYANT) ctx.forkSchedule(); // given by the runner before the run: fails early without it
    }

    // ------------------------------------------------------------------ which mms are leaves

    /**
     * Whether no fork will copy the mm again. Once true it stays true: a
     * nofork process cannot fork or vfork, its new threads are bound by its
     * promise, and the schedule's answer only changes from yes to no.
     */
    public boolean leaf(Mm mm) {
        if (leaves.get(mm) != null) return true;
        boolean leaf = mode == Mode.PROMISE ? promised(mm) : ctx.leafFromNow(mm);
        if (leaf) leaves.put(mm, Boolean.TRUE);
        return leaf;
    }

    /**
     * The promise covers the mm when its owner promised and every user of the
     * mm is a task of the owner: a vfork child still sharing the mm may fork
     * it, whatever the owner promised.
     */
    private boolean promised(Mm mm) {
        Process owner = ctx.machine().processes().get(mm.ownerPid() - 1);
        if (!owner.nofork()) return false;
        int users = 0;
        for (Task t : owner.tasks()) if (t.alive() && t.mm() == mm) users++;
        return users == mm.users();
    }

    // ------------------------------------------------------------------ per-VMA state as merges see it

    /** Linked to its ancestors' anon_vmas (inherited folios) without an anon_vma of its own. */
    private boolean chainOnly(Vma v) { return v != null && anonVmaKey(v) == null && chainLength(v) > 0; }

    /** The VMA's anonymous state: its anon_vma, itself when chain-only, BY_ADDRESS, or null when unprepared. */
    private Object key(Vma v) {
        if (v == null) return null;
        Object av = anonVmaKey(v);
        if (av != null) return av;
        if (chainLength(v) > 0) return v;
        return v.anonPrepared() ? BY_ADDRESS : null;
    }

    // ------------------------------------------------------------------ folios

    /** No anon_vma, no chain, no lock for a VMA of a leaf mm. */
    @Override public void anonPrepare(Vma vma) {
        if (leaf(vma.mm())) {
            return;
        }
        super.anonPrepare(vma);
    }

    /** A leaf mm's new folio: folio->mapping names the mm, folio->index the virtual page. */
    @Override public void newAnonFolio(int folio, Vma vma, long vpage, boolean exclusive) {
        if (!leaf(vma.mm())) {
            super.newAnonFolio(folio, vma, vpage, exclusive);
            return;
        }
        setFolioMapping(folio, new AddressKeyed(vma.mm()));
        ctx.folios().index[folio] = vpage;
    }

    /**
     * folio_move_anon_rmap in a leaf mm: the folio, inherited and now mapped
     * only here, leaves its anon_vma for the address key.
     */
    @Override public void reuseAnonFolio(int folio, Vma vma, long vpage) {
        if (!leaf(vma.mm())) {
            super.reuseAnonFolio(folio, vma, vpage);
            return;
        }
        setFolioMapping(folio, new AddressKeyed(vma.mm()));
        ctx.folios().index[folio] = vpage;
    }

    /**
     * An address-keyed folio whose PTE moves (mremap) follows it: the new
     * address is its key (as MREMAP_RELOCATE_ANON proposed to update
     * folio->index of exclusive folios during the move).
     */
    @Override public void pteMapped(int folio, Vma vma, long vpage) {
        if (folioMapping(folio) instanceof AddressKeyed(Mm mm)) {
            if (mm != vma.mm()) throw new IllegalStateException("an address-keyed folio of " + mm + " mapped in " + vma);
            ctx.folios().index[folio] = vpage;
        }
    }

    /**
     * An address-keyed folio: find the VMA at folio->index in the mm
     * (find_vma under RCU, one maple-tree lookup, one step) and visit it there.
     * Any other folio: rmap_walk_anon.
     */
    @Override public void walk(int folio, WalkSink sink) {
        if (!(folioMapping(folio) instanceof AddressKeyed(Mm mm))) {
            super.walk(folio, sink);
            return;
        }
        ctx.ledgers().locks().acquire(RCU, 0, LockLedger.Mode.RCU);
        long vpage = ctx.folios().index[folio];
        Vma vma = mm.find(vpage);
        sink.steps(1);
        sink.entered(1); // the mm, whose VMA tree is searched by address
        if (vma != null) sink.visit(vma, vpage);
    }

    // ------------------------------------------------------------------ fork

    /**
     * anon_vma_fork. A leaf mm is never copied (checked). leaf-bound: a child
     * that is a leaf from its birth is linked to the parent VMA's anon_vmas
     * (anon_vma_clone: the folios they share must be found in it), but gets
     * no anon_vma of its own, which only its own future folios and children
     * would use. linux-nofork: the child has promised nothing yet, so Linux.
     */
    @Override public void forkVma(Vma parent, Vma child) {
        if (leaf(parent.mm())) throw new IllegalStateException("a leaf mm is copied by fork: " + parent.mm());
        if (mode == Mode.PROMISE || !leaf(child.mm())) {
            super.forkVma(parent, child);
            return;
        }
        if ((parent.flags() & VmFlags.VM_WIPEONFORK) != 0) return;
        if (anonVmaKey(parent) == null) return;
        forkClone(parent, child); // reuses an idle ancestor as its own when 6.18 would; never allocates one
    }

    // ------------------------------------------------------------------ merges

    /**
     * is_mergeable_anon_vma over the leaf states. A chain-only VMA merges with
     * nothing else (its links are its own). An address-keyed target absorbs only
     * address-keyed or unprepared ranges (it has no anon_vma to give a range
     * that carries one); an address-keyed range may join a target that has an
     * anon_vma, which keeps it, as Linux's Case 2 allows (not a fork child).
     * The rest is Linux.
     */
    @Override public boolean isMergeableAnon(AnonMerge q) {
        Vma tgt = q.target(), src = q.source();
        if (tgt != src && (chainOnly(tgt) || chainOnly(src) || chainOnly(q.middle()) || chainOnly(q.copiedFrom())))
            return false;
        Object t = key(tgt), s = src == null ? null : key(src);
        if (t == BY_ADDRESS) return s == null || s == BY_ADDRESS;
        if (s == BY_ADDRESS) return t == null || !vmaIsForkChild(tgt);
        return super.isMergeableAnon(q);
    }

    /** prev survives a three-way merge: next's anon_vma must be prev's, or next must need none. */
    @Override public boolean isMergeableAnonBoth(Vma prev, Vma next) {
        if (chainOnly(prev) || chainOnly(next)) return false;
        Object p = key(prev), n = key(next);
        if (p == BY_ADDRESS) return n == null || n == BY_ADDRESS;
        if (n == BY_ADDRESS) return true;
        return super.isMergeableAnonBoth(prev, next);
    }

    // ------------------------------------------------------------------ views for tests

    /** Whether the folio is keyed by its mm and address (tests). */
    public boolean addressKeyed(int folio) { return folioMapping(folio) instanceof AddressKeyed; }
}
