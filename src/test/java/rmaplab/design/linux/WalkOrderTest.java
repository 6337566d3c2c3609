package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.WalkResult;
import rmaplab.workload.Prot;

/**
 * The order of the anon_vma interval tree as the live kernel shows it
 * (notes/kernel_oracle.md §3, rmapwalk.c): AVCs with an equal start are
 * visited in insertion order, and mremap's copy_vma + anon_vma_clone inserts
 * the moved VMA's AVC after those of the K children, so a walk of an
 * exclusive parent folio visits K+1 VMAs instead of 1. Also the root rwsem
 * acquisitions of each event.
 */
class WalkOrderTest {
    static final long R = 0x800;

    /** The parent writes one page, forks K children, and each child CoWs it: the parent's folio is exclusive again. */
    static Sim family(String name, int k) {
        Sim s = new Sim(name).spawn("P").mmap("P", R, 1).write("P", R, 1);
        for (int c = 0; c < k; c++) s.fork("P", "C" + c);
        for (int c = 0; c < k; c++) s.write("C" + c, R, 1);
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void withoutMremapTheParentComesFirst(int k) {
        Sim s = family("walk-first-" + k, k);
        WalkResult w = s.walk("P", R);
        assertEquals(1, w.visits());
        assertEquals(1, w.hits());
        s.replay();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void afterMremapTheParentComesLast(int k) {
        Sim s = family("walk-moved-" + k, k);
        //   P: a  →  moved 0x100 pages on: its AVC goes behind the children's (same pgoff)
        s.mremap("P", R, 1, R + 0x100);
        WalkResult w = s.walk("P", R + 0x100);
        assertEquals(k + 1, w.visits());
        assertEquals(1, w.hits());
        assertTrue(w.steps() >= k + 1, "steps " + w.steps());
        s.replay();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void afterMremapAwayAndBackTheParentComesLast(int k) {
        Sim s = family("walk-back-" + k, k);
        s.mremap("P", R, 1, R + 0x100).mremap("P", R + 0x100, 1, R);
        WalkResult w = s.walk("P", R);
        assertEquals(k + 1, w.visits());
        assertEquals(1, w.hits());
        s.replay();
    }

    /** A split re-inserts the shrunk VMA after the children's AVCs with its start (vma_prepare/vma_complete). */
    @Test
    void aSplitAlsoMovesTheVmaBehind() {
        int k = 5;
        Sim s = new Sim("walk-split").spawn("P").mmap("P", R, 2).write("P", R, 2);
        for (int c = 0; c < k; c++) s.fork("P", "C" + c);
        for (int c = 0; c < k; c++) s.write("C" + c, R, 2);
        assertEquals(1, s.walk("P", R).visits());
        // the tail page r--: __split_vma keeps [R, R+1) in the original VMA, which is re-inserted
        s.mprotect("P", R + 1, 1, Prot.R);
        assertEquals(k + 1, s.walk("P", R).visits());
        // the new VMA [R+1, R+2) has pgoff R+1: the children's AVCs start at R, also overlapping
        assertEquals(k + 1, s.walk("P", R + 1).visits());
        s.replay();
    }

    /** Root rwsem: one write per anon_vma_prepare, clone, fork link, vma_prepare, unlink; one read per walk. */
    @Test
    void lockAcquisitions() {
        Sim s = new Sim("locks").spawn("P").mmap("P", R, 4);
        LockLedger l = s.ledgers.lockReport();
        long w0 = l.total(LockLedger.Mode.WRITE);
        s.write("P", R, 1); // __anon_vma_prepare
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);
        long rootId = s.anonVma("P", R).id;

        w0 = l.total(LockLedger.Mode.WRITE);
        s.mprotect("P", R + 2, 2, Prot.R); // one __split_vma: clone + vma_prepare
        assertEquals(2, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.mprotect("P", R + 1, 1, Prot.R); // partial merge: [1,2) joins next; one vma_prepare for both
        s.assertVma("P", R + 1, R + 4);
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.fork("P", "C"); // two faulted VMAs: clone + own link each
        assertEquals(4, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.munmap("C", R, 1); // unlink_anon_vmas of one faulted VMA
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);

        long r0 = l.total(LockLedger.Mode.READ);
        s.walkOp("P", R, 1);
        assertEquals(1, l.total(LockLedger.Mode.READ) - r0);

        // every acquisition was on the family's root, by its serial number
        assertEquals(1, l.instanceCount());
        LockLedger.Instance in = l.instances().iterator().next();
        assertEquals(LinuxDesign.LOCK, in.lockClass);
        assertEquals(rootId, in.id);
        assertEquals(2, in.distinctProcesses());

        w0 = l.total(LockLedger.Mode.WRITE);
        s.exit("C"); // C's one VMA left: 1
        s.fork("P", "D"); // the root has active VMAs (P's): no reuse, 2 per VMA: 4
        s.exit("P"); // P's two VMAs: 2; D's chains keep the root alive
        assertEquals(2, s.anonVma("D", R).root.numChildren - 1); // D's two anon_vmas
        s.fork("D", "E"); // the root has 3 children, D's anon_vmas an active VMA each: no reuse, 4
        assertEquals(11, l.total(LockLedger.Mode.WRITE) - w0);
        s.replay();
    }
}
