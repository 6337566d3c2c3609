package rmaplab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadReaderTest {
    static final String H = "rmaplab-workload 1\n";

    /** The message a workload text gets, with the file named bad.rmw. */
    static String error(String text) {
        return assertThrows(WorkloadException.class, () -> Workloads.parse("bad.rmw", text)).getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        empty file                  | ''                                               | bad.rmw:0: missing header 'rmaplab-workload 1' (the file is empty)
        op before header            | 'P spawn\n'                                      | bad.rmw:1: missing header 'rmaplab-workload 1' before the first op
        header without version      | 'rmaplab-workload\n'                             | bad.rmw:1: header: missing version (expected 'rmaplab-workload 1')
        header with extra           | 'rmaplab-workload 1 x\n'                         | bad.rmw:1: header: unexpected 'x' after the version
        other version               | '# c\nrmaplab-workload 2\n'                      | bad.rmw:2: unsupported workload format version '2' (this reader knows version 1)
        second header               | 'rmaplab-workload 1\nrmaplab-workload 1\n'       | bad.rmw:2: a second header
        unknown op                  | 'rmaplab-workload 1\nP spawn\nP mmapp 1 1\n'     | bad.rmw:3: unknown op 'mmapp'
        missing op                  | 'rmaplab-workload 1\nP\n'                        | bad.rmw:2: missing op after 'P'
        bad task name               | 'rmaplab-workload 1\nP$ spawn\n'                 | bad.rmw:2: bad task name 'P$' (letters, digits, '_', '.', '-')
        keyword as task             | 'rmaplab-workload 1\nfork spawn\n'               | bad.rmw:2: bad task name 'fork': it is a keyword
        keyword as child            | 'rmaplab-workload 1\nP spawn\nP fork exit\n'     | bad.rmw:3: bad task name 'exit': it is a keyword
        missing argument            | 'rmaplab-workload 1\nP spawn\nP mmap 0x10 1 rw-\n' | bad.rmw:3: mmap: missing argument KIND
        extra argument              | 'rmaplab-workload 1\nP spawn\nP munmap 1 1 1\n'  | bad.rmw:3: munmap: unexpected argument '1'
        extra argument on spawn     | 'rmaplab-workload 1\nP spawn now\n'              | bad.rmw:2: spawn: unexpected argument 'now'
        not a number                | 'rmaplab-workload 1\nP spawn\nP munmap 1x 1\n'   | bad.rmw:3: munmap: ADDR '1x' is not a number (decimal or 0x hex)
        negative number             | 'rmaplab-workload 1\nP spawn\nP munmap -1 1\n'   | bad.rmw:3: munmap: ADDR '-1' is not a number (decimal or 0x hex)
        empty hex                   | 'rmaplab-workload 1\nP spawn\nP walk 0x 1\n'     | bad.rmw:3: walk: ADDR '0x' is not a number (decimal or 0x hex)
        above 2^64                  | 'rmaplab-workload 1\nP spawn\nP walk 0x10000000000000000 1\n' | bad.rmw:3: walk: ADDR '0x10000000000000000' is beyond the user address space (it ends at page 0xfffffffffff: TASK_SIZE with 5-level paging)
        decimal above 2^64          | 'rmaplab-workload 1\nP spawn\nP walk 1 99999999999999999999999\n' | bad.rmw:3: walk: LEN '99999999999999999999999' is larger than the user address space (0xfffffffffff pages: TASK_SIZE with 5-level paging)
        address at TASK_SIZE        | 'rmaplab-workload 1\nP spawn\nP touch 0xfffffffffff 1 read\n' | bad.rmw:3: touch: ADDR '0xfffffffffff' is beyond the user address space (it ends at page 0xfffffffffff: TASK_SIZE with 5-level paging)
        address 2^63 - 1            | 'rmaplab-workload 1\nP spawn\nP munmap 0x7fffffffffffffff 2\n' | bad.rmw:3: munmap: ADDR '0x7fffffffffffffff' is beyond the user address space (it ends at page 0xfffffffffff: TASK_SIZE with 5-level paging)
        length 2^62                 | 'rmaplab-workload 1\nP spawn\nP mmap 0x100 0x4000000000000000 rw- anon\n' | bad.rmw:3: mmap: LEN '0x4000000000000000' is larger than the user address space (0xfffffffffff pages: TASK_SIZE with 5-level paging)
        mremap to near 2^63 pages   | 'rmaplab-workload 1\nP spawn\nP mremap 0x100 1 0x100 0x7ffffffffffffe00\n' | bad.rmw:3: mremap: NEWLEN '0x7ffffffffffffe00' is larger than the user address space (0xfffffffffff pages: TASK_SIZE with 5-level paging)
        mremap past the end         | 'rmaplab-workload 1\nP spawn\nP mremap 0x100 1 0xffffffff000 0x1000\n' | bad.rmw:3: mremap: the range at 0xffffffff000 of 0x1000 pages ends beyond the user address space (it ends at page 0xfffffffffff: TASK_SIZE with 5-level paging)
        all ones                    | 'rmaplab-workload 1\nP spawn\nP touch 1 0xffffffffffffffff write\n' | bad.rmw:3: touch: LEN '0xffffffffffffffff' is larger than the user address space (0xfffffffffff pages: TASK_SIZE with 5-level paging)
        pgoff past 2^64 bytes       | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 r-- file=f@0x7fffffffffffffff\n' | bad.rmw:3: mmap: PGOFF '0x7fffffffffffffff' is beyond any file offset mmap(2) can be given (below 0x10000000000000 pages: 2^64 bytes)
        pgoff 2^52                  | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 r-- shared-file=f@4503599627370496\n' | bad.rmw:3: mmap: PGOFF '4503599627370496' is beyond any file offset mmap(2) can be given (below 0x10000000000000 pages: 2^64 bytes)
        long token is cut           | 'rmaplab-workload 1\nP spawn\nP aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffgggggggggg\n' | bad.rmw:3: unknown op 'aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff...' (70 characters)
        zero length                 | 'rmaplab-workload 1\nP spawn\nP mmap 0x10 0 rw- anon\n' | bad.rmw:3: mmap: LEN must not be zero
        zero new length             | 'rmaplab-workload 1\nP spawn\nP mremap 0x10 1 0x20 0\n' | bad.rmw:3: mremap: NEWLEN must not be zero
        range past the end          | 'rmaplab-workload 1\nP spawn\nP munmap 0xffffffffffe 2\n' | bad.rmw:3: munmap: the range at 0xffffffffffe of 0x2 pages ends beyond the user address space (it ends at page 0xfffffffffff: TASK_SIZE with 5-level paging)
        bad prot                    | 'rmaplab-workload 1\nP spawn\nP mprotect 1 1 rw\n' | bad.rmw:3: mprotect: bad PROT 'rw' (one of ---, r--, rw-, r-x, rwx, -w-, -wx, --x)
        bad kind                    | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- private\n' | bad.rmw:3: mmap: bad KIND 'private' (anon, shared, stack, file=NAME@PGOFF, shared-file=NAME@PGOFF)
        kind without pgoff          | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- file=a\n' | bad.rmw:3: mmap: bad KIND 'file=a': missing @PGOFF
        kind with bad pgoff         | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- file=a@x\n' | bad.rmw:3: mmap: bad PGOFF 'x' in 'file=a@x'
        kind with bad file          | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- shared-file=@0\n' | bad.rmw:3: mmap: bad file name '' (letters, digits, '_', '.', '-', '/')
        bad advice                  | 'rmaplab-workload 1\nP spawn\nP madvise 1 1 free\n' | bad.rmw:3: madvise: bad ADVICE 'free' (one of dontfork, dofork, wipeonfork, keeponfork, dontneed, hugepage, nohugepage)
        unknown mmap flag           | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- anon noreserve,locked\n' | bad.rmw:3: mmap: bad FLAG 'locked' in 'noreserve,locked' (comma-separated, each one of noreserve, stack, fixed)
        empty mmap flag             | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- anon stack,\n' | bad.rmw:3: mmap: bad FLAG '' in 'stack,' (comma-separated, each one of noreserve, stack, fixed)
        repeated mmap flag          | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- anon stack,stack\n' | bad.rmw:3: mmap: FLAG 'stack' repeated in 'stack,stack'
        upper-case mmap flag        | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- anon MAP_STACK\n' | bad.rmw:3: mmap: bad FLAG 'MAP_STACK' in 'MAP_STACK' (comma-separated, each one of noreserve, stack, fixed)
        token after mmap flags      | 'rmaplab-workload 1\nP spawn\nP mmap 1 1 rw- anon stack x\n' | bad.rmw:3: mmap: unexpected argument 'x'
        bad access                  | 'rmaplab-workload 1\nP spawn\nP touch 1 1 exec\n' | bad.rmw:3: touch: bad access 'exec' (read or write)
        bad walk kind               | 'rmaplab-workload 1\nP spawn\nP walk 1 1 migrate\n' | bad.rmw:3: walk: bad KIND 'migrate' (reclaim or full)
        upper-case walk kind        | 'rmaplab-workload 1\nP spawn\nP walk 1 1 FULL\n' | bad.rmw:3: walk: bad KIND 'FULL' (reclaim or full)
        token after walk kind       | 'rmaplab-workload 1\nP spawn\nP walk 1 1 full x\n' | bad.rmw:3: walk: unexpected argument 'x'
        task before creation        | 'rmaplab-workload 1\nP touch 1 1 read\n'          | bad.rmw:2: task 'P' does not exist
        task after exit             | 'rmaplab-workload 1\nP spawn\nP exit\nP walk 1 1\n' | bad.rmw:4: task 'P' has exited
        created twice               | 'rmaplab-workload 1\nP spawn\nP fork P\n'         | bad.rmw:3: task 'P' already exists
        thread name taken           | 'rmaplab-workload 1\nP spawn\nQ spawn\nP thread Q\n' | bad.rmw:4: task 'Q' already exists
        fork after nofork           | 'rmaplab-workload 1\nP spawn\nP thread T\nP nofork\nT fork C\n' | bad.rmw:5: 'T' forks after nofork
        vfork after nofork          | 'rmaplab-workload 1\nP spawn\nP nofork\nP vfork C\n' | bad.rmw:4: 'P' forks after nofork
        exec with threads           | 'rmaplab-workload 1\nP spawn\nP thread T\nT exec\n' | bad.rmw:4: exec by 'T' while its process has other live threads
        """)
    void malformedInputGetsFileAndLine(String what, String text, String message) {
        assertEquals(message, error(text.replace("\\n", "\n")), what);
    }

    @Test
    void lifecycleRulesThatAllowThings() throws Exception {
        // nofork is not inherited, ends at exec, and a name may be used again after its task exited
        List<Op> ops = Workloads.parse("ok.rmw", H + """
                P spawn
                P fork C
                P nofork
                C fork D
                P exec
                P fork E
                E exit
                P fork E   # the name is free again
                P thread T
                T exit
                P exec
                """);
        assertEquals(11, ops.size());
    }

    @Test
    void theFormatsExampleParses() throws Exception {
        List<Op> ops = Workloads.parse("ex.rmw", H + """
                P spawn
                P mmap 0x1000 1 rw- anon
                P mmap 0x1002 1 rw- anon          # a one-page gap keeps the VMAs apart
                P touch 0x1000 1 write
                P fork C1
                C1 munmap 0x1002 1
                P walk 0x1000 5
                """);
        assertEquals(List.of(new Op.Spawn("P"), new Op.Mmap("P", 0x1000, 1, Prot.RW, MapKind.ANON),
                new Op.Mmap("P", 0x1002, 1, Prot.RW, MapKind.ANON), new Op.Touch("P", 0x1000, 1, true),
                new Op.Fork("P", "C1"), new Op.Munmap("C1", 0x1002, 1), new Op.Walk("P", 0x1000, 5)), ops);
    }

    @Test
    void tabsCarriageReturnsAndKinds() throws Exception {
        List<Op> ops = Workloads.parse("k.rmw", "rmaplab-workload 1\r\nP\tspawn\r\nP mmap 16 2 r-x file=lib/a.so@0x10\r\n"
                + "P mmap 32 2 rw- shared-file=db@3\nP mmap 64 1 --- stack\nP madvise 64 1 wipeonfork\n");
        assertEquals(new Op.Mmap("P", 16, 2, Prot.RX, MapKind.file("lib/a.so", 16)), ops.get(1));
        assertEquals(new Op.Mmap("P", 32, 2, Prot.RW, MapKind.sharedFile("db", 3)), ops.get(2));
        assertEquals(new Op.Madvise("P", 64, 1, Advice.WIPEONFORK), ops.get(4));
    }

    @Test
    void mmapFlagsAndHugepageAdvice() throws Exception {
        List<Op> ops = Workloads.parse("f.rmw", H + "P spawn\nP mmap 16 2 rw- anon stack,noreserve\n"
                + "P mmap 32 2 --- anon noreserve\nP mmap 48 1 rw- stack stack\nP mmap 64 1 rw- anon\n"
                + "P madvise 16 1 hugepage\nP madvise 16 1 nohugepage\n");
        Op.Mmap m = (Op.Mmap) ops.get(1);
        assertEquals(java.util.EnumSet.of(MapFlag.NORESERVE, MapFlag.STACK), m.flags());
        assertEquals(new Op.Mmap("P", 32, 2, Prot.NONE, MapKind.ANON, java.util.Set.of(MapFlag.NORESERVE)), ops.get(2));
        assertEquals(new Op.Mmap("P", 48, 1, Prot.RW, MapKind.STACK, java.util.Set.of(MapFlag.STACK)), ops.get(3));
        assertEquals(new Op.Mmap("P", 64, 1, Prot.RW, MapKind.ANON), ops.get(4));
        assertEquals(java.util.Set.of(), ((Op.Mmap) ops.get(4)).flags());
        assertEquals(new Op.Madvise("P", 16, 1, Advice.HUGEPAGE), ops.get(5));
        assertEquals(new Op.Madvise("P", 16, 1, Advice.NOHUGEPAGE), ops.get(6));
        // the writer spells the flags in one order, and only when there are some
        assertEquals("P mmap 0x10 0x2 rw- anon noreserve,stack", WorkloadWriter.format(m));
        assertEquals("P mmap 0x40 0x1 rw- anon", WorkloadWriter.format(ops.get(4)));
        assertEquals(ops, Workloads.parse("again.rmw", Workloads.toText(ops, null)));
    }

    @Test
    void gzipIsToldByItsBytesNotItsName(@TempDir Path dir) throws Exception {
        String text = H + "P spawn\nP mmap 0x10 4 rw- anon\nP touch 0x10 4 write\n";
        Path plain = dir.resolve("w.rmw"), gz = dir.resolve("w-compressed.rmw");
        Files.writeString(plain, text);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(text.getBytes());
        }
        assertEquals(Workloads.readAll(plain), Workloads.readAll(gz));
        assertEquals(3, Workloads.readAll(gz).size());
    }

    @Test
    void errorsInGzipFilesNameTheLine(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("bad.rmw.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write((H + "P spawn\nP fly\n").getBytes());
        }
        WorkloadException e = assertThrows(WorkloadException.class, () -> Workloads.readAll(gz));
        assertEquals(gz + ":3: unknown op 'fly'", e.getMessage());
    }

    @Test
    void writerOutputReadsBackEqualAndStreams(@TempDir Path dir) throws IOException, WorkloadException {
        // a few hundred thousand random valid lines through a .gz file and back
        SplittableRandom rnd = new SplittableRandom(7);
        Path p = dir.resolve("big.rmw.gz");
        List<Op> sample = new ArrayList<>();
        int n = 300_000;
        try (WorkloadWriter w = WorkloadWriter.create(p)) {
            w.comment("generated\nfor the round trip");
            w.write(new Op.Spawn("P"));
            for (int i = 0; i < n; i++) {
                long a = rnd.nextLong(1L << 40), l = 1 + rnd.nextLong(1000);
                Op op = switch (rnd.nextInt(8)) {
                    case 0 -> new Op.Mmap("P", a, l, Prot.values()[rnd.nextInt(5)], rnd.nextBoolean() ? MapKind.ANON : MapKind.file("f" + i % 7, i),
                            java.util.Arrays.stream(MapFlag.values()).filter(f -> rnd.nextInt(3) == 0).collect(java.util.stream.Collectors.toSet()));
                    case 1 -> new Op.Munmap("P", a, l);
                    case 2 -> new Op.Mprotect("P", a, l, Prot.values()[rnd.nextInt(5)]);
                    case 3 -> new Op.Mremap("P", a, l, a + l, l + 1);
                    case 4 -> new Op.Madvise("P", a, l, Advice.values()[rnd.nextInt(Advice.values().length)]);
                    case 5 -> new Op.Touch("P", a, l, rnd.nextBoolean());
                    case 6 -> new Op.Walk("P", a, l);
                    default -> new Op.Migrate("P", a, l);
                };
                if (i % 1000 == 0) sample.add(op);
                w.write(op);
            }
        }
        try (WorkloadReader r = WorkloadReader.open(p)) {
            assertEquals(new Op.Spawn("P"), r.next());
            int i = 0, s = 0;
            Op op;
            while ((op = r.next()) != null) {
                if (i % 1000 == 0) assertEquals(sample.get(s++), op, "line " + r.line());
                i++;
            }
            assertEquals(n, i);
        }
    }
}
