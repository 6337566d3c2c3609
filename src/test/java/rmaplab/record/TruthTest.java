package rmaplab.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The truth file: one class writes and reads it; format 1 (no damage) and format 2 (damage) are both read. */
class TruthTest {
    @TempDir Path dir;

    static Truth filled() {
        Truth t = new Truth();
        t.recording = "x.txt.gz";
        t.workload = "x.rmw.gz";
        t.readFaultAnonVmas = 2;
        t.count("anon_vma", true, "touch", "__anon_vma_prepare");
        t.count("anon_vma", true, "fork", "anon_vma_fork");
        t.count("vm_area_struct", false, "munmap", "vms_complete_munmap_vmas");
        t.exclude("copy_fs_struct");
        t.unrepresented("madvise MADV_FREE");
        t.notes.add("a note");
        return t;
    }

    @Test
    void whatIsWrittenIsReadBack() throws Exception {
        Truth t = filled();
        Path f = dir.resolve("x.truth.json");
        t.write(f);
        assertTrue(Files.readString(f).contains("\"format\" : \"rmaplab-truth 1\""));
        Truth r = Truth.read(f);
        assertEquals(f, r.file());
        assertEquals(t.toJson(), r.toJson());
        assertEquals("off", r.zeroPage());
        assertEquals(Map.of("fork", 1L, "touch", 1L), r.kinds().get("anon_vma").allocated().byOp());
        assertEquals(List.of(), r.damage());
        assertFalse(r.damaged());
    }

    @Test
    void damageMakesFormatTwoAndIsReadBack() throws Exception {
        Truth t = filled();
        t.damage("a line missing", 40);
        t.damage("a line missing", 12);
        t.damage("another", 7);
        Path f = dir.resolve("x.truth.json");
        t.write(f);
        assertTrue(Files.readString(f).contains("\"format\" : \"rmaplab-truth 2\""));
        Truth r = Truth.read(f);
        assertEquals(List.of(new Truth.Damage("a line missing", 2, 12), new Truth.Damage("another", 1, 7)), r.damage());
        assertEquals(t.toJson(), r.toJson());
    }

    /** A shipped truth file, written before damage was checked, is read as it is: format 1, no damage. */
    @Test
    void aShippedTruthFileIsRead() throws Exception {
        Truth r = Truth.read(Path.of("recordings/shell.truth.json"));
        assertEquals("shell.rmw.gz", r.workload());
        assertFalse(r.damaged());
        assertEquals(Files.readString(Path.of("recordings/shell.truth.json")), r.toJson().stripTrailing());
    }

    @Test
    void badDamageIsNamedWithItsLine() throws Exception {
        Truth t = filled();
        t.damage("a line missing", 40);
        String good = t.toJson();
        Path f = dir.resolve("x.truth.json");
        Files.writeString(f, good.replace("\"count\" : 1", "\"count\" : 0"));
        String m = assertThrows(Truth.BadTruthException.class, () -> Truth.read(f)).getMessage();
        assertTrue(m.matches("\\Q" + f + "\\E:\\d+: damage\\.0\\.count: should be at least 1"), m);
        Files.writeString(f, good.replace("\"what\" : \"a line missing\",", ""));
        m = assertThrows(Truth.BadTruthException.class, () -> Truth.read(f)).getMessage();
        assertTrue(m.matches("\\Q" + f + "\\E:\\d+: damage\\.0: 'what' is missing"), m);
    }
}
