package rmaplab.design.linux;

import static org.junit.jupiter.api.Assertions.*;
import static rmaplab.design.linux.LiveObjects.anonVmas;
import static rmaplab.design.linux.LiveObjects.avcs;
import static rmaplab.design.linux.LiveObjects.vmas;

import org.junit.jupiter.api.Test;

/**
 * Ports of test_dup_anon_vma of tools/testing/vma (tests/merge.c): the five
 * merges in which a VMA without an anon_vma takes over one from a VMA it
 * absorbs or is absorbed by (dup_anon_vma), as VmaHarnessTest ports the
 * other anon_vma cases: a real anon_vma made by a write fault in place of
 * the harness's dummy, pages counted from 0x100, drawings in
 * AddressSpaceDrawing's legend.
 */
class DupAnonVmaTest {
    /** test_dup_anon_vma 1: vma_expand of an unfaulted prev over a faulted next. */
    @Test
    void testDupAnonVmaExpand() {
        // prev unfaulted, next faulted, a hole between
        Sim s = new Sim("test_dup_anon_vma_1").run("""
                P spawn
                P mmap 0x100 0x3 rw- anon
                P mmap 0x105 0x3 rw- anon
                P touch 0x105 0x1 write
                """);
        s.assertDrawing("P", """
                     -
                01234567
                AAA..bbb
                """);
        AnonVma av = s.anonVma("P", 0x105);
        // new [3,5): prev expands over it and over next, taking next's anon_vma
        s.run("P mmap 0x103 0x2 rw- anon");
        s.assertDrawing("P", """
                   <>
                01234567
                aaaaaaaa
                """);
        s.assertVma("P", 0x100, 0x108);
        assertSame(av, s.anonVma("P", 0x100));
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }

    /** test_dup_anon_vma 2: unfaulted middle between unfaulted prev and faulted next. */
    @Test
    void testDupAnonVmaUnfaultedMiddle() {
        Sim s = new Sim("test_dup_anon_vma_2").run("""
                P spawn
                P mmap 0x100 0x3 rw- anon
                P mmap 0x103 0x2 r-- anon
                P mmap 0x105 0x3 rw- anon
                P touch 0x105 0x1 write
                """);
        s.assertDrawing("P", """
                     -
                01234567
                AAABBccc
                """);
        AnonVma av = s.anonVma("P", 0x105);
        s.run("P mprotect 0x103 0x2 rw-");
        s.assertDrawing("P", """
                   <>
                01234567
                aaaaaaaa
                """);
        s.assertVma("P", 0x100, 0x108);
        assertSame(av, s.anonVma("P", 0x100));
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }

    /** test_dup_anon_vma 3: faulted middle, unfaulted prev and next. */
    @Test
    void testDupAnonVmaFaultedMiddle() {
        Sim s = new Sim("test_dup_anon_vma_3").run("""
                P spawn
                P mmap 0x103 0x2 rw- anon
                P touch 0x103 0x1 write
                P mprotect 0x103 0x2 r--
                """);
        AnonVma av = s.anonVma("P", 0x103);
        s.run("""
                P mmap 0x100 0x3 rw- anon
                P mmap 0x105 0x3 rw- anon
                """);
        s.assertDrawing("P", """
                     <->
                01234567
                AAAbbCCC
                """);
        assertEquals(3, s.vmaCount("P"));
        s.run("P mprotect 0x103 0x2 rw-");
        s.assertDrawing("P", """
                   <>
                01234567
                aaaaaaaa
                """);
        s.assertVma("P", 0x100, 0x108);
        assertSame(av, s.anonVma("P", 0x100));
        s.assertLive(anonVmas(1), avcs(1), vmas(1));
        s.replay();
    }

    /** test_dup_anon_vma 4: partial left merge of a faulted middle into an unfaulted prev. */
    @Test
    void testDupAnonVmaPartialLeft() {
        Sim s = new Sim("test_dup_anon_vma_4").run("""
                P spawn
                P mmap 0x103 0x5 rw- anon
                P touch 0x103 0x1 write
                P mprotect 0x103 0x5 r--
                """);
        AnonVma av = s.anonVma("P", 0x103);
        s.run("P mmap 0x100 0x3 rw- anon");
        s.assertDrawing("P", """
                <->
                01234567
                AAAbbbbb
                """);
        LiveObjects before = s.objects();
        // [3,5) rw-: prev takes it (and a copy of middle's chain)
        s.run("P mprotect 0x103 0x2 rw-");
        s.assertDrawing("P", """
                   <>
                01234567
                aaaaabbb
                """);
        s.assertVma("P", 0x100, 0x105);
        s.assertVma("P", 0x105, 0x108);
        assertSame(av, s.anonVma("P", 0x100));
        s.assertChange(before, anonVmas(0), avcs(+1), vmas(0));
        s.replay();
    }

    /** test_dup_anon_vma 5: partial right merge of a faulted VMA into an unfaulted next. */
    @Test
    void testDupAnonVmaPartialRight() {
        Sim s = new Sim("test_dup_anon_vma_5").run("""
                P spawn
                P mmap 0x103 0x5 rw- anon
                P touch 0x103 0x1 write
                P mprotect 0x103 0x5 r--
                """);
        AnonVma av = s.anonVma("P", 0x103);
        s.run("P mmap 0x108 0x2 rw- anon");
        s.assertDrawing("P", """
                        <>
                0123456789
                ...aaaaaBB
                """);
        LiveObjects before = s.objects();
        // [6,8) rw-: next takes it
        s.run("P mprotect 0x106 0x2 rw-");
        s.assertDrawing("P", """
                      <>
                0123456789
                ...aaabbbb
                """);
        s.assertVma("P", 0x103, 0x106);
        s.assertVma("P", 0x106, 0x10a);
        assertSame(av, s.anonVma("P", 0x106));
        s.assertChange(before, anonVmas(0), avcs(+1), vmas(0));
        s.replay();
    }
}
