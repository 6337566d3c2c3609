package rmaplab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native runner's output format (the comment at the top of probe/rmaplab-run.c). */
class NativeRunTest {
    static final String OUT = """
            rmaplab-run 1
            ops 17
            tasks 4
            handoffs 6
            handoff_ns 6552
            run_ns 10039266
            teardown_ns 1590060
            error touch SIGSEGV 1
            error mprotect ENOMEM 2
            end
            """;

    @Test void readsEveryField() throws IOException {
        NativeRun.Result r = NativeRun.parse(OUT, "t");
        assertEquals(new NativeRun.Result(17, 4, 6, 6552, 10039266, 1590060,
                Map.of("touch SIGSEGV", 1L, "mprotect ENOMEM", 2L)), r);
    }

    @Test void refusesAnIncompleteOrUnknownOutput() {
        IOException e = assertThrows(IOException.class, () -> NativeRun.parse(OUT.replace("end\n", ""), "t"));
        assertEquals("native runner output for t is incomplete", e.getMessage());
        e = assertThrows(IOException.class, () -> NativeRun.parse(OUT.replace("run_ns 10039266\n", ""), "t"));
        assertEquals("native runner output for t is incomplete", e.getMessage());
        e = assertThrows(IOException.class, () -> NativeRun.parse(OUT.replace("tasks 4", "tasks four"), "t"));
        assertTrue(e.getMessage().contains("line 3: cannot read 'tasks four'"), e.getMessage());
        e = assertThrows(IOException.class, () -> NativeRun.parse(OUT + "surprise 1\n", "t"));
        assertTrue(e.getMessage().contains("cannot read 'surprise 1'"), e.getMessage());
    }
}
