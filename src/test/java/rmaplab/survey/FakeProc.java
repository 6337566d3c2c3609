package rmaplab.survey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A /proc laid out as the kernel's, in a temporary directory: two user
 * processes (1 and its child 4, which shares one anonymous frame with it),
 * kthreadd (2), a process that vanishes half-way (3: stat but no status),
 * pagemap, kpagecount, kpageflags, slabinfo, and a /sys/kernel/slab with
 * anon_vma_chain merged.
 *
 * <pre>
 *   pid 1: [0x400000,0x404000) rw-p anon   pagemap: 0x400 frame 0x10, 0x401 frame 0x11,
 *                                          0x402 a file page (PM_FILE), 0x403 not present
 *          [0x500000,0x501000) r--s /dev/shm/x (shared: pagemap not read)
 *   pid 4: [0x400000,0x402000) rw-p anon   pagemap: 0x400 frame 0x10 (shared with 1),
 *                                          0x401 frame 0x99, which kpageflags calls the zero page
 * </pre>
 */
final class FakeProc {
    private FakeProc() {}

    static final long ANON = 1L << ProcParse.KPF_ANON, ZERO = 1L << ProcParse.KPF_ZERO_PAGE;

    static Path make(Path root) throws IOException {
        Path proc = root.resolve("proc");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/randomize_va_space"), "2\n");
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "6.18.0-fake\n");
        Files.writeString(proc.resolve("slabinfo"), ProcParseTest.res("slabinfo"));
        process(proc, 1, 0, 100, "/init",
                "400000-404000 rw-p 00000000 00:00 0 \n" + smapsFields(8, "rd wr mr mw me ac")
                        + "500000-501000 r--s 00000000 00:1a 77                          /dev/shm/x\n" + smapsFields(0, "rd mr me ms sd"),
                Map.of(0x400L, present(0x10, false), 0x401L, present(0x11, true), 0x402L, present(0x12, false) | ProcParse.PM_FILE));
        Files.createDirectories(proc.resolve("2"));
        Files.writeString(proc.resolve("2/stat"), ProcParseTest.res("kthreadd.stat"));
        Files.createDirectories(proc.resolve("3"));
        Files.writeString(proc.resolve("3/stat"), "3 (gone) Z 1 3 3 0 -1 4194308 0 0 0 0 0 0 0 0 20 0 1 0 150 0 0\n");
        process(proc, 4, 1, 200, "/init",
                "400000-402000 rw-p 00000000 00:00 0 \n" + smapsFields(8, "rd wr mr mw me ac"),
                Map.of(0x400L, present(0x10, false), 0x401L, present(0x99, false)));
        frames(proc.resolve("kpagecount"), Map.of(0x10L, 2L, 0x11L, 1L, 0x99L, 500L));
        frames(proc.resolve("kpageflags"), Map.of(0x10L, ANON, 0x11L, ANON, 0x99L, ZERO));
        return proc;
    }

    static Path sysSlab(Path root) throws IOException {
        Path s = root.resolve("slab");
        Files.createDirectories(s.resolve("anon_vma"));
        Files.createDirectories(s.resolve("vm_area_struct"));
        Files.createDirectories(s.resolve(":A-0000064"));
        Files.createSymbolicLink(s.resolve("anon_vma_chain"), Path.of(":A-0000064"));
        Files.createSymbolicLink(s.resolve("fs_cache"), Path.of(":A-0000064"));
        Files.createSymbolicLink(s.resolve("eventpoll_pwq"), Path.of(":A-0000064"));
        return s;
    }

    static long present(long frame, boolean exclusive) {
        return ProcParse.PM_PRESENT | (exclusive ? ProcParse.PM_EXCLUSIVE : 0) | frame;
    }

    static String smapsFields(long anonKb, String flags) {
        return "Size:                 16 kB\nRss:                   8 kB\nAnonymous:           " + anonKb
                + " kB\nAnonHugePages:         0 kB\nSwap:                  0 kB\nVmFlags: " + flags + " \n";
    }

    static void process(Path proc, int pid, int ppid, long start, String exe, String smaps, Map<Long, Long> pagemap) throws IOException {
        Path d = proc.resolve(Integer.toString(pid));
        Files.createDirectories(d.resolve("task/" + pid));
        Files.writeString(d.resolve("stat"), pid + " (p" + pid + ") S " + ppid + " " + pid + " " + pid
                + " 0 -1 4194560 10 0 0 0 1 1 0 0 20 0 1 0 " + start + " 1000 10\n");
        Files.writeString(d.resolve("status"), "Name:\tp" + pid + "\nPPid:\t" + ppid + "\nRssAnon:\t       8 kB\n"
                + "Threads:\t1\nSigIgn:\t0000000000000000\n");
        Files.createSymbolicLink(d.resolve("exe"), Path.of(exe));
        Files.writeString(d.resolve("smaps"), smaps);
        frames(d.resolve("pagemap"), pagemap);
    }

    /** A file of 8-byte native-order entries, written at entry index × 8 (sparse elsewhere). */
    static void frames(Path p, Map<Long, Long> entries) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long max = 0;
            for (var e : entries.entrySet()) {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(e.getValue());
                b.flip();
                ch.write(b, e.getKey() * 8);
                max = Math.max(max, e.getKey());
            }
            // pagemap reads past the last entry written return zeros, as the kernel's do
            ByteBuffer z = ByteBuffer.allocate(8 * 8);
            ch.write(z, (max + 1) * 8);
        }
    }
}
