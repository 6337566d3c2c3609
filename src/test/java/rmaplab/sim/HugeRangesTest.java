package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rmaplab.ledger.Ledgers;
import rmaplab.rmap.Designs;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/**
 * Ranges as large as the address space: every op costs what it maps, walks or
 * changes, never the size of a range (issue: hostile input). The timeouts
 * only stop a hang from stalling the suite; they assert no speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HugeRangesTest {
    private static Machine machine(MachineConfig cfg) {
        Machine m = new Machine(cfg, new Ledgers(), Designs.get("linux").factory());
        m.apply(new Op.Spawn("P"));
        return m;
    }

    @Test
    void aTouchEndsAtItsFirstSigsegv() {
        Machine m = machine(MachineConfig.defaults());
        m.apply(new Op.Touch("P", 0, 1L << 34, false)); // nothing mapped: one SIGSEGV, no page walked
        assertEquals(1, m.errors().get("touch SIGSEGV"));
        m.apply(new Op.Mmap("P", 0x100, 4, Prot.RW, MapKind.ANON));
        m.apply(new Op.Mmap("P", 0x106, 4, Prot.RW, MapKind.ANON));
        m.apply(new Op.Touch("P", 0x100, 1L << 34, true)); // four pages written, then the hole at 0x104
        assertEquals(2, m.errors().get("touch SIGSEGV"));
        assertEquals(4, m.folios().liveCount());
        assertEquals(0, m.task("P").mm().pageTable().get(0x106), "the touch went on past the hole");
    }

    @Test
    void forkExitAndMprotectOfAHugeSparseVmaCostWhatIsMapped() {
        Machine m = machine(MachineConfig.defaults());
        long len = 1L << 34; // 64 TiB of address space, two pages written far apart
        m.apply(new Op.Mmap("P", 0x1000, len, Prot.RW, MapKind.ANON));
        m.apply(new Op.Touch("P", 0x1000, 1, true));
        m.apply(new Op.Touch("P", 0x1000 + len - 1, 1, true));
        m.apply(new Op.Fork("P", "C"));
        m.apply(new Op.Mprotect("P", 0x1000, len, Prot.R));
        m.apply(new Op.Madvise("P", 0x1000, len, rmaplab.workload.Advice.DONTNEED));
        assertEquals(2, m.folios().liveCount()); // the child still maps both
        m.apply(new Op.Exit("C"));
        m.apply(new Op.Exit("P"));
        assertEquals(0, m.folios().liveCount());
        assertEquals(0, m.liveVmas());
    }

    @Test
    void rangesPastTaskSizeAreTheKernelsErrors() {
        long ts = MachineConfig.TASK_SIZE_4LEVEL;
        Machine m = machine(MachineConfig.defaults());
        m.apply(new Op.Mmap("P", ts, 1, Prot.RW, MapKind.ANON)); // __get_unmapped_area: ENOMEM
        assertEquals(1, m.errors().get("mmap ENOMEM"));
        m.apply(new Op.Munmap("P", ts - 1, 2)); // do_vmi_munmap: EINVAL
        assertEquals(1, m.errors().get("munmap EINVAL"));
        m.apply(new Op.Mmap("P", 0x100, 8, Prot.RW, MapKind.ANON));
        m.apply(new Op.Mremap("P", 0x100, 8, 0x100, ts + 1)); // check_mremap_params: EINVAL
        assertEquals(1, m.errors().get("mremap EINVAL"));
        m.apply(new Op.Mremap("P", 0x100, 8, 0x100, ts - 0x100 + 1)); // grows past TASK_SIZE: ENOMEM
        assertEquals(1, m.errors().get("mremap ENOMEM"));
        assertEquals(1, m.liveVmas());

        Machine la57 = machine(MachineConfig.defaults().withTaskSize(MachineConfig.TASK_SIZE_5LEVEL));
        la57.apply(new Op.Mmap("P", ts, 1, Prot.RW, MapKind.ANON)); // fine with 5-level paging
        assertTrue(la57.errors().isEmpty(), la57.errors().toString());
    }

    @Test
    void aFileOffsetPastTheLargestFileIsEoverflow() {
        Machine m = machine(MachineConfig.defaults());
        m.apply(new Op.Mmap("P", 0x100, 1, Prot.RW, MapKind.file("f", Long.MAX_VALUE))); // file_mmap_ok
        assertEquals(1, m.errors().get("mmap EOVERFLOW"));
        assertNull(m.task("P").mm().find(0x100));
    }
}
