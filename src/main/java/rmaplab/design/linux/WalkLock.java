package rmaplab.design.linux;

import rmaplab.sim.DesignContext;
import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;

/**
 * The walk's locking in a concurrent run (rmaplab.race): how rmap_walk_anon
 * gets the anon_vma of a folio locked for read, with the paths only a race
 * reaches (the folio unmapped meanwhile, the trylock failing, the last
 * reference dropped by the walker, a freed or reused object). A sequential
 * run never calls it: the walk then takes the lock in one step.
 */
final class WalkLock {
    private final LinuxDesign design;
    private final DesignContext ctx;
    /** Folios being migrated, with the anon_vma folio_get_anon_vma pinned (folios hold the folio lock). */
    private final java.util.Map<Integer, AnonVma> migrating = new java.util.HashMap<>();

    WalkLock(LinuxDesign design, DesignContext ctx) {
        this.design = design;
        this.ctx = ctx;
    }

    /**
     * folio_lock_anon_vma_read (mm/rmap.c), in a concurrent run: under
     * rcu_read_lock, read folio->mapping and give up if the folio is no longer
     * mapped; down_read_trylock the root's rwsem and check folio_mapped again;
     * if the trylock fails, pin the anon_vma (atomic_inc_not_zero of its
     * refcount), leave the read section and sleep in down_read. The anon_vma
     * object may have been freed and handed out again meanwhile
     * (SLAB_TYPESAFE_BY_RCU): this revalidation is what makes reading it
     * safe, and a walk that goes on with a freed object, or one that now is
     * another anon_vma, is a use-after-free (Steps.lifetime). Returns true
     * with the lock held.
     */
    boolean folioLockAnonVmaRead(int folio, AnonVma av) {
        Steps.rcuReadLock("folio_lock_anon_vma_read: rcu_read_lock");
        long identity = av.id;
        if (ctx.folios().mapcount(folio) == 0) { // !folio_mapped: nothing to walk
            Steps.rcuReadUnlock("folio_lock_anon_vma_read: rcu_read_unlock");
            return false;
        }
        if (Steps.tryLock(LockClass.ANON_VMA, design.locks.lockSlot(av), StepObserver.Mode.READ, "folio_lock_anon_vma_read: down_read_trylock")) {
            if (ctx.folios().mapcount(folio) == 0) {
                design.locks.stepUnlock(av, "folio_lock_anon_vma_read: up_read");
                Steps.rcuReadUnlock("folio_lock_anon_vma_read: rcu_read_unlock");
                return false;
            }
            Steps.rcuReadUnlock("folio_lock_anon_vma_read: rcu_read_unlock");
        } else {
            if (av.refcount == 0) { // atomic_inc_not_zero failed: being freed
                Steps.rcuReadUnlock("folio_lock_anon_vma_read: rcu_read_unlock");
                return false;
            }
            av.refcount++;
            Steps.rcuReadUnlock("folio_lock_anon_vma_read: rcu_read_unlock");
            design.locks.stepLock(av, StepObserver.Mode.READ, "folio_lock_anon_vma_read: anon_vma_lock_read");
            if (--av.refcount == 0) { // we held the last reference: __put_anon_vma, no walk
                design.locks.stepUnlock(av, "folio_lock_anon_vma_read: anon_vma_unlock_read");
                design.putAnonVmaLast(av);
                return false;
            }
        }
        if (av.freed) Steps.lifetime("freed anon_vma#" + av.id + " walked for a mapped folio " + folio, "rmap_walk_anon");
        else if (av.id != identity)
            Steps.lifetime("anon_vma#" + identity + " read as its old identity: the object is now anon_vma#" + av.id,
                    "rmap_walk_anon");
        return true;
    }

    /** migrate_folio_unmap → folio_get_anon_vma: a reference keeps the anon_vma until the migration ends. */
    void pinForMigration(int folio, AnonMapping m) {
        if (m instanceof AnonVma av && !av.freed) {
            av.refcount++;
            migrating.put(folio, av);
        }
    }

    /** migrate_folio_move → put_anon_vma of the anon_vma the reference was taken on. */
    void unpinAfterMigration(int folio) {
        AnonVma av = migrating.remove(folio);
        if (av != null) design.putAnonVma(av);
    }
}
