package rmaplab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.sim.MachineConfig;
import rmaplab.workload.WorkloadException;
import rmaplab.workload.Workloads;

/** Errors only the address space can find are reported as FILE:LINE before anything runs. */
class ValidationTest {
    @Test
    void anOverlappingMmapIsAnErrorOnItsLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("overlap.rmw");
        Files.writeString(f, """
                rmaplab-workload 1
                P spawn
                P mmap 0x10 4 rw- anon
                P fork C
                C munmap 0x10 1
                C mmap 0x10 1 rw- anon      # fine: the child unmapped it
                P mmap 0x12 4 rw- anon      # overlaps [0x10,0x14) in P
                """);
        WorkloadException e = assertThrows(WorkloadException.class, () -> Runner.validate(OpSource.file(f), MachineConfig.defaults()));
        assertEquals(f + ":7: mmap [0x12,0x16) overlaps an existing mapping (MAP_FIXED_NOREPLACE would fail with EEXIST; the FLAG fixed replaces it)", e.getMessage());
    }

    @Test
    void aMappingThatFollowsAnMremapIntoItsPlaceIsFine() throws Exception {
        Runner.validate(OpSource.of("ok", Workloads.parse("ok", """
                rmaplab-workload 1
                P spawn
                P mmap 0x10 4 rw- anon
                P mremap 0x10 4 0x40 4
                P mmap 0x10 4 rw- anon
                """)), MachineConfig.defaults());
    }

    /**
     * A design's run is not strict: its merge decisions can leave another
     * layout than the first pass's, so an overlap it meets is what
     * MAP_FIXED_NOREPLACE returns, EEXIST, counted and not fatal.
     */
    @Test
    void aDesignsRunCountsAnOverlapAsEexist() throws Exception {
        var ops = Workloads.parse("t", """
                rmaplab-workload 1
                P spawn
                P mmap 0x10 4 rw- anon
                P mmap 0x12 4 rw- anon
                P touch 0x10 2 write
                """);
        RunResult r = Runner.run(OpSource.of("t", ops), "linux", MachineConfig.defaults(), CheckMode.END);
        assertEquals(1L, r.errors().get("mmap EEXIST"));
        assertEquals(true, r.ok());
    }

    @Test
    void aTruncatedGzipFileNamesTheLineItWasReading(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder("rmaplab-workload 1\nP spawn\n");
        for (int i = 0; i < 20000; i++) b.append("P mmap ").append(2 * i).append(" 1 rw- anon\n");
        byte[] gz;
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bo)) {
            o.write(b.toString().getBytes());
        }
        gz = java.util.Arrays.copyOf(bo.toByteArray(), bo.size() / 2);
        Path f = dir.resolve("cut.rmw.gz");
        Files.write(f, gz);
        WorkloadException e = assertThrows(WorkloadException.class, () -> Runner.validate(OpSource.file(f), MachineConfig.defaults()));
        assertEquals(true, e.getMessage().matches(java.util.regex.Pattern.quote(f.toString()) + ":[1-9][0-9]*: truncated gzip data: .*"), e.getMessage());
    }
}
