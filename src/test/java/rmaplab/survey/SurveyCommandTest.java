package rmaplab.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.cli.CliRun;
import rmaplab.cli.CliRun.Out;
import rmaplab.cli.Main;
import rmaplab.report.Json;
import rmaplab.workload.Workloads;

/** {@code rmaplab survey} end to end on the fake /proc of {@link FakeProc}. */
class SurveyCommandTest {
    @TempDir Path tmp;

    static Out run(String... args) { return CliRun.run(args); }

    @Test void jsonOnTheFakeProc() throws Exception {
        Path proc = FakeProc.make(tmp), slab = FakeProc.sysSlab(tmp);
        Out r = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString(), "--json", "--check",
                "--design", "linux", "--design", "pv");
        assertEquals(0, r.status(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(Json.VERSION_FIELD, j.fieldNames().next()); // the format version comes first
        assertEquals(Json.VERSION, j.get(Json.VERSION_FIELD).asInt());
        assertEquals("Linux 6.18.0-fake", j.get("kernel").asText());
        assertEquals(2, j.at("/processes/processes").asInt());
        assertEquals(1, j.at("/processes/kernel_threads").asInt());
        assertEquals(1, j.at("/processes/vanished").asInt());
        assertEquals(1, j.at("/processes/leaves").asInt()); // pid 4
        assertEquals(3, j.at("/memory/vmas").asInt());
        assertEquals(2, j.at("/memory/anon_vmas").asInt());
        assertEquals(3, j.at("/memory/anon_ptes").asInt());
        assertEquals(2, j.at("/memory/anon_frames").asInt());
        // pid 4 maps pid 1's frame 0x10 at 0x400: forked; its VMA is the parent's cut short at 0x402
        assertEquals(1, j.at("/rebuilt/processes/fork_shared_pages").asInt());
        assertEquals(1, j.at("/rebuilt/pages_inherited").asInt());
        assertEquals(1, j.at("/rebuilt/pages_dropped").asInt()); // 0x401, the parent's, which 4 does not have
        assertEquals(3, j.at("/rebuilt/model_vmas").asInt());
        assertEquals(3, j.at("/rebuilt/model_anon_ptes").asInt());
        JsonNode linux = j.at("/designs/0");
        assertEquals("linux", linux.get("design").asText());
        assertEquals(2, linux.at("/objects/anon_vma/live").asInt()); // pid 1's, pid 4's
        assertEquals(3, linux.at("/objects/anon_vma_chain/live").asInt()); // 1 + (own + parent's)
        assertTrue(linux.get("oracle_ok").asBoolean());
        assertEquals(2, linux.get("checked_walks").asInt()); // the two folios, walked at the end
        assertEquals(3, j.at("/designs/1/objects/pv_entry/live").asInt());
        assertEquals(":A-0000064", j.at("/slabinfo/anon_vma_chain/merged_into").asText());
        assertEquals("[\"eventpoll_pwq\",\"fs_cache\"]", j.at("/slabinfo/anon_vma_chain/shared_with").toString());
        assertEquals(2, j.at("/slabinfo/anon_vma_chain/fs_struct_estimate").asInt());
        assertEquals(630 - 2 - 3, j.at("/slabinfo/anon_vma_chain/gap_less_fs_struct").asInt());
        assertEquals(362 - 2, j.at("/slabinfo/anon_vma/gap").asInt());
    }

    @Test void textOnTheFakeProc() throws Exception {
        Path proc = FakeProc.make(tmp), slab = FakeProc.sysSlab(tmp);
        Out r = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("leaves: no live child"), r.out());
        assertTrue(r.out().contains("anon_vma_chain: /sys/kernel/slab/anon_vma_chain -> :A-0000064, a merged cache it shares with eventpoll_pwq, fs_cache"), r.out());
        assertTrue(r.out().contains("-- approximations"), r.out());
        Out list = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString(), "--processes", "--design", "linux");
        assertTrue(list.out().matches("(?s).*\\n +4 +1 p4 +1 +0 fork_shared_pages +1 +1 +1 +8 kB\\n.*"), list.out());
        assertTrue(list.out().matches("(?s).*\\n +1 +0 p1 +1 +1 root +2 +1 +2 +8 kB\\n.*"), list.out());
        // deterministic: the same input gives the same report, timings aside
        Out again = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString());
        assertEquals(r.out().replaceAll("\\d+ ms", "T"), again.out().replaceAll("\\d+ ms", "T"));
    }

    @Test void theRebuiltWorkloadIsWrittenWholeOrTheCommandFails() throws Exception {
        Path proc = FakeProc.make(tmp), slab = FakeProc.sysSlab(tmp), w = tmp.resolve("machine.rmw.gz");
        Out r = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString(), "--design", "linux", "--workload", w.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Workloads.readAll(w).size() > 2, "the rebuilt workload reads back");
        try (var files = Files.list(tmp)) { // nothing left under a temporary name
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".part-")).toList());
        }
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full) && Files.isWritable(full), "no writable /dev/full on this machine");
        r = run("survey", "--proc", proc.toString(), "--sys-slab", slab.toString(), "--design", "linux", "--workload", full.toString());
        assertEquals(Main.OUTPUT_FAILED, r.status());
        assertEquals("", r.out()); // the report is not printed when the file it announces could not be written
        assertEquals("rmaplab: cannot write /dev/full: No space left on device\n", r.err());
    }

    @Test void badInput() throws Exception {
        Out r = run("survey", "--design", "nope");
        assertEquals(Main.BAD_INPUT, r.status());
        assertTrue(r.err().contains("unknown design 'nope'"), r.err());
        Path proc = FakeProc.make(tmp);
        Files.writeString(proc.resolve("4/stat"), "4 p4 S 1\n");
        r = run("survey", "--proc", proc.toString());
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(proc.resolve("4/stat") + ":1: no '(comm)' field\n", r.err());
        r = run("survey", "--proc", tmp.resolve("nowhere").toString());
        assertEquals(Main.UNAVAILABLE, r.status());
    }
}
