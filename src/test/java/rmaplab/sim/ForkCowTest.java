package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Fork, copy-on-write and the zero page (dup_mmap, copy_page_range,
 * do_wp_page, do_anonymous_page). The drawings follow AddressSpaceDrawing's
 * legend.
 */
class ForkCowTest {
    @Test
    void forkSharesPagesAndCowCopiesOrReuses() {
        // P writes all four
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- anon
                P touch 0x0 0x4 write
                """);
        assertTrue(s.exclusive("P", 0));
        // fork: every page shared, write-protected, not exclusive
        s.run("P fork C");
        s.assertDrawing("C", """
                0123
                aaaa
                """);
        assertEquals(s.folio("P", 0), s.folio("C", 0));
        assertEquals(2, s.mapcount("P", 0));
        assertFalse(s.exclusive("P", 0));
        assertFalse(Pte.writable(s.pte("P", 0)));
        // C writes page 0: wp_page_copy gives C a new exclusive folio; P's is mapped once now
        s.run("C touch 0x0 0x1 write");
        assertNotEquals(s.folio("P", 0), s.folio("C", 0));
        assertEquals(1, s.mapcount("P", 0));
        assertTrue(s.exclusive("C", 0));
        // P writes page 0: mapcount 1, so wp_can_reuse_anon_folio reuses it (no copy)
        int before = s.folio("P", 0);
        s.run("P touch 0x0 0x1 write");
        assertEquals(before, s.folio("P", 0));
        assertTrue(s.exclusive("P", 0));
        // P writes page 1, still shared with C: a copy
        int shared = s.folio("P", 1);
        s.run("P touch 0x1 0x1 write");
        assertNotEquals(shared, s.folio("P", 1));
        assertEquals(1, s.m.folios().mapcount(shared));
        // C exits: every folio only P maps stays; C's own copy is freed
        s.run("C exit");
        assertEquals(4, s.m.folios().liveCount());
    }

    @Test
    void dontforkAndWipeonfork() {
        // A copied, B dontfork, C wipeonfork
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0xc rw- anon
                P touch 0x0 0xc write
                P madvise 0x4 0x4 dontfork
                P madvise 0x8 0x4 wipeonfork
                """);
        s.assertDrawing("P", """
                        <-->
                0123456789ab
                aaaabbbbcccc
                """);
        assertEquals("0-4 rw-p 0 anon | 4-8 rw-p 4 anon | 8-c rw-p 8 anon", s.vmas("P"));
        s.run("P fork C");
        // the child has no copy of B; its C is present but empty and unprepared
        s.assertDrawing("C", """
                0123456789ab
                aaaa....BBBB
                """);
        assertEquals("0-4 rw-p 0 anon | 8-c rw-p 8", s.vmas("C"));
        assertEquals(0, s.pte("C", 8));
        assertEquals(2, s.mapcount("P", 0));
        assertEquals(1, s.mapcount("P", 8));
    }

    @Test
    void zeroPageOnAndOff() {
        // read faults on never-written memory
        String readFaults = """
                P spawn
                P mmap 0x0 0x4 rw- anon
                P touch 0x0 0x4 read
                """;
        SimFixture on = new SimFixture(true).run(readFaults);
        on.assertDrawing("P", """
                <-->
                0123
                AAAA
                """);
        assertEquals(Pte.ZERO_PAGE, on.pte("P", 0));
        assertEquals(0, on.m.folios().liveCount());
        assertFalse(on.m.task("P").mm().find(0).anonPrepared());
        // writing a zero-page PTE copies it (wp_page_copy) and prepares the VMA
        on.run("P touch 0x1 0x1 write");
        on.assertDrawing("P", """
                 -
                0123
                aaaa
                """);
        assertEquals(1, on.m.folios().liveCount());
        assertTrue(on.m.task("P").mm().find(0).anonPrepared());
        // fork of an unprepared VMA copies no PTEs (vma_needs_copy); of a prepared one it does
        SimFixture z = new SimFixture(true).run(readFaults).run("P fork C");
        assertEquals(0, z.pte("C", 0));

        SimFixture off = new SimFixture(false).run(readFaults);
        assertEquals(4, off.m.folios().liveCount());
        assertTrue(off.exclusive("P", 0));
    }

    @Test
    void privateFileMappingsCopyOnWriteOnly() {
        // private file mapping: reads map the page cache, a write makes an anonymous folio
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x4 rw- file=lib@16
                P touch 0x0 0x4 read
                """);
        assertEquals(Pte.FILE, Pte.type(s.pte("P", 0)));
        assertEquals(0, s.m.folios().liveCount());
        s.run("P touch 0x1 0x1 write");
        assertTrue(Pte.isAnon(s.pte("P", 1)));
        assertEquals(1, s.m.folios().liveCount());
        // shared mappings never make anonymous folios, nor get an anon_vma
        s.run("""
                P mmap 0x10 0x2 rw- shared
                P touch 0x10 0x2 write
                """);
        s.assertDrawing("P", """
                                <>
                0123456789abcdef01
                aaaa............BB
                """);
        assertEquals(1, s.m.folios().liveCount());
    }

    @Test
    void writesToReadOnlyOrUnmappedMemoryAreCountedNotThrown() {
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x0 0x2 r-- anon
                P touch 0x0 0x1 write
                P touch 0x5 0x1 read
                """);
        assertEquals(2, s.errors("touch SIGSEGV"));
    }

    @Test
    void stackGrowsDownOnAFaultBelowIt() {
        // a stack at 0x1000: a touch at 0xffc grows it (expand_downwards), pgoff moves with the start
        SimFixture s = new SimFixture().run("""
                P spawn
                P mmap 0x1000 0x4 rw- stack
                P touch 0xffc 0x1 write
                """);
        s.assertDrawing("P", """
                            -
                0123456789abcdef0123
                ............aaaaaaaa
                """);
        assertEquals("ffc-1004 rw-p ffc anon", s.vmas("P"));
    }
}
