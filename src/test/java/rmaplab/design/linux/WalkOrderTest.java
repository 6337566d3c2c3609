package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.LockLedger;
import rmaplab.sim.WalkResult;

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
        // P's page moved 0x100 pages on: its AVC goes behind the children's (same pgoff)
        s.run("P mremap 0x800 0x1 0x900 0x1");
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
        s.run("""
                P mremap 0x800 0x1 0x900 0x1
                P mremap 0x900 0x1 0x800 0x1
                """);
        WalkResult w = s.walk("P", R);
        assertEquals(k + 1, w.visits());
        assertEquals(1, w.hits());
        s.replay();
    }

    /** A split re-inserts the shrunk VMA after the children's AVCs with its start (vma_prepare/vma_complete). */
    @Test
    void aSplitAlsoMovesTheVmaBehind() {
        int k = 5;
        Sim s = new Sim("walk-split").run("""
                P spawn
                P mmap 0x800 0x2 rw- anon
                P touch 0x800 0x2 write
                """);
        for (int c = 0; c < k; c++) s.fork("P", "C" + c);
        for (int c = 0; c < k; c++) s.write("C" + c, R, 2);
        assertEquals(1, s.walk("P", R).visits());
        // the tail page r--: __split_vma keeps [R, R+1) in the original VMA, which is re-inserted
        s.run("P mprotect 0x801 0x1 r--");
        assertEquals(k + 1, s.walk("P", R).visits());
        // the new VMA [R+1, R+2) has pgoff R+1: the children's AVCs start at R, also overlapping
        assertEquals(k + 1, s.walk("P", R + 1).visits());
        s.replay();
    }

    /** Root rwsem: one write per anon_vma_prepare, clone, fork link, vma_prepare, unlink; one read per walk. */
    @Test
    void lockAcquisitions() {
        Sim s = new Sim("locks").run("""
                P spawn
                P mmap 0x800 0x4 rw- anon
                """);
        LockLedger l = s.ledgers.lockReport();
        long w0 = l.total(LockLedger.Mode.WRITE);
        s.run("P touch 0x800 0x1 write"); // __anon_vma_prepare
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);
        long rootId = s.anonVma("P", R).id;

        w0 = l.total(LockLedger.Mode.WRITE);
        s.run("P mprotect 0x802 0x2 r--"); // one __split_vma: clone + vma_prepare
        assertEquals(2, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.run("P mprotect 0x801 0x1 r--"); // partial merge: [1,2) joins next; one vma_prepare for both
        s.assertVma("P", R + 1, R + 4);
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.run("P fork C"); // two faulted VMAs: clone + own link each
        assertEquals(4, l.total(LockLedger.Mode.WRITE) - w0);

        w0 = l.total(LockLedger.Mode.WRITE);
        s.run("C munmap 0x800 0x1"); // unlink_anon_vmas of one faulted VMA
        assertEquals(1, l.total(LockLedger.Mode.WRITE) - w0);

        long r0 = l.total(LockLedger.Mode.READ);
        s.run("P walk 0x800 0x1");
        assertEquals(1, l.total(LockLedger.Mode.READ) - r0);

        // every acquisition was on the family's root, by its serial number
        assertEquals(1, l.instanceCount());
        LockLedger.Instance in = l.instances().iterator().next();
        assertEquals(LinuxDesign.LOCK, in.lockClass);
        assertEquals(rootId, in.id);
        assertEquals(2, in.distinctProcesses());

        w0 = l.total(LockLedger.Mode.WRITE);
        s.run("""
                C exit     # C's one VMA left: 1
                P fork D   # the root has active VMAs (P's): no reuse, 2 per VMA: 4
                P exit     # P's two VMAs: 2; D's chains keep the root alive
                """);
        assertEquals(2, s.anonVma("D", R).root.numChildren - 1); // D's two anon_vmas
        s.run("D fork E"); // the root has 3 children, D's anon_vmas an active VMA each: no reuse, 4
        assertEquals(11, l.total(LockLedger.Mode.WRITE) - w0);
        s.replay();
    }
}
