package rmaplab.survey;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import rmaplab.survey.ProcParse.Region;

/**
 * Reads the live system (or a copy of /proc laid out the same way, for
 * tests): every process's stat, status, task list, exe, smaps (maps if smaps
 * cannot be read) and, for the private VMAs that hold anonymous pages, its
 * pagemap; then /proc/kpagecount and /proc/kpageflags for the frames seen.
 *
 * <p>Processes come and go while they are read: one that disappears (ENOENT,
 * ESRCH) or turns unreadable half-way is skipped and counted, never fatal.
 */
public final class ProcReader {
    private final Path proc;
    private final long scanCap;
    private final int selfPid;
    private final List<String> notes = new ArrayList<>();
    private final LinkedHashSet<String> noteSet = new LinkedHashSet<>();
    private long scanned;
    private int fromSmaps;
    private long swapped, anonHugeKb;

    /**
     * @param proc    the /proc directory
     * @param scanCap the most pagemap entries to read; VMAs beyond it are counted from smaps
     * @param selfPid the surveying process's pid (0 for none)
     */
    public ProcReader(Path proc, long scanCap, int selfPid) {
        this.proc = proc;
        this.scanCap = scanCap;
        this.selfPid = selfPid;
    }

    private void note(String s) {
        if (noteSet.add(s)) notes.add(s);
    }

    /** Thrown inside when a process is gone or unreadable half-way. */
    private static final class Vanished extends Exception {
        Vanished() { super(null, null, false, false); }
    }

