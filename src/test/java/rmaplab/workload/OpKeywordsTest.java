package rmaplab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The op keywords come from the op types, once; the address space limits are the kernel's. */
class OpKeywordsTest {
    /** One op of every type, read from a file that uses every keyword. */
    static final String EVERY_OP = """
            rmaplab-workload 1
            P spawn
            P fork C
            P thread T
            P vfork V
            V exec
            V exit
            C nofork
            P mmap 0x10 8 rw- anon
            P munmap 0x17 1
            P mprotect 0x10 1 r--
            P mremap 0x11 1 0x30 1
            P madvise 0x12 1 dontfork
            P touch 0x12 1 write
            P walk 0x10 8
            P migrate 0x10 8
            """;

    @Test
    void everyOpTypeHasItsKeywordAndTheListHasEachOnce() throws Exception {
        List<Op> ops = Workloads.parse("all.rmw", EVERY_OP);
        Set<Class<?>> types = new HashSet<>();
        for (Op op : ops) {
            types.add(op.getClass());
            assertEquals(op.getClass().getField("KEYWORD").get(null), op.keyword());
            assertTrue(Op.isKeyword(op.keyword()));
        }
        assertEquals(Set.of(Op.class.getPermittedSubclasses()), types, "the file uses every op type");
        assertEquals(ops.stream().map(Op::keyword).toList(), Op.KEYWORDS, "one keyword per type, in declaration order");
        assertFalse(Op.isKeyword("rmaplab-workload"));
    }

    @Test
    void noKeywordNamesATask() {
        for (String k : Op.KEYWORDS)
            assertEquals("bad.rmw:2: bad task name '" + k + "': it is a keyword",
                    WorkloadReaderTest.error("rmaplab-workload 1\n" + k + " spawn\n"), k);
    }

    @Test
    void addressSpacesAreTaskSizeMax() {
        assertEquals((1L << 47) - 4096, AddressSpace.LEVEL4.taskSize());
        assertEquals((1L << 56) - 4096, AddressSpace.LEVEL5.taskSize());
        assertEquals((1L << 35) - 1, AddressSpace.LEVEL4.taskSizePages());
        assertEquals((1L << 44) - 1, AddressSpace.LEVEL5.taskSizePages());
        AddressSpace s = AddressSpace.LEVEL4;
        long end = s.taskSizePages();
        assertTrue(s.contains(end - 1, 1));
        assertTrue(s.contains(0, end));
        assertFalse(s.contains(end - 1, 2));
        assertFalse(s.contains(end, 1));
        assertFalse(s.contains(1, Long.MAX_VALUE), "no overflow");
        assertFalse(s.contains(Long.MAX_VALUE, 1));
        assertFalse(s.contains(-1, 1));
    }
}
