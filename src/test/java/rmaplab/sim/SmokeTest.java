package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.run.CheckMode;
import rmaplab.run.OpSource;
import rmaplab.run.RunResult;
import rmaplab.run.Runner;
import rmaplab.testing.Scenario;
import rmaplab.workload.Op;

class SmokeTest {
    @Test
    void linuxMmThreeChildren() throws Exception {
        // three faulted one-page regions; child k keeps only region k (the linux-mm case, small)
        List<Op> ops = Scenario.ops("""
                rmaplab-workload 1
                P spawn
                P mmap 0x1000 0x1 rw- anon
                P mmap 0x1002 0x1 rw- anon
                P mmap 0x1004 0x1 rw- anon
                P touch 0x1000 0x1 write
                P touch 0x1002 0x1 write
                P touch 0x1004 0x1 write
                P fork C1
                C1 munmap 0x1002 0x1
                C1 munmap 0x1004 0x1
                P fork C2
                C2 munmap 0x1000 0x1
                C2 munmap 0x1004 0x1
                P fork C3
                C3 munmap 0x1000 0x1
                C3 munmap 0x1002 0x1
                P walk 0x1000 0x5
                """);
        RunResult r = Runner.run(OpSource.of("t", ops), "pv", MachineConfig.defaults(), CheckMode.EVERY_OP);
        assertTrue(r.ok(), r.violations().toString() + r.mapcountError());
        assertEquals(3, r.ledgers().walks().walks());
        assertEquals(6, r.ledgers().walks().visits());
        assertEquals(6, r.ledgers().walks().hits());
        assertEquals(6, r.ledgers().objects().types().get("pv_entry").live());
        assertEquals(6, r.machine().liveVmas());
    }
}
