package rmaplab.design.cowctx;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.cowctx.Support.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.Ran;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.testing.Scenario;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** Remap entries: what mremap, fork, first faults and unmaps leave in the trees, and what they cost. */
class CowCtxRemapTest {
    private static List<String> entries(Ran r, String task) { return design(r).remapEntries(mm(r, task)); }

    /**
     * Away and back. The fork first makes every folio shared, so that the
     * PoC's walk (which stops early on exclusive folios) is checked fairly.
     */
    @Test
    void mremapAwayAndBack() {
        // P's VMA at 0x1000 (pgoff 0x1000, offset 0) moves to 0x3000: offset 0x2000, one remap entry
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x4 rw- anon
                P touch 0x1000 0x4 write
                P fork C
                P mremap 0x1000 0x4 0x3000 0x4
                """);
        Ran r = run(scenario.ops(), "cowctx");
        assertTrue(r.ok(), r.violations().toString());
        assertEquals(List.of("[1000,1003]=simple 8192"), entries(r, "P"));
        assertEquals(List.of(), entries(r, "C"));
        assertEquals(1, live(r, "maple_node"));
        assertEquals(0, live(r, "remap_offsets"));

        scenario.then("P fork D"); // dup_mmap → cow_context_do_fork copies the entry into D's tree
        r = run(scenario.ops(), "cowctx");
        assertEquals(List.of("[1000,1003]=simple 8192"), entries(r, "D"));
        assertEquals(2, live(r, "maple_node"));

        scenario.then("P mremap 0x3000 0x4 0x1000 0x4"); // back to offset 0: find_and_unmap_existing
        r = run(scenario.ops(), "cowctx");
        assertTrue(r.ok(), r.violations().toString());
        assertEquals(List.of(), entries(r, "P"));
        assertEquals(List.of("[1000,1003]=simple 8192"), entries(r, "D"));
        assertEquals(1, live(r, "maple_node"));
        // shrink_remaps took the concurrent unmap lock once, for the 1 → 0 entry
        assertEquals(1, r.ledgers().locks().instances().stream()
                .filter(i -> i.lockClass().equals("cow_context.concurrent_unmap_lock")).mapToLong(i -> i.acquisitions()).sum());
    }

    /**
     * One pgoff mapped at two addresses in one mm (two anonymous VMAs made at
     * the same place and moved away in turn, as realloc does): a multi entry,
     * 8 + 8 × 2 bytes.
     */
    @Test
    void samePgoffMovedTwiceMakesAMultiEntry() {
        List<Op> ops = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P mremap 0x1000 0x1 0x2000 0x1   # offset 0x1000
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P mremap 0x1000 0x1 0x3000 0x1   # offset 0x2000, appended above
                """);
        for (String d : List.of("cowctx", "cowctx-fixed")) {
            Ran r = run(ops, d);
            assertArrayEquals(new long[] {0x1000, 0x2000}, design(r).remapOffsets(mm(r, "P"), 0x1000), d);
            assertEquals(1, live(r, "remap_offsets"), d);
            assertEquals(24, r.ledgers().objects().types().get("remap_offsets").liveBytes(), d);
        }
        // as written the PoC's walk stops after the offset-0 pass for an exclusive folio: both moved folios are missed
        assertFalse(run(ops, "cowctx").ok());
        assertTrue(run(ops, "cowctx-fixed").ok());
    }

    /**
     * The same, moved in the other order: the second offset goes below the
     * first, and __dynarray_append_value as written overwrites the first
     * instead of shifting it (its loop stops at i <= insert_idx); the slot
     * after it was never written (zero here).
     */
    @Test
    void insertionBelowTheLastOffsetLosesOne() {
        List<Op> ops = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P mremap 0x1000 0x1 0x3000 0x1   # offset 0x2000
                P mmap 0x1000 0x1 rw- anon
                P touch 0x1000 0x1 write
                P mremap 0x1000 0x1 0x2000 0x1   # offset 0x1000 < 0x2000
                """);
        Ran r = run(ops, "cowctx");
        assertArrayEquals(new long[] {0x1000, 0}, design(r).remapOffsets(mm(r, "P"), 0x1000));
        r = run(ops, "cowctx-fixed");
        assertArrayEquals(new long[] {0x1000, 0x2000}, design(r).remapOffsets(mm(r, "P"), 0x1000));
        assertTrue(r.ok());
    }

    /**
     * MAP_PRIVATE file mappings: the first write fault adds the entry
     * (cow_context_do_map_private_cow); read faults do not. At fork the
     * parent's entry is added again: the simple entry is copied into a
     * one-slot array, which is full and so duplicated into a heap array of
     * capacity 2 before the duplicate check — a multi entry holding one offset.
     */
    @Test
    void privateFileMappingEntries() {
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- file=lib@0
                P touch 0x1000 0x2 read
                """);
        Ran r = run(scenario.ops(), "cowctx");
        assertEquals(List.of(), entries(r, "P"));

        scenario.then("P touch 0x1000 0x1 write");
        r = run(scenario.ops(), "cowctx");
        assertEquals(List.of("[0,1]=simple 4096"), entries(r, "P"));
        assertEquals(0, live(r, "remap_offsets"));

        scenario.then("P fork C");
        r = run(scenario.ops(), "cowctx");
        assertEquals(List.of("[0,1]=multi [4096] cap 2"), entries(r, "P"));
        assertEquals(List.of("[0,1]=simple 4096"), entries(r, "C"));
        assertEquals(1, live(r, "remap_offsets"));
        scenario.then("P fork D"); // now there is room: no new array
        r = run(scenario.ops(), "cowctx");
        assertEquals(1, live(r, "remap_offsets"));
        assertEquals(1, r.ledgers().objects().types().get("remap_offsets").allocated());
    }

    /** ceil(entries / 16) maple nodes of 256 bytes per tree. */
    @Test
    void mapleNodesPerSixteenEntries() {
        Scenario scenario = Scenario.of("rmaplab-workload 1\nP spawn\n");
        for (int i = 0; i < 17; i++) { // 17 one-page copies of a file, each at its own offset
            scenario.append(new Op.Mmap("P", 0x1000 + 2 * i, 1, Prot.RW, MapKind.file("lib", 3 * i)));
            scenario.append(new Op.Touch("P", 0x1000 + 2 * i, 1, true));
        }
        Ran r = run(scenario.ops(), "cowctx-fixed");
        assertTrue(r.ok());
        assertEquals(17, entries(r, "P").size());
        assertEquals(2, live(r, "maple_node"));
        assertEquals(512, r.ledgers().objects().types().get("maple_node").liveBytes());
        scenario.then("P munmap 0x1000 0x1");
        r = run(scenario.ops(), "cowctx-fixed");
        assertEquals(16, entries(r, "P").size());
        assertEquals(1, live(r, "maple_node"));
        scenario.then("P exit"); // exit_mmap removes every VMA, then the context goes
        r = run(scenario.ops(), "cowctx-fixed");
        assertEquals(0, live(r, "maple_node"));
        assertEquals(0, live(r, "cow_context"));
    }

    /**
     * Merging. Every faulted VMA's anon_vma is DUMMY_ANON_VMA and its
     * anon_vma_chain stays empty, so vma_is_fork_child() (anon_vma &&
     * !list_is_singular(chain)) is true for each: a faulted VMA never merges
     * with an unfaulted neighbour (is_mergeable_anon_vma cases 1 and 2), while
     * two faulted ones always may (case 3: DUMMY == DUMMY).
     */
    @Test
    void faultedAndUnfaultedNeighboursNeverMerge() {
        Scenario scenario = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x2 rw- anon
                P touch 0x1000 0x1 write
                P mmap 0x1002 0x2 rw- anon   # adjacent, unfaulted
                """);
        assertEquals(2, run(scenario.ops(), "cowctx").machine().liveVmas());
        assertEquals(1, run(scenario.ops(), "pv").machine().liveVmas());
        scenario.then("""
                P touch 0x1002 0x1 write     # both faulted now...
                P mprotect 0x1002 0x2 r--
                P mprotect 0x1002 0x2 rw-    # ...so this re-merges them
                """);
        assertEquals(1, run(scenario.ops(), "cowctx").machine().liveVmas());
    }
}
