package rmaplab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.workload.MapKind;
import rmaplab.workload.Op;
import rmaplab.workload.Prot;

/** Scenarios are read by the product's workload reader, a step at a time. */
class ScenarioTest {
    @Test
    void aStepUsesTheTasksOfTheStepsBeforeIt() {
        Scenario s = Scenario.of("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                """);
        List<Op> step = s.then("P fork C\nC munmap 0x100 0x1\n");
        assertEquals(List.of(new Op.Fork("P", "C"), new Op.Munmap("C", 0x100, 1)), step);
        assertEquals(4, s.ops().size());
    }

    @Test
    void theReadersErrorsNameTheLineInTheWholeText() {
        Scenario s = Scenario.of("t", "rmaplab-workload 1\nP spawn\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.then("Q exit\n"));
        assertTrue(e.getMessage().startsWith("t:3: task 'Q' does not exist\n"), e.getMessage());
        // the failed step is not kept: the scenario goes on from where it was
        assertEquals(List.of(new Op.Exit("P")), s.then("P exit"));
        assertThrows(IllegalArgumentException.class, () -> Scenario.of("P spawn\n"));
    }

    @Test
    void opsBuiltInJavaAreWrittenAsTheProductWritesThemAndReadBack() {
        Scenario s = Scenario.of("rmaplab-workload 1\nP spawn\n");
        s.append(new Op.Mmap("P", 0x10, 12, Prot.RW, MapKind.file("lib", 3)));
        assertEquals("rmaplab-workload 1\nP spawn\nP mmap 0x10 0xc rw- file=lib@3\n", s.text());
        s.then("P touch 0x10 0x1 write");
        assertEquals(3, s.ops().size());
    }
}
