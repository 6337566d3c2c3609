package rmaplab.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rmaplab.ledger.ObjectFigures;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.WorkloadWriter;
import rmaplab.workload.Workloads;

class TraceImporterTest {
    static final MachineConfig CFG = MachineConfig.defaults().withZeroPage(false); // this kernel: no zero page

    record Imported(List<Op> ops, String text, Truth truth, TraceImporter.Result result) {}

    static Imported importBytes(String name, byte[] bytes) throws IOException, WorkloadException {
        StringWriter sw = new StringWriter();
        Truth truth = new Truth();
        TraceImporter.Result res;
        try (WorkloadWriter w = WorkloadWriter.of(sw)) {
            res = TraceImporter.run(name, new ByteArrayInputStream(bytes), w, truth);
        }
        String text = sw.toString();
        return new Imported(Workloads.parse(name + ".rmw", text), text, truth, res);
    }

    static Imported importText(String text) throws IOException, WorkloadException {
        return importBytes("t.txt", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TraceImporterTest.class.getResourceAsStream("/record/" + name)) {
            if (in == null) throw new IOException("no resource " + name);
            return in.readAllBytes();
        }
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(plain);
        }
        return bo.toByteArray();
    }

    /** The model's allocations per (kind, op) on the 'linux' design. */
    static Map<String, Long> modelAllocations(List<Op> ops) throws Exception {
        RunResult r = Runner.run(OpSource.of("w", ops), "linux", CFG, CheckMode.END);
        assertTrue(r.ok(), "the oracle found a violation");
        Map<String, Long> out = new TreeMap<>();
        for (var e : r.ledgers().objects().byOp().entrySet())
            for (var k : e.getValue().entrySet()) {
                ObjectFigures.OpCost c = k.getValue();
                if (Truth.KINDS.contains(k.getKey()) && c.allocated() > 0) out.put(k.getKey() + " " + e.getKey(), c.allocated());
            }
        return out;
    }

    static Map<String, Long> truthAllocations(Truth t) {
        Map<String, Long> out = new TreeMap<>();
        for (var k : t.kinds.entrySet())
            for (var o : k.getValue().allocated.byOp.entrySet()) out.put(k.getKey() + " " + o.getKey(), o.getValue());
        return out;
    }

    // ------------------------------------------------------------------ real recordings

    /**
     * Recordings of `sh -c 'ls / | wc -l'` and of sh-pipelines.sh (src/test/resources/record/) made on
     * Linux 6.18: the 'linux' model allocates exactly what the kernel did, per kind and per op, but for
     * the first exec's stack, made before recording began (one vm_area_struct under mmap, one anon_vma
     * and one anon_vma_chain under touch).
     */
    @ParameterizedTest
    @ValueSource(strings = {"sh-ls-wc.txt.gz", "sh-pipelines.txt.gz"})
    void linuxModelAllocatesWhatTheKernelDid(String name) throws Exception {
        Imported im = importBytes(name, resource(name));
        Runner.validate(OpSource.of(name, im.ops()), CFG);
        Map<String, Long> expected = truthAllocations(im.truth());
        expected.merge("vm_area_struct mmap", 1L, Long::sum);
        expected.merge("anon_vma touch", 1L, Long::sum);
        expected.merge("anon_vma_chain touch", 1L, Long::sum);
        assertEquals(expected, modelAllocations(im.ops()));
        assertEquals(Map.of(), im.truth().unrepresented);
        assertTrue(im.truth().excluded.containsKey("copy_fs_struct"));
        assertFalse(im.truth().kinds.get("anon_vma").allocated.byOp.containsKey(Truth.UNATTRIBUTED));
    }

    /** python-mix.py: mremap, madvise, MAP_POPULATE, a fork, a thread and a vfork (subprocess). */
    @Test
    void richerRecording() throws Exception {
        Imported im = importBytes("python-mix.txt.gz", resource("python-mix.txt.gz"));
        Runner.validate(OpSource.of("mix", im.ops()), CFG);
        Map<String, Long> ops = im.result().ops();
        for (String k : List.of("fork", "vfork", "thread", "exec", "mremap", "madvise", "mprotect", "munmap", "touch"))
            assertTrue(ops.containsKey(k), "no " + k + " in " + ops);
        assertNull(im.truth().unrepresented.get("madvise MADV_HUGEPAGE"), "MADV_HUGEPAGE is in the format");
        assertTrue(im.truth().unrepresented.keySet().stream().noneMatch(k -> k.startsWith("MAP_STACK")));
        assertTrue(im.text().contains(" hugepage\n"), "MADV_HUGEPAGE written");
        assertTrue(im.text().contains(" stack\n") || im.text().contains(",stack\n"), "MAP_STACK written as a flag");
        assertTrue(im.text().contains(" madvise 0x"), "MADV_DONTFORK / DONTNEED written");
        // with MAP_STACK, MAP_NORESERVE and MADV_HUGEPAGE in the workload, the model allocates what the
        // kernel did, op by op, but for the first exec's stack
        Map<String, Long> expected = truthAllocations(im.truth());
        expected.merge("vm_area_struct mmap", 1L, Long::sum);
        expected.merge("anon_vma touch", 1L, Long::sum);
        expected.merge("anon_vma_chain touch", 1L, Long::sum);
        assertEquals(expected, modelAllocations(im.ops()));
    }

    /** --walks: every anonymous folio a process leaves is walked before its exit; the oracle checks the walks. */
    @Test
    void walksBeforeExitAreCheckedByTheOracle() throws Exception {
        StringWriter sw = new StringWriter();
        try (WorkloadWriter w = WorkloadWriter.of(sw)) {
            TraceImporter.run("p", new ByteArrayInputStream(resource("sh-pipelines.txt.gz")), w, new Truth(), true);
        }
        List<Op> ops = Workloads.parse("p.rmw", sw.toString());
        long walks = ops.stream().filter(o -> o instanceof Op.Walk).count();
        assertTrue(walks > 50, "walks " + walks);
        for (String design : List.of("linux", "pv")) {
            RunResult r = Runner.run(OpSource.of("p", ops), design, CFG, CheckMode.WALKS);
            assertTrue(r.ok() && r.checkedWalks() > 500, design + ": " + r.checkedWalks() + " walks checked");
        }
        // the PoC as written misses mappings (CowCtxFindingsTest); a real recording shows it too
        assertFalse(Runner.run(OpSource.of("p", ops), "cowctx", CFG, CheckMode.WALKS).ok());
    }

    @Test
    void truthFileHasTheAgreedShape(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("ls.txt.gz");
        Files.write(rec, resource("sh-ls-wc.txt.gz"));
        Imports.Outcome o = Imports.importFile(rec, dir.resolve("ls.rmw.gz"), null);
        assertEquals(dir.resolve("ls.truth.json"), o.truthFile());
        JsonNode j = new ObjectMapper().readTree(o.truthFile().toFile());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("format", "recording", "workload", "exitFreesRecorded", "zeroPage", "readFaultAnonVmas",
                "kinds", "excluded", "unrepresented", "notes"), keys);
        assertEquals("rmaplab-truth 1", j.get("format").asText());
        assertEquals("ls.txt.gz", j.get("recording").asText());
        assertEquals("ls.rmw.gz", j.get("workload").asText());
        assertFalse(j.get("exitFreesRecorded").asBoolean());
        List<String> kinds = new ArrayList<>();
        j.get("kinds").fieldNames().forEachRemaining(kinds::add);
        assertEquals(List.of("anon_vma", "anon_vma_chain", "vm_area_struct"), kinds);
        for (String k : kinds)
            for (String w : List.of("allocated", "freed")) {
                JsonNode c = j.get("kinds").get(k).get(w);
                long sum = 0, sites = 0;
                for (Iterator<JsonNode> it = c.get("byOp").elements(); it.hasNext(); ) sum += it.next().asLong();
                for (Iterator<JsonNode> it = c.get("bySite").elements(); it.hasNext(); ) sites += it.next().asLong();
                assertEquals(c.get("total").asLong(), sum, k + " " + w + " byOp");
                assertEquals(c.get("total").asLong(), sites, k + " " + w + " bySite");
            }
        assertEquals(52, j.get("kinds").get("anon_vma").get("allocated").get("total").asLong());
        assertEquals(24, j.get("kinds").get("anon_vma").get("allocated").get("byOp").get("fork").asLong());
        assertTrue(j.get("notes").isArray() && j.get("notes").size() > 0);
        assertTrue(Files.isRegularFile(dir.resolve("ls.rmw.gz")));
        assertFalse(Files.exists(dir.resolve("ls.rmw.gz.part.gz")));
    }

    // ------------------------------------------------------------------ hand-made traces

    static String l(int tid, String body) { return "          sh " + tid + " [000]     1.000000: " + body + "\n"; }

    private static long nextPtr = 0xffff888106f1b000L;

    /** A kmem line with a ptr= of its own (as in a real recording: no two live objects share one). */
    static String kmem(int tid, boolean alloc, String site, String cache) {
        return kmemAt(tid, alloc, site, cache, "0x" + Long.toHexString(nextPtr += 0x40));
    }

    static String kmemAt(int tid, boolean alloc, String site, String cache, String ptr) {
        return l(tid, (alloc ? "kmem:kmem_cache_alloc" : "kmem:kmem_cache_free") + ": call_site=" + site
                + "+0x1a ptr=" + ptr + " name=" + cache + (alloc ? " bytes_req=192 bytes_alloc=192" : ""));
    }

    static String mmap2(int tid, long start, long len, String prot, String path) {
        return l(tid, "PERF_RECORD_MMAP2 " + tid + "/" + tid + ": [0x" + Long.toHexString(start) + "(0x"
                + Long.toHexString(len) + ") @ 0 00:00 0 0]: " + prot + " " + path);
    }

    static final String START = l(100, "PERF_RECORD_COMM exec: sh:100/100")
            + mmap2(100, 0x7ffd00000000L, 0x21000, "rw-p", "[stack]");

    /** The start every hand-made trace shares: spawn, the stack mapped and its top page written. */
    static final String START_OPS = "p100 spawn\np100 mmap 0x7ffd00000 0x21 rw- stack\np100 touch 0x7ffd00020 0x1 write\n";

    /** The end of a whole recording: the recorded command exits (a recording without it was cut short). */
    static final String END = l(100, "PERF_RECORD_EXIT(100:100):(99:99)");
    static final String END_OPS = "p100 exit\n";

    static String body(Imported im) {
        return im.text().substring(im.text().indexOf('\n') + 1);
    }

    @Test
    void cloneFlagsMakeForkVforkAndThread() throws Exception {
        String t = START
                + l(100, "PERF_RECORD_FORK(101:101):(100:100)")
                + l(100, "task:task_newtask: pid=101 comm=sh clone_flags=1200000 oom_score_adj=0")
                + l(100, "PERF_RECORD_FORK(102:102):(100:100)")
                + l(100, "task:task_newtask: pid=102 comm=sh clone_flags=4111 oom_score_adj=0")
                + l(100, "PERF_RECORD_FORK(100:103):(100:100)")
                + l(100, "task:task_newtask: pid=103 comm=my thread clone_flags=3d0f00 oom_score_adj=0")
                + l(103, "PERF_RECORD_EXIT(100:103):(100:100)")
                + l(102, "PERF_RECORD_EXIT(102:102):(100:100)")
                + END;
        assertEquals(START_OPS + "p100 fork p101\np100 vfork p102\np100 thread t103\nt103 exit\np102 exit\n" + END_OPS,
                body(importText(t)));
    }

    /** A thread that execs takes the leader's tid (de_thread); the leader's exit record comes first. */
    @Test
    void execByAThreadOtherThanTheLeader() throws Exception {
        String t = START
                + l(100, "PERF_RECORD_FORK(100:102):(100:100)")
                + l(100, "task:task_newtask: pid=102 comm=python3 clone_flags=3d0f00 oom_score_adj=0")
                + kmem(102, true, "vm_area_alloc", "vm_area_struct")
                + l(100, "PERF_RECORD_EXIT(100:100):(99:99)")
                + l(100, "PERF_RECORD_COMM exec: true:100/100")
                + mmap2(100, 0x7ffe00000000L, 0x21000, "rw-p", "[stack]")
                + l(100, "PERF_RECORD_EXIT(100:100):(99:99)");
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 thread t102\np100 exit\nt102 exec\nt102 mmap 0x7ffe00000 0x21 rw- stack\n"
                + "t102 touch 0x7ffe00020 0x1 write\nt102 exit\n", body(im));
        assertEquals(Map.of("mmap", 1L), im.truth().kinds.get("vm_area_struct").allocated.byOp);
    }

    /**
     * mmap(MAP_FIXED) over a mapping: Linux replaces it inside the one call (__mmap_region: gather and
     * split, map, then free the old VMA); the workload says mmap with the FLAG fixed, and the truth puts
     * the splits, the new VMA and the free all under mmap.
     */
    @Test
    void mapFixedOverAMappingIsOneMmapWithTheFlagFixed() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00004000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000000000L, 0x4000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x7f0000001000, len: 0x00001000, prot: 0x00000001, flags: 0x00000032, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_dup", "vm_area_struct")
                + kmem(100, true, "vm_area_dup", "vm_area_struct")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000001000L, 0x1000, "r--p", "//anon")
                + kmem(100, false, "vms_complete_munmap_vmas", "vm_area_struct")
                + l(100, "exceptions:page_fault_user: address=0x7f0000003008 ip=0x1 error_code=0x6")
                + kmem(100, true, "__anon_vma_prepare", "anon_vma_chain")
                + kmem(100, true, "__anon_vma_prepare", "anon_vma")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x4 rw- anon\n"
                + "p100 mmap 0x7f0000001 0x1 r-- anon fixed\np100 touch 0x7f0000003 0x1 write\n" + END_OPS, body(im));
        Truth.Counts vmaA = im.truth().kinds.get("vm_area_struct").allocated;
        assertEquals(Map.of("mmap", 4L), vmaA.byOp);
        assertEquals(Map.of("mmap", 1L), im.truth().kinds.get("vm_area_struct").freed.byOp);
        assertTrue(im.truth().damage().isEmpty(), () -> "a MAP_FIXED mmap may split: " + im.truth().damage());
        assertEquals(Map.of("touch", 1L), im.truth().kinds.get("anon_vma").allocated.byOp);
        // and the model agrees
        Map<String, Long> expected = truthAllocations(im.truth());
        expected.merge("vm_area_struct mmap", 1L, Long::sum); // the first stack
        expected.merge("anon_vma touch", 1L, Long::sum);
        expected.merge("anon_vma_chain touch", 1L, Long::sum);
        assertEquals(expected, modelAllocations(im.ops()));
    }

    /** A read fault that makes an anon_vma shows a kernel without the zero page; a write fault shows nothing. */
    @Test
    void zeroPageModeFromReadFaultsThatMakeAnAnonVma() throws Exception {
        String map = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00004000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000000000L, 0x4000, "rw-p", "//anon");
        String prepare = kmem(100, true, "__anon_vma_prepare", "anon_vma_chain") + kmem(100, true, "__anon_vma_prepare", "anon_vma");
        Imported read = importText(map + l(100, "exceptions:page_fault_user: address=0x7f0000001008 ip=0x1 error_code=0x4") + prepare + END);
        assertEquals(1, read.truth().readFaultAnonVmas);
        assertEquals("off", read.truth().zeroPage());
        Imported write = importText(map + l(100, "exceptions:page_fault_user: address=0x7f0000001008 ip=0x1 error_code=0x6") + prepare + END);
        assertEquals(0, write.truth().readFaultAnonVmas);
        assertEquals("unknown", write.truth().zeroPage());
        // a read fault that makes nothing (the zero page, or a VMA that has its anon_vma) shows nothing either
        Imported quiet = importText(map + l(100, "exceptions:page_fault_user: address=0x7f0000001008 ip=0x1 error_code=0x4") + END);
        assertEquals("unknown", quiet.truth().zeroPage());
    }

    /** The ELF loader maps the whole image with the first segment, then unmaps the rest of it (elf_map). */
    @Test
    void execSegmentsUnmapTheRestOfTheReservation() throws Exception {
        String t = START
                + l(100, "PERF_RECORD_MMAP2 100/100: [0x555500000000(0x22000) @ 0 fe:00 77 0]: r--p /usr/bin/da sh")
                + l(100, "PERF_RECORD_MMAP2 100/100: [0x555500004000(0x13000) @ 0x4000 fe:00 77 0]: r-xp /usr/bin/da sh")
                + l(100, "PERF_RECORD_MMAP2 100/100: [0x555500017000(0x6000) @ 0x17000 fe:00 77 0]: r--p /usr/bin/da sh")
                + END;
        assertEquals(START_OPS + "p100 mmap 0x555500000 0x22 r-- file=usr/bin/da_sh.i77@0\n"
                + "p100 munmap 0x555500004 0x1e\n"
                + "p100 mmap 0x555500004 0x13 r-x file=usr/bin/da_sh.i77@4\n"
                + "p100 mmap 0x555500017 0x6 r-- file=usr/bin/da_sh.i77@23\n" + END_OPS, body(importText(t)));
    }

    /**
     * A fault below the stack grows it (expand_downwards); perf then reports the grown stack VMA as an
     * MMAP2 line. That line is no new mapping: the workload has the touch below the stack and nothing
     * else, so a forked child keeps the stack pages it shares with its parent (recordings/redis: the
     * BGSAVE child grows its stack; it was written as munmap + mmap of the whole stack).
     */
    @Test
    void stackGrowthMmap2IsTheFaultNotANewMapping() throws Exception {
        String t = START
                + l(100, "PERF_RECORD_FORK(101:101):(100:100)")
                + l(100, "task:task_newtask: pid=101 comm=sh clone_flags=1200000 oom_score_adj=0")
                + l(101, "exceptions:page_fault_user: address=0x7ffcffffeb48 ip=0x1 error_code=0x4")
                + mmap2(101, 0x7ffcffffe000L, 0x23000, "rw-p", "[stack]")
                + l(101, "exceptions:page_fault_user: address=0x7ffcffffdb48 ip=0x1 error_code=0x6")
                + mmap2(101, 0x7ffcffffd000L, 0x24000, "rw-p", "[stack]")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 fork p101\np101 touch 0x7ffcffffe 0x1 read\np101 touch 0x7ffcffffd 0x1 write\n" + END_OPS,
                body(im));
    }

    /**
     * MAP_NORESERVE sets VM_NORESERVE, which changes which VMAs Linux merges (recordings/redis:
     * jemalloc maps with MAP_NORESERVE): the workload carries it as an mmap flag.
     */
    @Test
    void mapNoreserveIsWrittenAsAFlag() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000003, flags: 0x00004022, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000000000L, 0x1000, "rw-p", "//anon")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x1 rw- anon noreserve\n" + END_OPS, body(im));
        assertEquals(Map.of(), im.truth().unrepresented);
    }

    /**
     * An mmap that fills the hole between two anonymous VMAs merges with both (vma_merge_new_range): the
     * MMAP2 line shows the merged VMA, and the new mapping is the hole in it (recordings/postgres).
     */
    @Test
    void mmapMergedOnBothSidesIsTheHole() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x7f0000000000, len: 0x00002000, prot: 0x00000003, flags: 0x00100022, fd: 0xffffffff, off: 0x00000000")
                + mmap2(100, 0x7f0000000000L, 0x2000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x7f0000005000, len: 0x00001000, prot: 0x00000003, flags: 0x00100022, fd: 0xffffffff, off: 0x00000000")
                + mmap2(100, 0x7f0000005000L, 0x1000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00003000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + mmap2(100, 0x7f0000000000L, 0x6000, "rw-p", "//anon")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x2 rw- anon\np100 mmap 0x7f0000005 0x1 rw- anon\n"
                + "p100 mmap 0x7f0000002 0x3 rw- anon\n" + END_OPS, body(im));
        assertTrue(im.truth().unrepresented.isEmpty(), im.truth().unrepresented.toString());
    }

    /**
     * An mmap that maps nothing failed: what __mmap_region allocated and freed on its error path goes to
     * 'failed', not to the mmap the workload does not write (recordings/postgres: MAP_HUGETLB with no huge
     * pages, lines 2562-2564).
     */
    @Test
    void failedMmapsObjectsGoToFailed() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x09000000, prot: 0x00000003, flags: 0x00040021, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + kmem(100, false, "__mmap_region", "vm_area_struct")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000000000L, 0x1000, "rw-p", "//anon")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x1 rw- anon\n" + END_OPS, body(im));
        var vmas = im.truth().kinds.get("vm_area_struct");
        assertEquals(Map.of("failed", 1L, "mmap", 1L), vmas.allocated.byOp);
        assertEquals(Map.of("failed", 1L), vmas.freed.byOp);
        assertTrue(im.truth().notes.contains("mmap calls that mapped nothing (failed): 1"), im.truth().notes.toString());
    }

    static String kmemAt(int tid, boolean alloc, String site, String ptr) {
        return l(tid, (alloc ? "kmem:kmem_cache_alloc" : "kmem:kmem_cache_free") + ": call_site=" + site
                + "+0x1a ptr=" + ptr + " name=vm_area_struct" + (alloc ? " bytes_req=192 bytes_alloc=192" : ""));
    }

    /**
     * A mapping made without a syscall of the event set (shmat) is unmapped without one too (shmdt):
     * the free of its VMA, told by its ptr=, is written as a munmap of it, not left to the munmap before
     * (recordings/postgres: lines 2568-2569 and 87210-87212).
     */
    @Test
    void shmdtIsTheFreeOfAHiddenMappingsVma() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + kmemAt(100, true, "vm_area_alloc", "0xffff88810b0ad300")
                + mmap2(100, 0x7f0000000000L, 0x1000, "rw-p", "//anon")
                + kmemAt(100, true, "vm_area_alloc", "0xffff88810b2c4840")
                + l(100, "PERF_RECORD_MMAP2 100/100: [0x7f0000010000(0x1000) @ 0 00:01 9 1180391173]: rw-s /SYSV0020c0b6 (deleted)")
                + l(100, "syscalls:sys_enter_munmap: addr: 0x7f0000000000, len: 0x00001000")
                + kmemAt(100, false, "vms_complete_munmap_vmas", "0xffff88810b0ad300")
                + kmemAt(100, false, "vms_complete_munmap_vmas", "0xffff88810b2c4840")
                + l(100, "exceptions:page_fault_user: address=0x7ffd00020000 ip=0x1 error_code=0x6")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x1 rw- anon\np100 mmap 0x7f0000010 0x1 rw- shared-file=SYSV0020c0b6.i9@0\n"
                + "p100 munmap 0x7f0000000 0x1\np100 munmap 0x7f0000010 0x1\np100 touch 0x7ffd00020 0x1 write\n" + END_OPS, body(im));
        assertEquals(Map.of("munmap", 2L), im.truth().kinds.get("vm_area_struct").freed.byOp);
        assertTrue(im.truth().notes.contains("unmappings without a syscall of the event set (shmdt; written as munmap): 1"),
                im.truth().notes.toString());
    }

    /**
     * PROT_WRITE without PROT_READ is written as it is (-w-, then -wx): the VMA has no VM_READ and so
     * does not merge with the rw- neighbour above it (java -version: lines 794-799 of its recording).
     */
    @Test
    void protectionsWithoutReadAreWrittenAsTheyAre() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x7f0000001000, len: 0x00001000, prot: 0x00000003, flags: 0x00100022, fd: 0xffffffff, off: 0x00000000")
                + mmap2(100, 0x7f0000001000L, 0x1000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000002, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x7f0000000000L, 0x1000, "-w-p", "//anon")
                + l(100, "syscalls:sys_enter_mprotect: start: 0x7f0000000000, len: 0x00001000, prot: 0x00000006")
                + mmap2(100, 0x7f0000000000L, 0x1000, "-wxp", "//anon")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x7f0000001 0x1 rw- anon\np100 mmap 0x7f0000000 0x1 -w- anon\n"
                + "p100 mprotect 0x7f0000000 0x1 -wx\n" + END_OPS, body(im));
        assertEquals(Map.of(), im.truth().unrepresented);
    }

    @Test
    void brkGrowsAndShrinksTheHeap() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_brk: brk: 0x00000000")
                + l(100, "syscalls:sys_exit_brk: 0x555600000000")
                + l(100, "syscalls:sys_enter_brk: brk: 0x555600021000")
                + kmem(100, true, "vm_area_alloc", "vm_area_struct")
                + mmap2(100, 0x555600000000L, 0x21000, "rw-p", "//anon")
                + l(100, "syscalls:sys_exit_brk: 0x555600021000")
                + l(100, "syscalls:sys_enter_brk: brk: 0x555600010800")
                + l(100, "syscalls:sys_exit_brk: 0x555600010800")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + "p100 mmap 0x555600000 0x21 rw- anon\np100 munmap 0x555600011 0x10\n" + END_OPS, body(im));
        assertEquals(Map.of("mmap", 1L), im.truth().kinds.get("vm_area_struct").allocated.byOp);
    }

    /** dup_mmap's allocations come before task_newtask, after copy_fs_struct; the mprotect's split before them stays its own. */
    @Test
    void forkAllocationsBelongToFork() throws Exception {
        String t = START
                + l(100, "syscalls:sys_enter_mprotect: start: 0x7ffd00000000, len: 0x00001000, prot: 0x00000000")
                + kmem(100, true, "vm_area_dup", "vm_area_struct")
                + kmem(100, true, "anon_vma_clone", "anon_vma_chain")
                + kmem(100, true, "copy_fs_struct", "anon_vma_chain")
                + kmem(100, true, "vm_area_dup", "vm_area_struct")
                + kmem(100, true, "anon_vma_clone", "anon_vma_chain")
                + kmem(100, true, "anon_vma_fork", "anon_vma")
                + kmem(100, true, "anon_vma_fork", "anon_vma_chain")
                + l(100, "PERF_RECORD_FORK(101:101):(100:100)")
                + l(100, "task:task_newtask: pid=101 comm=sh clone_flags=1200000 oom_score_adj=0")
                + END;
        Imported im = importText(t);
        assertEquals(Map.of("fork", 1L, "mprotect", 1L), im.truth().kinds.get("vm_area_struct").allocated.byOp);
        assertEquals(Map.of("fork", 2L, "mprotect", 1L), im.truth().kinds.get("anon_vma_chain").allocated.byOp);
        assertEquals(Map.of("copy_fs_struct", 1L), im.truth().excluded);
    }

    /**
     * mremap from its enter and exit events: a resize in place, then a move onto a mapping (unmapped
     * first); a failed one writes nothing. A fault below the stack grows it. MADV_DONTFORK keeps a
     * range out of the child, so the child's mmap there needs no munmap.
     */
    @Test
    void mremapMadviseAndStackGrowth() throws Exception {
        String anon = "prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000";
        String t = START
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00002000, " + anon)
                + mmap2(100, 0x7f0000000000L, 0x2000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, " + anon)
                + mmap2(100, 0x7f0000010000L, 0x1000, "rw-p", "//anon")
                + l(100, "syscalls:sys_enter_mremap: addr: 0x7f0000000000, old_len: 0x00002000, new_len: 0x00003000, flags: 0x00000001, new_addr: 0x00000000")
                + l(100, "syscalls:sys_exit_mremap: 0x7f0000000000")
                + l(100, "syscalls:sys_enter_mremap: addr: 0x7f0000000000, old_len: 0x00003000, new_len: 0x00003000, flags: 0x00000003, new_addr: 0x7f0000010000")
                + kmem(100, false, "vms_complete_munmap_vmas", "vm_area_struct") // the target
                + kmem(100, true, "vm_area_dup", "vm_area_struct") // copy_vma
                + kmem(100, false, "vms_complete_munmap_vmas", "vm_area_struct") // the old VMA
                + l(100, "syscalls:sys_exit_mremap: 0x7f0000010000")
                + l(100, "syscalls:sys_enter_mremap: addr: 0x7f0000000000, old_len: 0x00001000, new_len: 0x00002000, flags: 0x00000000, new_addr: 0x00000000")
                + l(100, "syscalls:sys_exit_mremap: 0xfffffffffffffff4")
                + l(100, "exceptions:page_fault_user: address=0x7ffcfffff010 ip=0x1 error_code=0x6")
                + l(100, "syscalls:sys_enter_madvise: start: 0x7f0000010000, len_in: 0x00003000, behavior: 0x0000000a")
                + l(100, "PERF_RECORD_FORK(101:101):(100:100)")
                + l(100, "task:task_newtask: pid=101 comm=sh clone_flags=1200000 oom_score_adj=0")
                + l(101, "syscalls:sys_enter_mmap: addr: 0x7f0000010000, len: 0x00001000, prot: 0x00000003, flags: 0x00000032, fd: 0xffffffff, off: 0x00000000")
                + mmap2(101, 0x7f0000010000L, 0x1000, "rw-p", "//anon")
                + END;
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x2 rw- anon\np100 mmap 0x7f0000010 0x1 rw- anon\n"
                + "p100 mremap 0x7f0000000 0x2 0x7f0000000 0x3\n"
                + "p100 munmap 0x7f0000010 0x1\np100 mremap 0x7f0000000 0x3 0x7f0000010 0x3\n"
                + "p100 touch 0x7ffcfffff 0x1 write\n"
                + "p100 madvise 0x7f0000010 0x3 dontfork\np100 fork p101\np101 mmap 0x7f0000010 0x1 rw- anon\n" + END_OPS,
                body(importText(t)));
        Truth.Kind vma = importText(t).truth().kinds.get("vm_area_struct");
        assertEquals(Map.of("mremap", 1L), vma.allocated.byOp);
        assertEquals(Map.of("munmap", 1L, "mremap", 1L), vma.freed.byOp);
    }

    @Test
    void whatCannotBeWrittenIsCounted() throws Exception {
        String t = START
                + l(100, "exceptions:page_fault_user: address=0x1000 ip=0x1 error_code=0x6")
                + l(100, "syscalls:sys_enter_madvise: start: 0x7ffd00000000, len_in: 0x00001000, behavior: 0x00000008")
                + l(100, "PERF_RECORD_LOST lost 12")
                + l(100, "sched:sched_switch: prev_comm=sh")
                + END;
        Imported im = importText(t);
        assertEquals(START_OPS + END_OPS, body(im));
        assertEquals(Map.of("page faults outside any known mapping", 1L, "madvise MADV_FREE", 1L,
                "lost events (PERF_RECORD_LOST lines)", 1L, "event sched:sched_switch (not in the event set)", 1L),
                im.truth().unrepresented);
    }

    @Test
    void badInputIsFileLineError() throws Exception {
        assertEquals("t.txt:3: munmap addr 0x7f0000000800 is not page-aligned", assertThrows(WorkloadException.class,
                () -> importText(START + l(100, "syscalls:sys_enter_munmap: addr: 0x7f0000000800, len: 0x00001000"))).getMessage());
        assertEquals("t.txt:3: not a line of perf script output: 'garbage'", assertThrows(WorkloadException.class,
                () -> importText(START + "garbage\n")).getMessage());
        assertEquals("t.txt:3: malformed PERF_RECORD_MMAP2 line", assertThrows(WorkloadException.class,
                () -> importText(START + l(100, "PERF_RECORD_MMAP2 100/100: [0x1000(0x10"))).getMessage());
        byte[] gz = resource("sh-ls-wc.txt.gz");
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        String m = assertThrows(WorkloadException.class, () -> importBytes("cut.txt.gz", cut)).getMessage();
        assertTrue(m.matches("cut\\.txt\\.gz:\\d+: cannot read further \\(truncated or corrupted file\\?\\): .*"), m);
    }

    // ------------------------------------------------------------------ damaged recordings

    /**
     * A real recording damaged at random places, many times (seeded): every import either succeeds, and
     * then its workload passes the runner's validation, or fails with a clean FILE:LINE error. Nothing else.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"sh-ls-wc.txt.gz, 300", "python-mix.txt.gz, 120"})
    void damagedRecordingsFailCleanly(String recording, int times) throws Exception {
        byte[] gz = resource(recording);
        byte[] plain = gunzip(gz);
        long seed = Long.getLong("rmaplab.fuzz.seed", 0x5eed_1e55L); // -Drmaplab.fuzz.seed=N explores other damage
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        int ok = 0, failed = 0;
        for (int i = 0; i < times; i++) {
            int how = rnd.nextInt(6);
            byte[] bad = switch (how) {
                case 0 -> java.util.Arrays.copyOf(plain, rnd.nextInt(plain.length)); // truncated text
                case 1 -> flip(plain, rnd, 1 + rnd.nextInt(8)); // bytes flipped
                case 2 -> editLines(plain, rnd, false); // lines deleted
                case 3 -> editLines(plain, rnd, true); // lines duplicated
                case 4 -> java.util.Arrays.copyOf(gz, rnd.nextInt(gz.length)); // truncated gzip
                default -> flip(gz, rnd, 1 + rnd.nextInt(3)); // damaged gzip
            };
            String name = "damaged-" + i + (how >= 4 ? ".txt.gz" : ".txt");
            try {
                Imported im = importBytes(name, bad);
                Runner.validate(OpSource.of(name, im.ops()), CFG);
                ok++;
            } catch (WorkloadException e) {
                String msg = e.getMessage();
                assertTrue(msg.matches("\\Q" + name + "\\E:\\d+: .+") && !msg.contains("internal error"),
                        "seed " + seed + " iteration " + i + " (damage " + how + "): " + msg);
                failed++;
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + seed + " iteration " + i + " (damage " + how + "): " + e, e);
            }
        }
        assertTrue(ok > 20 && failed > 20, "ok " + ok + ", failed " + failed);
    }

    static byte[] flip(byte[] b, java.util.SplittableRandom rnd, int n) {
        byte[] c = b.clone();
        for (int k = 0; k < n; k++) {
            int at = rnd.nextInt(c.length);
            c[at] = (byte) (c[at] ^ (1 << rnd.nextInt(8)));
        }
        return c;
    }

    static byte[] editLines(byte[] b, java.util.SplittableRandom rnd, boolean duplicate) {
        List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
        int n = 1 + rnd.nextInt(5);
        for (int k = 0; k < n && lines.size() > 1; k++) {
            int at = rnd.nextInt(lines.size());
            if (duplicate) lines.add(at, lines.get(at));
            else lines.remove(at);
        }
        return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }
}
