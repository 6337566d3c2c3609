package rmaplab.design.cowctx;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.cowctx.Support.*;

import org.junit.jupiter.api.Test;
import rmaplab.ledger.LockFigures;
import rmaplab.ledger.LockLedger;
import rmaplab.run.CheckMode;
import rmaplab.run.Ran;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.testing.Scenario;

/** Exact object counts, reference counts and locks of cow_context on small scenarios. */
class CowCtxObjectsTest {
    private static Mm mmOf(Ran r, int id) { return r.machine().mms().get(id - 1); }

    @Test
    void oneContextPerMmAndAPointerPerFolio() {
        Ran r = run(Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x2 write
                """), "cowctx");
        assertTrue(r.ok());
        assertEquals(1, live(r, "cow_context"));
        assertEquals(96, r.ledgers().objects().types().get("cow_context").liveBytes());
        assertEquals(2, live(r, "folio_ctx_ptr"));
        assertEquals(16, r.ledgers().objects().types().get("folio_ctx_ptr").liveBytes());
        assertEquals(0, live(r, "maple_node")); // nothing moved: no remap entry
        assertEquals(0, live(r, "remap_offsets"));
        assertEquals(3, design(r).refcount(mm(r, "P"))); // 1 for the mm + 2 folios
    }

    /**
     * A dead context stays while its child and a folio refer to it; the last
     * reference gone, the free cascades up to it.
     */
    @Test
    void deadContextLivesWhileChildAndFolioReferToItThenCascades() {
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write   # F in P's context: P ref 2
                P fork C                   # C's context is P's child: P ref 3
                P exit                     # P's mm goes: P dead, ref 2 (C, F)
                """);
        Ran r = run(scenario.ops(), "cowctx");
        assertTrue(r.ok());
        assertEquals(2, live(r, "cow_context"));
        assertEquals(2, design(r).refcount(mmOf(r, 1)));
        assertEquals(1, design(r).refcount(mm(r, "C")));
        assertEquals(1, design(r).folioContextMm(1)); // F still points at dead P

        scenario.then("C touch 0x1000 0x1 write"); // C reuses F (mapcount 1): folio_move_anon_rmap to C
        r = run(scenario.ops(), "cowctx");
        assertEquals(2, live(r, "cow_context"));
        assertEquals(1, design(r).refcount(mmOf(r, 1))); // held by its child only
        assertEquals(2, design(r).refcount(mm(r, "C"))); // its mm + F
        assertEquals(2, design(r).folioContextMm(1));

        scenario.then("C exit"); // F freed, C's context freed, and P's with it
        r = run(scenario.ops(), "cowctx");
        assertEquals(0, live(r, "cow_context"));
        assertEquals(0, live(r, "folio_ctx_ptr"));
        assertEquals(2, r.ledgers().objects().byOp().get("exit").get("cow_context").freed());
        assertEquals(2, r.ledgers().objects().types().get("cow_context").allocated());
    }

    /** A folio alone keeps a dead leaf's context; the cascade stops at a live ancestor. */
    @Test
    void folioKeepsDeadContextAndCascadeStopsAtLiveAncestor() {
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P fork C
                C mmap 0x1000 0x1 rw- anon
                C touch 0x1000 0x1 write   # F in C's context
                C fork G                   # F mapped by C and G
                C exit                     # C dead: G and F refer to it
                """);
        Ran r = run(scenario.ops(), "cowctx");
        assertTrue(r.ok());
        assertEquals(3, live(r, "cow_context"));
        assertEquals(2, design(r).refcount(mmOf(r, 2))); // G + F

        scenario.then("G exit"); // F freed, G freed, C freed; P lives on
        r = run(scenario.ops(), "cowctx");
        assertEquals(1, live(r, "cow_context"));
        assertEquals(1, design(r).refcount(mm(r, "P")));
    }

    /** exec makes a fresh root context; vfork and threads share the mm's. */
    @Test
    void execGivesARootContextAndVforkShares() {
        Ran r = run(Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P fork C
                C vfork V   # shares C's mm and context
                V exec      # a new mm, a new root context
                V mmap 0x1000 0x1 rw- anon
                V touch 0x1000 0x1 write
                """), "cowctx");
        assertTrue(r.ok());
        assertEquals(3, live(r, "cow_context")); // P, C, V's new one
        assertEquals(1, design(r).refcount(mm(r, "C"))); // its mm: V shared it, then left it
        assertEquals(2, design(r).refcount(mm(r, "V"))); // its mm + the folio
        assertEquals(2, design(r).refcount(mm(r, "P"))); // its mm + child C only: V's context is a root
    }

    /**
     * Locks: the parent's list_write_lock (instance: its context's id) on fork
     * and on free; the mmap lock of the mm whose remap tree changes; RCU for
     * the walk.
     */
    @Test
    void locks() {
        Ran r = run(Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P fork C                         # list_write_lock of P's context (#1)
                P mremap 0x1000 0x1 0x2000 0x1   # mmap_lock of mm 1: add_new_remap
                P walk 0x2000 0x1                # one RCU read section
                C exit                           # C freed: list_write_lock of #1 again
                """), "cowctx", MachineConfig.defaults(), CheckMode.WALKS);
        assertTrue(r.ok());
        LockFigures l = r.ledgers().locks();
        assertEquals(4, l.total());
        var byClass = new java.util.TreeMap<String, String>();
        for (LockFigures.Instance i : l.instances())
            byClass.merge(i.lockClass(), i.id() + ":" + i.acquisitions() + ":" + i.byOp().keySet(), (a, b) -> a + "," + b);
        assertEquals("1:2:[exit, fork]", byClass.get("cow_context.list_write_lock"));
        assertEquals("1:1:[mremap]", byClass.get("mmap_lock"));
        assertEquals("0:1:[walk]", byClass.get("rcu"));
        assertEquals(1, l.total(LockLedger.Mode.RCU));
    }
}
