package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

class SmokeTest {
    @Test
    void linuxMmThreeChildren() throws Exception {
        List<Op> ops = List.of(
                new Op.Spawn("P"),
                new Op.Mmap("P", 0x1000, 1, Prot.RW, MapKind.ANON),
                new Op.Mmap("P", 0x1002, 1, Prot.RW, MapKind.ANON),
                new Op.Mmap("P", 0x1004, 1, Prot.RW, MapKind.ANON),
                new Op.Touch("P", 0x1000, 1, true),
                new Op.Touch("P", 0x1002, 1, true),
                new Op.Touch("P", 0x1004, 1, true),
                new Op.Fork("P", "C1"), new Op.Munmap("C1", 0x1002, 1), new Op.Munmap("C1", 0x1004, 1),
                new Op.Fork("P", "C2"), new Op.Munmap("C2", 0x1000, 1), new Op.Munmap("C2", 0x1004, 1),
                new Op.Fork("P", "C3"), new Op.Munmap("C3", 0x1000, 1), new Op.Munmap("C3", 0x1002, 1),
                new Op.Walk("P", 0x1000, 5));
        RunResult r = Runner.run(OpSource.of("t", ops), "pv", MachineConfig.defaults(), CheckMode.EVERY_OP);
        assertTrue(r.ok(), r.violations().toString() + r.mapcountError());
        assertEquals(3, r.ledgers().walks().walks());
        assertEquals(6, r.ledgers().walks().visits());
        assertEquals(6, r.ledgers().walks().hits());
        assertEquals(6, r.ledgers().objects().types().get("pv_entry").live());
        assertEquals(6, r.machine().liveVmas());
    }
}
