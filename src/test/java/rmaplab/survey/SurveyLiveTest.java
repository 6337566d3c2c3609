package rmaplab.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.sim.MachineConfig;

/**
 * A smoke test on the live system: skipped, with the reason, where /proc is
 * not this process's to read. The live state changes while it is read, so
 * only what must hold whatever it is gets checked: this process is found,
 * the rebuilt state has exactly the VMAs and anonymous PTEs read, no op is
 * refused, and every walk of the linux and pv designs finds every mapping.
 */
class SurveyLiveTest {
    @Test void surveyThisMachine() throws Exception {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isReadable(proc.resolve("self/smaps")), "/proc/self/smaps is not readable here (no Linux /proc)");
        assumeTrue(Files.isReadable(proc.resolve("self/pagemap")), "/proc/self/pagemap is not readable here");
        int self = (int) ProcessHandle.current().pid();
        Snapshot s = new ProcReader(proc, 1L << 24, self).read();
        assertEquals(self, s.selfPid(), "this JVM is among the processes read");
        assertTrue(s.procs().stream().anyMatch(p -> p.pid() == self && p.threads() > 1 && p.anonPages() > 0));
        Survey.Result r = Survey.run(s, Slabs.read(proc.resolve("slabinfo"), Path.of("/sys/kernel/slab")),
                MachineConfig.defaults(), List.of("linux", "pv"), true, 0);
        Reconstruction.Stats st = r.rebuilt().stats();
        assertEquals(st.realVmas, st.modelVmas);
        assertEquals(st.realAnonPtes, st.modelAnonPtes);
        assertTrue(st.modelErrors.isEmpty(), st.modelErrors.toString());
        for (Survey.Estimate e : r.estimates()) {
            assertTrue(e.oracleOk(), e.design());
            assertTrue(e.errors().isEmpty(), e.design() + " " + e.errors());
        }
        assertNotEquals(0, r.estimates().get(0).objects().get("anon_vma")[0]);
    }
}
