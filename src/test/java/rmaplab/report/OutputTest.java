package rmaplab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.workload.Op;
import rmaplab.workload.Workloads;

/** Files are written whole or not at all, and a write error is an error. */
class OutputTest {
    @TempDir Path tmp;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test void aFileIsWrittenWholeAndNothingElseIsLeft() throws Exception {
        Path f = tmp.resolve("out.txt");
        Output.file(f, out -> out.write("first\n".getBytes(StandardCharsets.UTF_8)));
        Output.file(f, out -> out.write("second\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("second\n", Files.readString(f));
        assertEquals(List.of("out.txt"), names(tmp));
    }

    @Test void aWriteThatFailsHalfWayLeavesTheOldFileAndNoTemporaryOne() throws Exception {
        Path f = tmp.resolve("out.txt");
        Files.writeString(f, "old\n");
        Output.Failed e = assertThrows(Output.Failed.class, () -> Output.file(f, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + f + ": No space left on device", e.getMessage());
        assertEquals("old\n", Files.readString(f));
        assertEquals(List.of("out.txt"), names(tmp));
    }

    @Test void aMissingFolderIsSaid() {
        Path f = tmp.resolve("nowhere/out.txt");
        Output.Failed e = assertThrows(Output.Failed.class, () -> Output.file(f, out -> out.write('x')));
        assertEquals("cannot write " + f + ": no such file or folder", e.getMessage());
    }

    @Test void aSymbolicLinkStaysALinkToTheNewContent() throws Exception {
        Path real = tmp.resolve("real.txt"), link = tmp.resolve("link.txt");
        Files.writeString(real, "old\n");
        Files.createSymbolicLink(link, real.getFileName());
        Output.file(link, out -> out.write("new\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
    }

    @Test void aDanglingLinkIsFollowedAndItsFileMade() throws Exception {
        Path link = tmp.resolve("link.txt");
        Files.createSymbolicLink(link, Path.of("made.txt"));
        Output.file(link, out -> out.write("new\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(tmp.resolve("made.txt")));
    }

    @Test void aWorkloadFileReadsBackGzippedOrNot() throws Exception {
        List<Op> ops = Workloads.parse("w", "rmaplab-workload 1\nP spawn\nP mmap 0x1000 0x2 rw- anon\nP touch 0x1000 0x1 write\n");
        for (String name : List.of("w.rmw", "w.rmw.gz")) {
            Output.workload(tmp.resolve(name), ops);
            assertEquals(ops, Workloads.readAll(tmp.resolve(name)), name);
        }
    }

    @Test void aDeviceIsWrittenInPlaceAndAFullOneFails() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full) && Files.isWritable(full), "no writable /dev/full on this machine");
        Output.Failed e = assertThrows(Output.Failed.class, () -> Output.file(full, out -> out.write(new byte[1 << 16])));
        assertEquals("cannot write /dev/full: No space left on device", e.getMessage());
        assertTrue(Files.exists(full) && !Files.isRegularFile(full), "the device is still a device");
        assertFalse(Files.isDirectory(full));
    }
}
