package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rmaplab.workload.Advice;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** Fork, copy-on-write and the zero page (dup_mmap, copy_page_range, do_wp_page, do_anonymous_page). */
class ForkCowTest {
    @Test
    void forkSharesPagesAndCowCopiesOrReuses() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123
        //   AAAA   P writes all four
        s.mmap("P", 0, 4, Prot.RW).write("P", 0, 4);
        assertTrue(s.exclusive("P", 0));
        //   P: AAAA  C: AAAA   fork: every page shared, write-protected, not exclusive
        s.fork("P", "C");
        assertEquals(s.folio("P", 0), s.folio("C", 0));
        assertEquals(2, s.mapcount("P", 0));
        assertFalse(s.exclusive("P", 0));
        assertFalse(Pte.writable(s.pte("P", 0)));
        //   C writes page 0: wp_page_copy gives C a new exclusive folio; P's is mapped once now
        s.write("C", 0, 1);
        assertNotEquals(s.folio("P", 0), s.folio("C", 0));
        assertEquals(1, s.mapcount("P", 0));
        assertTrue(s.exclusive("C", 0));
        //   P writes page 0: mapcount 1, so wp_can_reuse_anon_folio reuses it (no copy)
        int before = s.folio("P", 0);
        s.write("P", 0, 1);
        assertEquals(before, s.folio("P", 0));
        assertTrue(s.exclusive("P", 0));
        //   P writes page 1, still shared with C: a copy
        int shared = s.folio("P", 1);
        s.write("P", 1, 1);
        assertNotEquals(shared, s.folio("P", 1));
        assertEquals(1, s.m.folios().mapcount(shared));
        //   C exits: every folio only P maps stays; C's own copy is freed
        s.exit("C");
        assertEquals(4, s.m.folios().liveCount());
    }

    @Test
    void dontforkAndWipeonfork() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123456789ab
        //   AAAADDDDWWWW   A copied, D dontfork, W wipeonfork
        s.mmap("P", 0, 12, Prot.RW).write("P", 0, 12);
        s.op(new Op.Madvise("P", 4, 4, Advice.DONTFORK)).op(new Op.Madvise("P", 8, 4, Advice.WIPEONFORK));
        assertEquals("0-4 rw-p 0 anon | 4-8 rw-p 4 anon | 8-c rw-p 8 anon", s.vmas("P"));
        s.fork("P", "C");
        //   C: AAAA    WWWW   (no D; W present but empty and unprepared)
        assertEquals("0-4 rw-p 0 anon | 8-c rw-p 8", s.vmas("C"));
        assertEquals(0, s.pte("C", 8));
        assertEquals(2, s.mapcount("P", 0));
        assertEquals(1, s.mapcount("P", 8));
    }

    @Test
    void zeroPageOnAndOff() {
        //   0123  read faults on never-written memory
        SimFixture on = new SimFixture(true).spawn("P");
        on.mmap("P", 0, 4, Prot.RW).read("P", 0, 4);
        assertEquals(Pte.ZERO_PAGE, on.pte("P", 0));
        assertEquals(0, on.m.folios().liveCount());
        assertFalse(on.m.task("P").mm().find(0).anonPrepared());
        //   writing a zero-page PTE copies it (wp_page_copy) and prepares the VMA
        on.write("P", 1, 1);
        assertEquals(1, on.m.folios().liveCount());
        assertTrue(on.m.task("P").mm().find(0).anonPrepared());
        //   fork of an unprepared VMA copies no PTEs (vma_needs_copy); of a prepared one it does
        SimFixture z = new SimFixture(true).spawn("P");
        z.mmap("P", 0, 4, Prot.RW).read("P", 0, 4).fork("P", "C");
        assertEquals(0, z.pte("C", 0));

        SimFixture off = new SimFixture(false).spawn("P");
        off.mmap("P", 0, 4, Prot.RW).read("P", 0, 4);
        assertEquals(4, off.m.folios().liveCount());
        assertTrue(off.exclusive("P", 0));
    }

    @Test
    void privateFileMappingsCopyOnWriteOnly() {
        SimFixture s = new SimFixture().spawn("P");
        //   0123   private file mapping: reads map the page cache, a write makes an anonymous folio
        s.mmap("P", 0, 4, Prot.RW, MapKind.file("lib", 16)).read("P", 0, 4);
        assertEquals(Pte.FILE, Pte.type(s.pte("P", 0)));
        assertEquals(0, s.m.folios().liveCount());
        s.write("P", 1, 1);
        assertTrue(Pte.isAnon(s.pte("P", 1)));
        assertEquals(1, s.m.folios().liveCount());
        //   shared mappings never make anonymous folios
        s.mmap("P", 0x10, 2, Prot.RW, MapKind.SHARED).write("P", 0x10, 2);
        assertEquals(1, s.m.folios().liveCount());
    }

    @Test
    void writesToReadOnlyOrUnmappedMemoryAreCountedNotThrown() {
        SimFixture s = new SimFixture().spawn("P");
        s.mmap("P", 0, 2, Prot.R).write("P", 0, 1).read("P", 5, 1);
        assertEquals(2, s.errors("touch SIGSEGV"));
    }

    @Test
    void stackGrowsDownOnAFaultBelowIt() {
        SimFixture s = new SimFixture().spawn("P");
        //   ...SSSS at 0x1000: a touch at 0xffc grows it (expand_downwards), pgoff moves with the start
        s.mmap("P", 0x1000, 4, Prot.RW, MapKind.STACK).write("P", 0xffc, 1);
        assertEquals("ffc-1004 rw-p ffc anon", s.vmas("P"));
    }
}