    public Snapshot read() throws IOException {
        List<Integer> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(proc)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) pids.add(Integer.parseInt(n));
            });
        }
        pids.sort(null);
        List<Snapshot.Proc> procs = new ArrayList<>();
        int kthreads = 0, vanished = 0;
        for (int pid : pids) {
            Path dir = proc.resolve(Integer.toString(pid));
            try {
                ProcParse.Stat st = ProcParse.stat(readString(dir.resolve("stat")), dir.resolve("stat").toString());
                if (st.kernelThread()) {
                    kthreads++;
                    continue;
                }
                procs.add(readProc(dir, st));
            } catch (Vanished e) {
                vanished++;
            }
        }
        boolean pfns = false;
        boolean anyPage = false;
        for (Snapshot.Proc p : procs) {
            for (long e : p.entries()) {
                if ((e & ProcParse.SYNTHETIC) != 0) continue; // placed from smaps: pagemap was not read
                anyPage = true;
                if (Snapshot.pfn(e) != 0) pfns = true;
            }
        }
        Map<Long, long[]> frames = new TreeMap<>();
        if (anyPage && !pfns)
            note("pagemap shows no frame numbers (reading it needs CAP_SYS_ADMIN): pages cannot be matched across "
                    + "processes, so a page is taken as inherited from the parent when both pages are marked "
                    + "not exclusive at the same address");
        if (pfns) {
            procs = readFrames(procs, frames);
        }
        if (swapped > 0) note(swapped + " anonymous pages are swapped out: counted nowhere and not replayed");
        if (anonHugeKb > 0) note((anonHugeKb / 4) + " anonymous pages are in transparent huge pages: replayed as 4 KiB folios");
        boolean aslr = true;
        try {
            aslr = !readString(proc.resolve("sys/kernel/randomize_va_space")).strip().equals("0");
        } catch (Vanished e) {
            note("/proc/sys/kernel/randomize_va_space not readable: address randomization assumed on");
        }
        int self = 0;
        for (Snapshot.Proc p : procs) if (p.pid() == selfPid) self = selfPid;
        return new Snapshot(List.copyOf(procs), kthreads, vanished, pfns, frames, scanned, scanCap, fromSmaps, aslr, self,
                List.copyOf(notes));
    }

    private Snapshot.Proc readProc(Path dir, ProcParse.Stat st) throws Vanished {
        String pid = dir.getFileName().toString();
        Map<String, String> status = ProcParse.status(readString(dir.resolve("status")), dir.resolve("status").toString());
        boolean sigIgn = ProcParse.sigchldIgnored(status);
        long rssAnon = -1;
        String ra = status.get("RssAnon");
        if (ra != null && ra.endsWith(" kB")) {
            try {
                rssAnon = Long.parseLong(ra.substring(0, ra.length() - 3).strip());
            } catch (NumberFormatException e) {
                // left unknown
            }
        }
        boolean memoryRead = true;
        int threads;
        try (Stream<Path> s = Files.list(dir.resolve("task"))) {
            threads = (int) s.count();
        } catch (IOException e) {
            threads = st.threads();
        }
        String exe = null;
        try {
            exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // a zombie, or not ours to read: compared as unknown
        }
        List<Region> regions;
        try {
            regions = ProcParse.smaps(readStringOrDenied(dir.resolve("smaps")), dir.resolve("smaps").toString());
            // smaps is read in pieces (seq_file): a process that maps or unmaps between two reads gives a torn
            // list, with VMAs that overlap or go backwards. Read again; if it stays torn, drop the overlaps.
            for (int tries = 0; tries < 5 && !ascending(regions); tries++)
                regions = ProcParse.smaps(readStringOrDenied(dir.resolve("smaps")), dir.resolve("smaps").toString());
            if (!ascending(regions)) {
                note("some /proc/PID/smaps changed while they were read, six times in a row (busy processes): "
                        + "VMAs that overlapped the one before them were left out");
                regions = untorn(regions);
            }
        } catch (AccessDeniedException e) {
            note("some /proc/PID/smaps are not readable (permission denied: not root, or a process root may not "
                    + "trace): their VMAs come from maps where that is readable (else they count without memory), their anonymous "
                    + "pages from pagemap where readable");
            try {
                regions = ProcParse.maps(readStringOrDenied(dir.resolve("maps")), dir.resolve("maps").toString());
            } catch (AccessDeniedException e2) {
                memoryRead = false;
                regions = List.of();
            } catch (IOException e2) {
                throw new Vanished();
            }
        } catch (IOException e) {
            throw new Vanished();
        }
        List<Region> kept = new ArrayList<>();
        for (Region r : regions) if (!r.path().equals("[vsyscall]")) kept.add(r);
        LongArrayList vp = new LongArrayList(), en = new LongArrayList();
        readPages(dir, pid, kept, vp, en);
        return new Snapshot.Proc(st, threads, exe, sigIgn, memoryRead, rssAnon, List.copyOf(kept), vp.toLongArray(),
                en.toLongArray());
    }

    private void readPages(Path dir, String pid, List<Region> regions, LongArrayList vp, LongArrayList en) throws Vanished {
        FileChannel ch = null;
        boolean denied = false;
        winStart = -1;
        long limit = 0;
        for (Region r : regions) if (r.privateMapping()) limit = Math.max(limit, r.end());
        try {
            for (Region r : regions) {
                if (!r.privateMapping()) continue;
                if (r.anonHugeKb() > 0) anonHugeKb += r.anonHugeKb();
                boolean unknown = r.anonKb() < 0;
                if (!unknown && r.anonKb() == 0 && r.swapKb() <= 0) continue; // smaps says: no anonymous page here
                if (denied || scanned + r.pages() > scanCap) {
                    if (!denied) note("pagemap reading stopped at " + scanCap + " entries (--max-scan): later VMAs are "
                            + "counted from smaps' Anonymous, their pages placed at the start of the VMA and taken as the process's own");
                    fromSmaps++;
                    long n = Math.max(0, r.anonKb()) / 4;
                    for (long i = 0; i < n && i < r.pages(); i++) {
                        vp.add(r.start() + i);
                        en.add(ProcParse.PM_PRESENT | ProcParse.SYNTHETIC);
                    }
                    continue;
                }
                if (ch == null) {
                    try {
                        ch = FileChannel.open(dir.resolve("pagemap"), StandardOpenOption.READ);
                    } catch (AccessDeniedException e) {
                        note("some /proc/PID/pagemap are not readable (permission denied): those processes' anonymous pages "
                                + "are counted from smaps, placed at the start of their VMAs and taken as their own");
                        denied = true;
                        fromSmaps++;
                        long n = Math.max(0, r.anonKb()) / 4;
                        for (long i = 0; i < n && i < r.pages(); i++) {
                            vp.add(r.start() + i);
                            en.add(ProcParse.PM_PRESENT | ProcParse.SYNTHETIC);
                        }
                        continue;
                    }
                }
                scanPagemap(ch, r, limit, vp, en);
            }
        } catch (NoSuchFileException e) {
            throw new Vanished();
        } catch (IOException e) {
            throw new Vanished(); // ESRCH and friends: the process exited while being read
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    private static final int CHUNK = 4096;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.nativeOrder());
    /** The pagemap entries in buf: [winStart, winStart + winLen) of the process being read. */
    private long winStart = -1;
    private int winLen;

    /**
     * Adds r's anonymous pages. Pagemap is read through a window of up to
     * CHUNK entries that may span several small VMAs and the holes between
     * them (holes read as not present), up to {@code limit}: one read for many
     * small VMAs instead of one each.
     */
    private void scanPagemap(FileChannel ch, Region r, long limit, LongArrayList vp, LongArrayList en) throws IOException {
        for (long page = r.start(); page < r.end(); page++) {
            if (winStart < 0 || page < winStart || page >= winStart + winLen) {
                int n = (int) Math.min(CHUNK, limit - page);
                buf.clear().limit(n * 8);
                long pos = page * 8;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) break;
                }
                winStart = page;
                winLen = buf.position() / 8;
                scanned += winLen;
                if (winLen == 0) return; // past the end of the address space
            }
            long e = buf.getLong((int) (page - winStart) * 8);
            if ((e & ProcParse.PM_FILE) != 0) continue; // page-cache or shared page
            if ((e & ProcParse.PM_PRESENT) != 0) {
                vp.add(page);
                en.add(e);
            } else if ((e & ProcParse.PM_SWAP) != 0) {
                swapped++;
            }
        }
    }

    /** Reads kpagecount and kpageflags for every frame seen; drops pages that are not anonymous folios (the zero page). */
    private List<Snapshot.Proc> readFrames(List<Snapshot.Proc> procs, Map<Long, long[]> frames) {
        for (Snapshot.Proc p : procs) for (long e : p.entries()) if (Snapshot.pfn(e) != 0) frames.put(Snapshot.pfn(e), null);
        boolean countOk = true, flagsOk = true;
        try (FileChannel cnt = open(proc.resolve("kpagecount")); FileChannel flg = open(proc.resolve("kpageflags"))) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            for (Map.Entry<Long, long[]> f : frames.entrySet()) {
                long c = cnt == null ? -1 : read8(cnt, f.getKey(), b);
                long fl = flg == null ? -1 : read8(flg, f.getKey(), b);
                f.setValue(new long[] {c, fl});
            }
            countOk = cnt != null;
            flagsOk = flg != null;
        } catch (IOException e) {
            countOk = flagsOk = false;
            for (Map.Entry<Long, long[]> f : frames.entrySet()) f.setValue(new long[] {-1, -1});
        }
        if (!countOk) note("/proc/kpagecount not readable: the kernel's mapcount of each frame is not compared");
        if (!flagsOk) {
            note("/proc/kpageflags not readable: present private pages that are not file pages are all taken as anonymous");
            return procs;
        }
        long zero = 0, ksm = 0;
        List<Snapshot.Proc> out = new ArrayList<>();
        for (Snapshot.Proc p : procs) {
            LongArrayList vp = new LongArrayList(), en = new LongArrayList();
            for (int i = 0; i < p.vpages().length; i++) {
                long[] f = frames.get(Snapshot.pfn(p.entries()[i]));
                long flags = f == null ? -1 : f[1];
                if (flags >= 0 && ((flags >>> ProcParse.KPF_ZERO_PAGE & 1) != 0 || (flags >>> ProcParse.KPF_ANON & 1) == 0)) {
                    zero++;
                    continue;
                }
                if (flags >= 0 && (flags >>> ProcParse.KPF_KSM & 1) != 0) ksm++;
                vp.add(p.vpages()[i]);
                en.add(p.entries()[i]);
            }
            out.add(new Snapshot.Proc(p.stat(), p.threads(), p.exe(), p.sigchldIgnored(), p.memoryRead(), p.rssAnonKb(),
                    p.regions(), vp.toLongArray(), en.toLongArray()));
        }
        if (zero > 0) note(zero + " present private pages are the zero page or not anonymous (kpageflags): left out");
        if (ksm > 0) note(ksm + " anonymous pages are KSM pages: their sharing is KSM's, not fork's, and is not reproduced");
        return out;
    }

    private static FileChannel open(Path p) {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static long read8(FileChannel ch, long index, ByteBuffer b) throws IOException {
        b.clear();
        while (b.hasRemaining()) {
            if (ch.read(b, index * 8 + b.position()) < 0) return -1;
        }
        b.flip();
        return b.getLong();
    }

    private static String readString(Path p) throws Vanished {
        try {
            return readStringOrDenied(p);
        } catch (IOException e) {
            throw new Vanished();
        }
    }

    private static String readStringOrDenied(Path p) throws IOException {
        try {
            return new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof NoSuchFileException) throw e;
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Whether every VMA starts at or after the end of the one before it. */
    static boolean ascending(List<Region> regions) {
        for (int i = 1; i < regions.size(); i++) if (regions.get(i).start() < regions.get(i - 1).end()) return false;
        return true;
    }

    /** The VMAs of a torn read that start at or after the end of the last one kept. */
    static List<Region> untorn(List<Region> regions) {
        List<Region> out = new ArrayList<>();
        for (Region r : regions) if (out.isEmpty() || r.start() >= out.get(out.size() - 1).end()) out.add(r);
        return out;
    }
}
