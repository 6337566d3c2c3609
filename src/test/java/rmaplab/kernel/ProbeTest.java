package rmaplab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void parsesTheProbesOutput() throws IOException {
        ProbeResult r = Probe.parse("""
                rmaplab-probe 1
                method cgroup
                mode workload
                objects anon_vma alloc 9 free 1
                objects anon_vma_chain alloc 12 free 2
                objects vm_area_struct alloc 32 free 7
                excluded anon_vma_chain_other alloc 1 free 0
                background anon_vma free 3
                error touch SIGSEGV 2
                page P 0x100 0x146156 1 anon
                page C 0x101 0x142e3d 2 file
                end
                """, "t");
        assertEquals("cgroup", r.method());
        assertEquals(9, r.alloc().get("anon_vma"));
        assertEquals(2, r.free().get("anon_vma_chain"));
        assertEquals(1, r.otherChainObjects());
        assertEquals(3, r.backgroundAnonVmaFrees());
        assertEquals(2, r.errors().get("touch SIGSEGV"));
        assertEquals(new ProbeResult.Page("C", 0x101, 0x142e3d, 2, "file"), r.pages().get(1));
    }

    @Test
    void incompleteOrGarbledOutputIsAnErrorNotAResult() {
        assertThrows(IOException.class, () -> Probe.parse("rmaplab-probe 1\nmethod cgroup\nobjects anon_vma alloc 1 free 0\n", "t"));
        assertThrows(IOException.class, () -> Probe.parse("rmaplab-probe 1\nobjects anon_vma alloc x free 0\nend\n", "t"));
    }

    /** The live kernel agrees with the model on two small workloads; skipped, with the reason, where it cannot be probed. */
    @Test
    void liveKernelAgreesWithTheModel() throws Exception {
        Probe probe = new Probe(Path.of("").toAbsolutePath());
        boolean zero;
        try {
            zero = probe.zeroPage();
        } catch (ProbeUnavailableException e) {
            Assumptions.abort("the live kernel cannot be probed here: " + e.getMessage());
            return;
        }
        for (String f : List.of("examples/kernel/k04-fork-exit.rmw", "examples/kernel/k14-reuse-at-fork.rmw")) {
            KernelCheck.Result r = KernelCheck.check(probe, Path.of(f), zero);
            assertTrue(r.equal(), () -> f + ": " + r);
        }
    }
}
