package rmaplab.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.ObjectFigures;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.sim.MachineConfig;
import rmaplab.survey.ProcParse.Region;
import rmaplab.survey.Reconstruction.How;
import rmaplab.workload.Op;
import rmaplab.workload.WorkloadWriter;

/**
 * The state → workload reconstruction on a small fixture tree, with every
 * expected count worked out by hand below.
 *
 * <pre>
 *   pid 1  init      [0x1000,0x1004) rw-p anon, pages 0x1000 0x1001 (frames 100 101)
 *                    [0x1004,0x1006) rw-p anon, page 0x1004 (frame 104): adjacent, same
 *                    protection, yet apart in the kernel: kept apart by a one-page shift
 *   pid 10 server    exe /srv (its parent's is /init: it exec'd)
 *                    [0x2000,0x2002) r--p lib@0   page 0x2001 (200, RELRO written before mprotect)
 *                    [0x2002,0x2003) rw-p lib@2   page 0x2002 (201)   one mapping split by mprotect
 *                    [0x3000,0x3004) rw-p [heap]  pages 0x3000-0x3003 (300-303)
 *                    [0x7000,0x7004) rw-p [stack] page 0x7003 (700)
 *   pid 11 worker    fork of 10, no exec: shares 200 201 300 301 303; wrote 0x3002 (1102);
 *                    its stack page 0x7003 is its own (1100), and 0x7002 (1101)
 *   pid 12 worker    fork of 10: shares 200 201 300 301 302 700; dropped 0x3003; heap grew to
 *                    0x3006 with 0x3004 0x3005 (1204 1205); stack grew down to 0x6ffe (1206)
 *   pid 20 sh        exe /bin/sh: [0x5000,0x5002) rw-p anon page 0x5000 (500);
 *                    [0x7100,0x7102) rw-p [stack] page 0x7101 (501)
 *   pid 21 cat       child of 20, exe /bin/cat: [0x5000,0x5001) rw-p anon page 0x5000 (510)
 * </pre>
 */
class ReconstructionTest {
    static final String LIB_DEV = "08:01";

    static Region anon(long s, long e, String path) {
        return new Region(s, e, "rw-p", 0, "00:00", 0, path, Set.of("rd", "wr", "mr", "mw", "me", "ac"), 0, 4, 0, 0);
    }

    static Region lib(long s, long e, String perms, long pgoff) {
        return new Region(s, e, perms, pgoff, LIB_DEV, 5, "/lib/libx.so", Set.of(), 0, 4, 0, 0);
    }

    /** A process; pages as (vpage, frame) pairs; a frame mapped by several processes is not exclusive. */
    static Snapshot.Proc proc(int pid, int ppid, long start, String exe, List<Region> regions, long[][] pages,
                              Map<Long, Integer> mapcount, boolean pfns) {
        long[] vp = new long[pages.length], en = new long[pages.length];
        for (int i = 0; i < pages.length; i++) {
            vp[i] = pages[i][0];
            long frame = pages[i][1];
            boolean excl = mapcount.get(frame) == 1;
            en[i] = ProcParse.PM_PRESENT | (excl ? ProcParse.PM_EXCLUSIVE : 0) | (pfns ? frame : 0);
        }
        ProcParse.Stat st = new ProcParse.Stat(pid, "p" + pid, 'S', ppid, 0x400000, 0, 0, 0, 0, 1, start);
        return new Snapshot.Proc(st, 1, exe, false, true, 4, regions, vp, en);
    }

