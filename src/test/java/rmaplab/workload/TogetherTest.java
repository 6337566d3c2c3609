package rmaplab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's 'together' groups (docs/workload-format.md, "Ops that run together"). */
class TogetherTest {
    private static final String HEAD = "rmaplab-workload 1\nP spawn\nP mmap 0x100 2 rw- anon\nP thread W\n";

    private static List<Integer> groups(String text) throws WorkloadException {
        List<Integer> l = new ArrayList<>();
        try (WorkloadReader r = WorkloadReader.of("t.rmw", text)) {
            while (r.next() != null) l.add(r.group());
        }
        return l;
    }

    private static String error(String text) {
        return assertThrows(WorkloadException.class, () -> groups(text)).getMessage();
    }

    @Test void opsOfAGroupCarryItsNumber() throws WorkloadException {
        String t = HEAD + "together\nP touch 0x100 1 write\nW walk 0x100 1\nend\nP munmap 0x100 1\n"
                + "together   # again\nP touch 0x101 1 write\nW walk 0x101 1\nend\n";
        assertEquals(List.of(0, 0, 0, 1, 1, 0, 2, 2), groups(t));
    }

    @Test void aGroupIsTransparentToSequentialReaders() throws WorkloadException {
        // the same ops in the same order as without the markers
        String with = HEAD + "together\nP fork C\nW walk 0x100 2 full\nend\n";
        String without = HEAD + "P fork C\nW walk 0x100 2 full\n";
        assertEquals(Workloads.parse("a", with), Workloads.parse("b", without));
    }

    @Test void errors() {
        assertEquals("t.rmw:6: 'together' inside the group opened at line 5 (groups do not nest)",
                error(HEAD + "together\ntogether\n"));
        assertEquals("t.rmw:5: 'end' without 'together'", error(HEAD + "end\n"));
        assertEquals("t.rmw:7: the group opened at line 5 has ops of 1 task(s); a group runs ops of at least two "
                + "tasks at the same time", error(HEAD + "together\nP touch 0x100 1 write\nend\n"));
        assertEquals("t.rmw:7: the group opened at line 5 has no 'end'",
                error(HEAD + "together\nP touch 0x100 1 write\nW walk 0x100 1\n"));
        assertEquals("t.rmw:7: task 'C' is created in this group (line 5); use it after 'end'",
                error(HEAD + "together\nP fork C\nC touch 0x100 1 write\nend\n"));
        assertEquals("t.rmw:6: spawn in a group: a new task has nothing to race with; spawn it before 'together'",
                error(HEAD + "together\nQ spawn\nend\n"));
    }
}
