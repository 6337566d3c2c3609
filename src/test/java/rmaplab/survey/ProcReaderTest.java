package rmaplab.survey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on a fake /proc ({@link FakeProc}): what it keeps, drops, skips and counts. */
class ProcReaderTest {
    @TempDir Path tmp;

    @Test void readsProcessesPagesAndFrames() throws Exception {
        Snapshot s = new ProcReader(FakeProc.make(tmp), Long.MAX_VALUE, 4).read();
        assertEquals(List.of(1, 4), s.procs().stream().map(Snapshot.Proc::pid).toList());
        assertEquals(1, s.kernelThreads());
        assertEquals(1, s.vanished()); // pid 3 has a stat and nothing else
        assertTrue(s.pfns());
        assertEquals(4, s.selfPid());
        Snapshot.Proc p1 = s.procs().get(0), p4 = s.procs().get(1);
        assertEquals("/init", p1.exe());
        assertEquals(1, p1.threads());
        assertEquals(8, p1.rssAnonKb());
        assertEquals(2, p1.regions().size());
        assertTrue(p1.regions().get(1).shared());
        // 0x402 is a file page and 0x403 is not present: only two anonymous pages
        assertArrayEquals(new long[] {0x400, 0x401}, p1.vpages());
        assertEquals(0x10, Snapshot.pfn(p1.entries()[0]));
        assertFalse(Snapshot.exclusive(p1.entries()[0]));
        // 0x401 of pid 4 is the zero page by kpageflags: dropped
        assertArrayEquals(new long[] {0x400}, p4.vpages());
        assertEquals(2, s.frames().get(0x10L)[0]); // kpagecount
        assertEquals(FakeProc.ANON, s.frames().get(0x10L)[1]);
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("1 present private pages are the zero page")), s.notes().toString());
        // the private VMAs were read (4 + 2 entries); the shared one was not
        assertEquals(6, s.scanned());
        assertEquals(0, s.fromSmaps());
    }

    @Test void pastTheScanCapPagesComeFromSmaps() throws Exception {
        Snapshot s = new ProcReader(FakeProc.make(tmp), 3, 0).read();
        // pid 1's VMA (4 entries) does not fit in 3: its 8 kB of smaps become 2 pages at its start;
        // pid 4's (2 entries) still fits
        assertEquals(1, s.fromSmaps());
        assertEquals(2, s.scanned());
        Snapshot.Proc p1 = s.procs().get(0);
        assertArrayEquals(new long[] {0x400, 0x401}, p1.vpages());
        assertTrue((p1.entries()[0] & ProcParse.SYNTHETIC) != 0);
        assertEquals(0, s.selfPid());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("--max-scan")), s.notes().toString());
    }

    @Test void mergedSlabCache() throws Exception {
        Slabs sl = Slabs.read(FakeProc.make(tmp).resolve("slabinfo"), FakeProc.sysSlab(tmp));
        assertEquals(":A-0000064", sl.merged().get("anon_vma_chain"));
        assertEquals(List.of("eventpoll_pwq", "fs_cache"), sl.sharers().get("anon_vma_chain"));
        assertFalse(sl.merged().containsKey("anon_vma"));
        assertEquals(362, sl.lines().get("anon_vma").active());
        assertTrue(sl.notes().isEmpty());
        Slabs none = Slabs.read(tmp.resolve("nothing"), tmp.resolve("nothing-either"));
        assertTrue(none.lines().isEmpty());
        assertEquals(2, none.notes().size());
    }
}