    static Snapshot tree(boolean pfns) {
        long[][][] pages = {
                {{0x1000, 100}, {0x1001, 101}, {0x1004, 104}},
                {{0x2001, 200}, {0x2002, 201}, {0x3000, 300}, {0x3001, 301}, {0x3002, 302}, {0x3003, 303}, {0x7003, 700}},
                {{0x2001, 200}, {0x2002, 201}, {0x3000, 300}, {0x3001, 301}, {0x3002, 1102}, {0x3003, 303}, {0x7002, 1101}, {0x7003, 1100}},
                {{0x2001, 200}, {0x2002, 201}, {0x3000, 300}, {0x3001, 301}, {0x3002, 302}, {0x3004, 1204}, {0x3005, 1205},
                        {0x6ffe, 1206}, {0x7003, 700}},
                {{0x5000, 500}, {0x7101, 501}},
                {{0x5000, 510}},
        };
        Map<Long, Integer> mc = new TreeMap<>();
        for (long[][] p : pages) for (long[] pg : p) mc.merge(pg[1], 1, Integer::sum);
        List<Region> server = List.of(lib(0x2000, 0x2002, "r--p", 0), lib(0x2002, 0x2003, "rw-p", 2),
                anon(0x3000, 0x3004, "[heap]"), anon(0x7000, 0x7004, "[stack]"));
        List<Region> grown = List.of(lib(0x2000, 0x2002, "r--p", 0), lib(0x2002, 0x2003, "rw-p", 2),
                anon(0x3000, 0x3006, "[heap]"), anon(0x6ffe, 0x7004, "[stack]"));
        List<Snapshot.Proc> procs = new ArrayList<>();
        procs.add(proc(1, 0, 1, "/init", List.of(anon(0x1000, 0x1004, ""), anon(0x1004, 0x1006, "")), pages[0], mc, pfns));
        procs.add(proc(10, 1, 5, "/srv", server, pages[1], mc, pfns));
        procs.add(proc(11, 10, 6, "/srv", server, pages[2], mc, pfns));
        procs.add(proc(12, 10, 7, "/srv", grown, pages[3], mc, pfns));
        procs.add(proc(20, 1, 8, "/bin/sh", List.of(anon(0x5000, 0x5002, ""), anon(0x7100, 0x7102, "[stack]")), pages[4], mc, pfns));
        procs.add(proc(21, 20, 9, "/bin/cat", List.of(anon(0x5000, 0x5001, "")), pages[5], mc, pfns));
        return new Snapshot(procs, 0, 0, pfns, Map.of(), 0, Long.MAX_VALUE, 0, true, 0, List.of());
    }

    static Map<String, Long> live(RunResult r) {
        Map<String, Long> m = new TreeMap<>();
        for (ObjectFigures.Type t : r.ledgers().objects().types().values()) m.put(t.name(), t.live());
        return m;
    }

    @Test void rebuildsTheTreeWithFrameNumbers() throws Exception {
        MachineConfig cfg = MachineConfig.defaults();
        Reconstruction.Result res = new Reconstruction(tree(true), cfg).build();
        assertEquals(Map.of(1, How.ROOT, 10, How.EXEC, 11, How.FORK_SHARED_PAGES, 12, How.FORK_SHARED_PAGES,
                20, How.EXEC, 21, How.EXEC), res.how());
        Reconstruction.Stats st = res.stats();
        // 11 keeps 200 201 300 301 303, 12 keeps 200 201 300 301 302 700
        assertEquals(11, st.pagesInherited);
        // 11 writes 0x3002 0x7002 0x7003, 12 writes 0x3004 0x3005 0x6ffe
        assertEquals(6, st.pagesWritten);
        // 12 drops 0x3003
        assertEquals(1, st.pagesDropped);
        assertEquals(1, st.shifts); // at 0x1004
        assertEquals(1, st.splitRuns); // 10's RELRO + data (its forked children inherit the split)
        assertEquals(st.realVmas, st.modelVmas);
        assertEquals(17, st.realVmas); // 2 + 4 + 4 + 4 + 2 + 1
        assertEquals(30, st.realAnonPtes);
        assertEquals(30, st.modelAnonPtes);
        assertEquals(19, st.realFrames);
        assertEquals(19, st.modelFolios); // all sharing here is parent-child: reproduced exactly
        assertTrue(st.modelErrors.isEmpty(), st.modelErrors.toString());

        OpSource src = OpSource.of("fixture", res.ops());
        RunResult linux = Runner.run(src, "linux", cfg, CheckMode.EVERY_OP);
        assertTrue(linux.ok(), linux.violations().toString());
        Map<String, Long> l = live(linux);
        // anon_vma: init 2 (kept apart); server 3 (RELRO and data share one, heap, stack);
        // each worker 4 (anon_vma_fork gives every copied VMA its own, the split pieces too);
        // sh 2; cat 1 = 2 + 3 + 4 + 4 + 2 + 1
        assertEquals(16, l.get("anon_vma"));
        // chains: init 2; server 4 (one per VMA); each worker 8 (own + the server's, per VMA); sh 2; cat 1
        assertEquals(25, l.get("anon_vma_chain"));
        assertEquals(17, l.get("vm_area_struct"));
        RunResult pv = Runner.run(src, "pv", cfg, CheckMode.EVERY_OP);
        assertTrue(pv.ok());
        assertEquals(30, live(pv).get("pv_entry")); // one per mapping
    }

