package rmaplab.design.linux;

import java.util.Set;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.DesignContext;
import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;

/**
 * The anon_vma rwsem as the linux model takes it: counted in the lock ledger
 * (every run), and marked as steps of a concurrent run (rmaplab.race; no-ops
 * in a sequential run), on the root's lock, or on each anon_vma's own before
 * 012f18004da3 (LinuxBug.OWN_LOCK).
 */
final class AnonVmaLocks {
    private final DesignContext ctx;
    private final boolean ownLock;

    AnonVmaLocks(DesignContext ctx, Set<LinuxBug> bugs) {
        this.ctx = ctx;
        this.ownLock = bugs.contains(LinuxBug.OWN_LOCK);
    }

    /** down_write(&anon_vma->root->rwsem) (anon_vma_lock_write, lock_anon_vma_root), as the ledger counts it. */
    void lockWrite(AnonVma av) { ctx.ledgers().locks().acquire(LinuxDesign.LOCK, av.root.id, LockLedger.Mode.WRITE); }

    /** The lock that protects the anon_vma's tree: its root's rwsem (its own before 012f18004da3). */
    long lockSlot(AnonVma av) { return ownLock ? av.slot : av.root.slot; }

    void stepLock(AnonVma av, StepObserver.Mode mode, String fn) { Steps.lock(LockClass.ANON_VMA, lockSlot(av), mode, fn); }

    void stepUnlock(AnonVma av, String fn) { Steps.unlock(LockClass.ANON_VMA, lockSlot(av), fn); }

    void stepWrite(AnonVma av, String fn) {
        Steps.write(LockClass.ANON_VMA, lockSlot(av), "tree of anon_vma#" + av.id, fn);
    }

    /** Whether anon_vma_clone and unlink_anon_vmas lock each anon_vma on their own rather than the root once. */
    boolean perAnonVmaLocks() { return ownLock; }

    /**
     * lock_anon_vma_root / unlock_anon_vma_root over a chain (anon_vma_clone,
     * unlink_anon_vmas): the root's rwsem is taken once, at the first AVC, and
     * dropped after the loop.
     */
    final class RootLock {
        private final String fn;
        private AnonVma first;

        RootLock(String fn) { this.fn = fn; }

        /** Takes the lock at the loop's first anon_vma; nothing after that. */
        void lock(AnonVma av) {
            if (first != null) return;
            lockWrite(av);
            first = av;
            if (!ownLock) stepLock(av, StepObserver.Mode.WRITE, fn + ": lock_anon_vma_root");
        }

        void unlock() {
            if (first != null && !ownLock) stepUnlock(first, fn + ": unlock_anon_vma_root");
        }
    }
}
