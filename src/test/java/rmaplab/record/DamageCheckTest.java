package rmaplab.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rmaplab.record.TraceImporterTest.END;
import static rmaplab.record.TraceImporterTest.END_OPS;
import static rmaplab.record.TraceImporterTest.START;
import static rmaplab.record.TraceImporterTest.START_OPS;
import static rmaplab.record.TraceImporterTest.body;
import static rmaplab.record.TraceImporterTest.importText;
import static rmaplab.record.TraceImporterTest.kmem;
import static rmaplab.record.TraceImporterTest.kmemAt;
import static rmaplab.record.TraceImporterTest.l;
import static rmaplab.record.TraceImporterTest.mmap2;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.workload.WorkloadException;

/** Each check of {@link DamageCheck} and {@link ObjectLifetimes} on a hand-made trace, and a whole trace that passes them all. */
class DamageCheckTest {
    static final String FAULT = l(100, "exceptions:page_fault_user: address=0x7f0000000008 ip=0x1 error_code=0x6");
    static final String MMAP = l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000003, "
            + "flags: 0x00000022, fd: 0xffffffff, off: 0x00000000")
            + kmemAt(100, true, "vm_area_alloc", "vm_area_struct", "0xffff888100000040")
            + mmap2(100, 0x7f0000000000L, 0x1000, "rw-p", "//anon");
    static final String PREPARE = kmem(100, true, "__anon_vma_prepare", "anon_vma_chain")
            + kmem(100, true, "__anon_vma_prepare", "anon_vma");
    static final String FORK_TO_101 = kmem(100, true, "copy_fs_struct", "anon_vma_chain")
            + kmem(100, true, "vm_area_dup", "vm_area_struct") // the stack
            + kmem(100, true, "vm_area_dup", "vm_area_struct") // the mapping
            + kmem(100, true, "anon_vma_clone", "anon_vma_chain")
            + kmem(100, true, "anon_vma_fork", "anon_vma")
            + kmem(100, true, "anon_vma_fork", "anon_vma_chain")
            + l(100, "PERF_RECORD_FORK(101:101):(100:100)")
            + l(100, "task:task_newtask: pid=101 comm=sh clone_flags=1200000 oom_score_adj=0");
    static final String EXIT_101 = l(101, "PERF_RECORD_EXIT(101:101):(100:100)");

    static String at(String time, int tid, String body) { return "          sh " + tid + " [000]     " + time + ": " + body + "\n"; }

    static String refusal(String trace) {
        return assertThrows(WorkloadException.class, () -> importText(trace)).getMessage();
    }

    /** The damage found, as "LINE: what" (the line first seen at). */
    static List<String> damage(String trace) throws Exception {
        return importText(trace).truth().damage().stream().map(d -> d.line() + ": " + d.what()).toList();
    }

    @Test
    void aWholeTracePassesEveryCheck() throws Exception {
        String t = START + MMAP + FAULT + PREPARE + FORK_TO_101 + EXIT_101 + END;
        var im = importText(t);
        assertEquals(List.of(), im.truth().damage());
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x1 rw- anon\np100 touch 0x7f0000000 0x1 write\np100 fork p101\n"
                + "p101 exit\n" + END_OPS, body(im));
    }

    @Test
    void damageBeyondDoubtIsRefusedWithItsLine() {
        assertEquals("t.txt:3: time goes backwards: 0.500000 here, 1.000000 at line 2 (perf script sorts events by time: "
                + "lines are out of order, or one of them is damaged)",
                refusal(START + at("0.500000", 100, "exceptions:page_fault_user: address=0x7f0000000008 ip=0x1 error_code=0x6") + END));
        String munmap = l(100, "syscalls:sys_enter_munmap: addr: 0x7f0000000000, len: 0x00001000");
        assertEquals("t.txt:4: this line repeats line 3 exactly (nothing but a page fault can happen twice in one "
                + "microsecond: a duplicated line)", refusal(START + munmap + munmap + END));
        String whole = START + END;
        assertEquals("t.txt:3: the last line has no newline at its end: the recording was cut short in the middle of a line",
                refusal(whole.substring(0, whole.length() - 1)));
        assertEquals("t.txt:5: the recording ends before the recorded command exits (p100, started at line 1, has no "
                + "PERF_RECORD_EXIT; perf records until it exits): it was cut short", refusal(START + MMAP));
    }

    /** The kernel can retry a fault at once (copy_folio_from_iter_atomic); a touch repeated changes nothing. */
    @Test
    void aRepeatedFaultIsTakenAsItIs() throws Exception {
        var im = importText(START + MMAP + FAULT + FAULT + PREPARE + END);
        assertEquals(List.of(), im.truth().damage());
        assertEquals(START_OPS + "p100 mmap 0x7f0000000 0x1 rw- anon\np100 touch 0x7f0000000 0x1 write\n"
                + "p100 touch 0x7f0000000 0x1 write\n" + END_OPS, body(im));
    }

    @Test
    void linesMissingAreNamedWithTheLineTheyShowAt() throws Exception {
        // __anon_vma_prepare: the chain first, then the anon_vma
        assertEquals(List.of("7: an anon_vma allocated by __anon_vma_prepare without its anon_vma_chain before it (a line missing)"),
                damage(START + MMAP + FAULT + kmem(100, true, "__anon_vma_prepare", "anon_vma") + END));
        // ... and only inside a fault
        assertEquals("6: anon_vma_chains of __anon_vma_prepare with no page fault line before them (missing)",
                damage(START + MMAP + PREPARE + END).get(0));
        // a brk's exit without its enter
        assertEquals(List.of("3: brk exits without their sys_enter_brk line"),
                damage(START + l(100, "syscalls:sys_exit_brk: 0x555600000000") + END));
        // a new VMA's MMAP2 line without the VMA's allocation
        assertEquals(List.of("4: mmap calls that made a VMA with no vm_area_alloc line before their MMAP2 line (missing)"),
                damage(START + MMAP.replaceAll(".*vm_area_alloc.*\n", "") + END));
        // a fork that copied one VMA of the two its parent has (the stack, made before the recording, and one mapping)
        assertEquals(List.of("15: forks that copied another number of VMAs than the parent had (a vm_area_dup line, or a "
                + "line of the parent's VMAs, missing)"),
                damage(START + MMAP + FAULT + PREPARE + FORK_TO_101.replaceFirst(".*vm_area_dup.*\n", "") + EXIT_101 + END));
        // a VMA copy after a page fault: the line of the call that split the VMA is missing
        assertTrue(damage(START + MMAP + FAULT + kmem(100, true, "vm_area_dup", "vm_area_struct") + FAULT + END).get(0)
                .startsWith("7: kmem events the op before them does not make (vm_area_struct allocated by vm_area_dup in touch"));
        // the child's exit missing
        assertEquals(List.of("17: tasks alive at the end of the recording (their PERF_RECORD_EXIT lines are missing, or "
                + "they outlived the recorded command)"), damage(START + MMAP + FAULT + PREPARE + FORK_TO_101 + END));
    }

    @Test
    void objectLifetimesShowLinesMissing() throws Exception {
        String vma = "0xffff888100000080";
        String munmapIt = l(100, "syscalls:sys_enter_munmap: addr: 0x7f0000000000, len: 0x00001000");
        // allocated twice: the free between is missing
        assertEquals(List.of("7: vm_area_struct objects allocated again while in use (the line that freed them missing)"),
                damage(START + MMAP + l(100, "syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00001000, prot: 0x00000003, "
                        + "flags: 0x00000022, fd: 0xffffffff, off: 0x00000000") + kmemAt(100, true, "vm_area_alloc", "vm_area_struct",
                        "0xffff888100000040") + mmap2(100, 0x7f0000010000L, 0x1000, "rw-p", "//anon") + END));
        // freed twice (one free of the command's stack, made before the recording, is allowed)
        assertEquals(List.of("5: vm_area_struct objects freed without having been allocated (the line that allocated them missing)"),
                damage(START + munmapIt + kmemAt(100, false, "vms_complete_munmap_vmas", "vm_area_struct", vma)
                        + kmemAt(100, false, "vms_complete_munmap_vmas", "vm_area_struct", "0xffff8881000000c0") + END));
        // a whole recording frees what it allocated, once
        assertEquals(List.of(), damage(START + MMAP + munmapIt
                + kmemAt(100, false, "vms_complete_munmap_vmas", "vm_area_struct", "0xffff888100000040") + END));
    }
}
