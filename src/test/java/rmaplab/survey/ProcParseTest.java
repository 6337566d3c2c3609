package rmaplab.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rmaplab.survey.ProcParse.Region;

/**
 * The /proc parsers against files copied from this machine
 * (src/test/resources/survey/real: a bash process, kthreadd, ksoftirqd,
 * /proc/slabinfo), and their errors on malformed text.
 */
class ProcParseTest {
    static String res(String name) {
        try (InputStream in = ProcParseTest.class.getResourceAsStream("/survey/real/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    @Test void statOfAUserProcess() {
        ProcParse.Stat s = ProcParse.stat(res("bash.stat"), "bash.stat");
        assertEquals(4432, s.pid());
        assertEquals("bash", s.comm());
        assertEquals('S', s.state());
        assertEquals(4431, s.ppid());
        assertFalse(s.kernelThread());
        assertEquals(316141, s.cminflt()); // field 11: this shell has reaped children
        assertTrue(s.reapedAChild());
        assertEquals(1, s.threads());
        assertEquals(1095349, s.startTime());
    }

    @Test void statOfKernelThreads() {
        assertTrue(ProcParse.stat(res("kthreadd.stat"), "kthreadd.stat").kernelThread());
        ProcParse.Stat k = ProcParse.stat(res("ksoftirqd.stat"), "ksoftirqd.stat");
        assertTrue(k.kernelThread());
        assertEquals("ksoftirqd/0", k.comm());
        assertEquals(2, k.ppid());
    }

    @Test void commWithBlanksAndParentheses() {
        String line = "77 (a b) c) R 1 77 77 0 -1 4194560 5 0 0 0 1 2 3 4 20 0 3 0 999 0 0";
        ProcParse.Stat s = ProcParse.stat(line, "x");
        assertEquals("a b) c", s.comm());
        assertEquals('R', s.state());
        assertEquals(1, s.ppid());
        assertEquals(0, s.cminflt());
        assertEquals(3, s.cutime());
        assertEquals(4, s.cstime());
        assertEquals(3, s.threads());
        assertEquals(999, s.startTime());
        assertTrue(s.reapedAChild()); // child times alone are a trace too
    }

    @Test void statErrors() {
        assertEquals("f:1: no '(comm)' field", assertThrows(ProcFormatException.class, () -> ProcParse.stat("12 bash S 1", "f")).getMessage());
        assertEquals("f:1: 5 fields, expected at least 22",
                assertThrows(ProcFormatException.class, () -> ProcParse.stat("12 (bash) S 1 2", "f")).getMessage());
    }

    @Test void status() {
        Map<String, String> st = ProcParse.status(res("bash.status"), "bash.status");
        assertEquals("1", st.get("Threads"));
        assertEquals("0", st.get("Kthread"));
        assertEquals("1208 kB", st.get("RssAnon"));
        assertFalse(ProcParse.sigchldIgnored(st)); // SigIgn 0x4: SIGQUIT only
        assertTrue(ProcParse.sigchldIgnored(Map.of("SigIgn", "0000000000010004")));
        assertTrue(ProcParse.status("Name:\tx\nKthread:\t1\n", "s").get("Kthread").equals("1"));
        assertEquals("s:2: no 'Key:' at the start",
                assertThrows(ProcFormatException.class, () -> ProcParse.status("Name:\tx\nbroken\n", "s")).getMessage());
    }

    @Test void maps() {
        List<Region> m = ProcParse.maps(res("bash.maps"), "bash.maps");
        assertEquals(44, m.size());
        Region first = m.get(0);
        assertEquals(0x559192e47L, first.start());
        assertEquals(0x559192e76L, first.end());
        assertEquals("r--p", first.perms());
        assertEquals("/usr/bin/bash", first.path());
        assertEquals(260104, first.inode());
        assertTrue(first.fileBacked());
        assertFalse(first.anonymous()); // read-only, and maps alone shows no anonymous pages
        // the RELRO page and the data section: one file, adjacent, contiguous offsets, different protection
        Region relro = m.get(3), data = m.get(4);
        assertEquals(0x128L, relro.pgoff());
        assertEquals(0x12cL, data.pgoff());
        assertTrue(Reconstruction.splitPieces(relro, data));
        assertFalse(Reconstruction.splitPieces(data, m.get(5))); // .data (file) then .bss (anonymous)
        Region heap = m.get(6);
        assertEquals("[heap]", heap.path());
        assertTrue(heap.anonymous());
        assertFalse(heap.fileBacked());
        Region vvar = m.get(34);
        assertEquals("[vvar]", vvar.path());
        assertTrue(vvar.special());
        Region gconv = m.get(31);
        assertTrue(gconv.shared());
        assertEquals("[stack]", m.get(42).path());
        assertTrue(m.get(42).stack());
        assertEquals("[vsyscall]", m.get(43).path());
        assertEquals(0xffffffffff600L, m.get(43).start());
    }

    @Test void smapsHasTheSameVmasAsMapsWithTheirFigures() {
        List<Region> m = ProcParse.maps(res("bash.maps"), "bash.maps");
        List<Region> s = ProcParse.smaps(res("bash.smaps"), "bash.smaps");
        assertEquals(m.size(), s.size());
        for (int i = 0; i < m.size(); i++) {
            assertEquals(m.get(i).start(), s.get(i).start());
            assertEquals(m.get(i).end(), s.get(i).end());
            assertEquals(m.get(i).perms(), s.get(i).perms());
            assertEquals(m.get(i).path(), s.get(i).path());
        }
        Region data = s.get(4);
        assertEquals(36, data.anonKb());
        assertEquals(36, data.rssKb());
        assertEquals(Set.of("rd", "wr", "mr", "mw", "me", "ac"), data.vmFlags());
        assertEquals(476, s.get(6).anonKb()); // [heap]
        assertEquals(0, s.get(0).anonKb());
        assertEquals(0, s.get(6).swapKb());
    }

    @Test void mapsErrors() {
        assertEquals("m:2: expected 'START-END PERMS OFFSET DEV INODE [PATH]'",
                assertThrows(ProcFormatException.class, () -> ProcParse.maps("1000-2000 rw-p 0 00:00 0\n1000-2000 rw-p\n", "m")).getMessage());
        assertEquals("m:1: range 2000-1000 is empty or not page-aligned",
                assertThrows(ProcFormatException.class, () -> ProcParse.maps("2000-1000 rw-p 0 00:00 0\n", "m")).getMessage());
        assertEquals("m:1: permissions 'rw-x' are not rwx[ps]",
                assertThrows(ProcFormatException.class, () -> ProcParse.maps("1000-2000 rw-x 0 00:00 0\n", "m")).getMessage());
        assertEquals("s:3: expected 'N kB', found '12 MB'",
                assertThrows(ProcFormatException.class, () -> ProcParse.smaps("1000-2000 rw-p 0 00:00 0\nRss: 4 kB\nAnonymous: 12 MB\n", "s")).getMessage());
        assertEquals("s:1: a field before the first VMA line",
                assertThrows(ProcFormatException.class, () -> ProcParse.smaps("Rss: 4 kB\n", "s")).getMessage());
    }

    @Test void slabinfo() {
        Map<String, ProcParse.SlabLine> s = ProcParse.slabinfo(res("slabinfo"), "slabinfo");
        assertEquals(new ProcParse.SlabLine("anon_vma", 362, 429, 104), s.get("anon_vma"));
        assertEquals(new ProcParse.SlabLine("anon_vma_chain", 630, 1024, 64), s.get("anon_vma_chain"));
        assertEquals(new ProcParse.SlabLine("vm_area_struct", 1109, 2037, 192), s.get("vm_area_struct"));
        assertEquals("x:1: unknown slabinfo version: slabinfo - version: 1.1",
                assertThrows(ProcFormatException.class, () -> ProcParse.slabinfo("slabinfo - version: 1.1\n", "x")).getMessage());
        assertEquals("x:2: not a number where one is expected (For input string: \"many\")",
                assertThrows(ProcFormatException.class, () -> ProcParse.slabinfo("slabinfo - version: 2.1\nfoo many 3 4\n", "x")).getMessage());
    }
}