    /**
     * A vfork child caught before its exec shares its parent's mm: /proc shows
     * the same VMAs and the same exclusive frames in both. It is rebuilt as a
     * vfork (one mm), not as a fork (a copy), and its VMAs are not counted twice.
     */
    @Test void aVforkChildSharesItsParentsMm() throws Exception {
        Map<Long, Integer> mc = Map.of(900L, 1, 901L, 1);
        List<Region> vmas = List.of(anon(0x1000, 0x1002, ""));
        long[][] pages = {{0x1000, 900}, {0x1001, 901}};
        List<Snapshot.Proc> procs = List.of(proc(1, 0, 1, "/sh", vmas, pages, mc, true),
                proc(2, 1, 2, "/sh", vmas, pages, mc, true));
        Snapshot s = new Snapshot(procs, 0, 0, true, Map.of(), 0, Long.MAX_VALUE, 0, true, 0, List.of());
        Reconstruction.Result res = new Reconstruction(s, MachineConfig.defaults()).build();
        assertEquals(How.SAME_MM, res.how().get(2));
        assertTrue(res.ops().contains(new Op.Vfork("p1", "p2")));
        assertEquals(1, res.stats().realVmas);
        assertEquals(1, res.stats().modelVmas);
        assertEquals(2, res.stats().modelAnonPtes);
        RunResult linux = Runner.run(OpSource.of("vfork", res.ops()), "linux", MachineConfig.defaults(), CheckMode.EVERY_OP);
        assertEquals(1, live(linux).get("anon_vma"));
        Survey.Counts c = Survey.Counts.of(s);
        assertEquals(1, c.sharingParentMm());
        assertEquals(1, c.vmas());
        assertEquals(2, c.anonPages());
    }

    @Test void withoutFrameNumbersTheExclusiveBitDecides() {
        Reconstruction.Result res = new Reconstruction(tree(false), MachineConfig.defaults()).build();
        assertEquals(How.FORK_SHARED_PAGES, res.how().get(11));
        assertEquals(How.FORK_SHARED_PAGES, res.how().get(12));
        assertEquals(How.EXEC, res.how().get(21));
        // the same pages are found shared: every shared frame here is parent-child
        assertEquals(11, res.stats().pagesInherited);
        assertEquals(30, res.stats().modelAnonPtes);
        assertEquals(-1, res.stats().realFrames);
    }

