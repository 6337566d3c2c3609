package rmaplab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.ledger.Ledgers;
import rmaplab.rmap.Designs;
import rmaplab.sim.Machine;
import rmaplab.sim.MachineConfig;
import rmaplab.sim.Mm;
import rmaplab.workload.Op;

/** The drawing's legend, one rule at a time. */
class AddressSpaceDrawingTest {
    /** The machine after the scenario's ops, and its last op. */
    private record Run(Mm mm, Op last) {}

    private static Run run(String text) {
        List<Op> ops = Scenario.ops(text);
        Machine m = new Machine(MachineConfig.defaults(), new Ledgers(), Designs.get("pv").factory());
        ops.forEach(m::apply);
        Op last = ops.get(ops.size() - 1);
        return new Run(m.task(last.task()).mm(), last);
    }

    private static String draw(String text) {
        Run r = run(text);
        return AddressSpaceDrawing.draw(r.mm, r.last);
    }

    @Test
    void oneLetterPerVmaInAddressOrderLowerCaseOnceItHasAnAnonVma() {
        assertEquals("""
                       -
                0123456789
                AA.bbb.C.D
                """, draw("""
                rmaplab-workload 1
                P spawn
                P mmap 0x9 0x1 rw- anon
                P mmap 0x0 0x2 rw- anon
                P mmap 0x3 0x3 rw- anon
                P mmap 0x7 0x1 r-- anon
                P touch 0x4 0x1 write
                P walk 0x7 0x1
                """));
    }

    @Test
    void theMarkerIsMergeDotCsLoneDashThenAngleBrackets() {
        String base = """
                rmaplab-workload 1
                P spawn
                P mmap 0x0 0x8 rw- anon
                """;
        assertEquals("   -", draw(base + "P mprotect 0x3 0x1 r--\n").lines().findFirst().orElseThrow());
        assertEquals("   <>", draw(base + "P mprotect 0x3 0x2 r--\n").lines().findFirst().orElseThrow());
        assertEquals("   <-->", draw(base + "P mprotect 0x3 0x4 r--\n").lines().findFirst().orElseThrow());
    }

    @Test
    void aMoveMarksItsSourceAndDestinationAResizeTheLargerLength() {
        assertEquals("""
                 <>   <>
                0123456789
                A.....BBCC
                """, draw("""
                rmaplab-workload 1
                P spawn
                P mmap 0x0 0x3 rw- anon
                P mmap 0x8 0x2 r-- anon
                P mremap 0x1 0x2 0x6 0x2
                """));
        assertEquals("""
                <--->
                01234
                AA...
                """, draw("""
                rmaplab-workload 1
                P spawn
                P mmap 0x0 0x5 rw- anon
                P mremap 0x0 0x5 0x0 0x2
                """));
    }

    @Test
    void opsWithoutARangeDrawNoMarkerAndTheWindowStartsAtAMultipleOf16() {
        assertEquals("""
                0123456789abcdef012
                ..............AAAAA
                """, draw("""
                rmaplab-workload 1
                P spawn
                P mmap 0x10e 0x5 rw- anon
                P fork C
                """));
        assertEquals("(no VMAs)\n", draw("""
                rmaplab-workload 1
                P spawn
                P fork C
                """));
    }

    @Test
    void aWindowDrawsPartOfTheAddressSpaceWithTheMmsLetters() {
        Run r = run("""
                rmaplab-workload 1
                P spawn
                P mmap 0x100 0x2 rw- anon
                P mmap 0x200 0x2 rw- anon
                P munmap 0x201 0x1
                """);
        assertEquals("""
                 -
                0123
                B...
                """, AddressSpaceDrawing.draw(r.mm, 0x200, 0x204, r.last));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressSpaceDrawing.draw(r.mm, r.last));
        assertEquals("the drawing of [0x100, 0x202) would be 258 pages wide (at most 80): draw a window", e.getMessage());
    }
}