    @Test void theWorkloadWritesAndReadsBack() throws Exception {
        Reconstruction.Result res = new Reconstruction(tree(true), MachineConfig.defaults()).build();
        java.io.StringWriter sw = new java.io.StringWriter();
        try (WorkloadWriter w = WorkloadWriter.of(sw)) {
            for (Op op : res.ops()) w.write(op);
        }
        List<Op> back = new ArrayList<>();
        try (var r = rmaplab.workload.WorkloadReader.of("back", sw.toString())) {
            Op op;
            while ((op = r.next()) != null) back.add(op);
        }
        assertEquals(res.ops(), back);
        String text = sw.toString();
        assertTrue(text.contains("p10 fork p11"), text);
        assertTrue(text.contains("p1 vfork p10\np10 exec"), text);
        // the heap that grew in 12 is kept and resized in place (0x3000 + 1 shifted page, 4 pages to 6)
        assertTrue(text.contains("p12 mremap 0x3001 0x4 0x3001 0x6"), text);
    }

    /**
     * smaps flags that decide merges are rebuilt: nr as MAP_NORESERVE, hg and nh as their madvise,
     * and a protection without read (-w-) as itself. Five adjacent anonymous VMAs that differ only
     * in those stay five VMAs in the model.
     */
    @Test void vmFlagsAndWriteOnlyProtectionsAreRebuilt() throws Exception {
        Set<String> base = Set.of("rd", "wr", "mr", "mw", "me", "ac");
        java.util.function.BiFunction<Long, Set<String>, Region> at = (s, f) ->
                new Region(s, s + 2, f.contains("rd") ? "rw-p" : "-w-p", 0, "00:00", 0, "", f, 0, 4, 0, 0);
        java.util.function.Function<String, Set<String>> plus = x -> {
            Set<String> f = new java.util.HashSet<>(base);
            f.add(x);
            return f;
        };
        Set<String> noreserve = new java.util.HashSet<>(base);
        noreserve.remove("ac");
        noreserve.add("nr");
        Set<String> writeOnly = new java.util.HashSet<>(base);
        writeOnly.remove("rd");
        writeOnly.remove("mr");
        List<Region> vmas = List.of(at.apply(0x1000L, base), at.apply(0x1002L, noreserve), at.apply(0x1004L, plus.apply("hg")),
                at.apply(0x1006L, plus.apply("nh")), at.apply(0x1008L, writeOnly));
        long[][] pages = {{0x1000, 900}, {0x1002, 901}, {0x1004, 902}, {0x1006, 903}, {0x1008, 904}};
        Map<Long, Integer> mc = Map.of(900L, 1, 901L, 1, 902L, 1, 903L, 1, 904L, 1);
        Snapshot s = new Snapshot(List.of(proc(1, 0, 1, "/x", vmas, pages, mc, true)), 0, 0, true, Map.of(), 0,
                Long.MAX_VALUE, 0, true, 0, List.of());
        Reconstruction.Result res = new Reconstruction(s, MachineConfig.defaults()).build();
        assertEquals(5, res.stats().realVmas);
        assertEquals(5, res.stats().modelVmas, res.ops().toString());
        assertTrue(res.ops().stream().anyMatch(o -> o instanceof Op.Mmap m && m.flags().contains(rmaplab.workload.MapFlag.NORESERVE)));
        assertTrue(res.ops().stream().anyMatch(o -> o instanceof Op.Madvise m && m.advice() == rmaplab.workload.Advice.HUGEPAGE));
        assertTrue(res.ops().stream().anyMatch(o -> o instanceof Op.Madvise m && m.advice() == rmaplab.workload.Advice.NOHUGEPAGE));
        assertTrue(res.ops().stream().anyMatch(o -> o instanceof Op.Mprotect m && m.prot() == rmaplab.workload.Prot.W)
                || res.ops().stream().anyMatch(o -> o instanceof Op.Mmap m && m.prot() == rmaplab.workload.Prot.W), res.ops().toString());
        RunResult linux = Runner.run(OpSource.of("flags", res.ops()), "linux", MachineConfig.defaults(), CheckMode.EVERY_OP);
        assertTrue(linux.ok());
        assertEquals(5, res.stats().modelAnonPtes);
    }
}
