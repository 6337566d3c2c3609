package rmaplab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.cli.CliRun;
import rmaplab.cli.CliRun.Out;
import rmaplab.record.Truth;

/**
 * {@code rmaplab kernel-check} on recordings: hand-written workloads with
 * hand-written truth files, the kernel's counts worked out by hand from the
 * kernel's rules (no perf, no root).
 */
class RecordingCheckTest {
    @TempDir Path tmp;

    static Out run(String... args) { return CliRun.run(args); }

    /**
     * P maps four pages and writes two (one anon_vma and its chain, at the
     * first fault: __anon_vma_prepare), forks C (vm_area_dup; anon_vma_fork:
     * a chain to P's anon_vma via anon_vma_clone, a new anon_vma and its own
     * chain), C writes a page (CoW into its own anon_vma) and unmaps it all
     * (the VMA, both chains and C's anon_vma, now unused, are freed), then C
     * exits (nothing left to free) and P exits (its frees are not recorded).
     */
    static final String FORK_WORKLOAD = """
            rmaplab-workload 1
            P spawn
            P mmap 0x100 4 rw- anon
            P touch 0x100 2 write
            P fork C
            C touch 0x100 1 write
            C munmap 0x100 4
            C exit
            P exit
            """;

    static String kind(int aTouch, int aFork, int fMunmap, String allocSites, String freeSites) {
        return kind("{\"touch\": " + aTouch + ", \"fork\": " + aFork + "}", aTouch + aFork, allocSites,
                fMunmap == 0 ? "{}" : "{\"munmap\": " + fMunmap + "}", fMunmap, freeSites);
    }

    static String kind(String allocByOp, long allocTotal, String allocSites, String freeByOp, long freeTotal, String freeSites) {
        return "{\n      \"allocated\": {\"total\": " + allocTotal + ", \"byOp\": " + allocByOp + ", \"bySite\": " + allocSites
                + "},\n      \"freed\": {\"total\": " + freeTotal + ", \"byOp\": " + freeByOp + ", \"bySite\": " + freeSites + "}\n    }";
    }

    static String truth(String workload, String anonVma, String chain, String vma, String extra) {
        return "{\n  \"format\": \"rmaplab-truth 1\",\n  \"recording\": \"t.data\",\n  \"workload\": \"" + workload + "\",\n"
                + "  \"exitFreesRecorded\": false,\n  \"kinds\": {\n    \"anon_vma\": " + anonVma + ",\n    \"anon_vma_chain\": "
                + chain + ",\n    \"vm_area_struct\": " + vma + "\n  },\n  \"excluded\": {\"copy_fs_struct\": 1},\n"
                + "  \"unrepresented\": {}" + extra + "\n}\n";
    }

    /** The kernel's counts for {@link #FORK_WORKLOAD}, worked out in its comment. */
    static String forkTruth(String workload) {
        return truth(workload,
                kind(1, 1, 1, "{\"__anon_vma_prepare\": 1, \"anon_vma_fork\": 1}", "{\"__put_anon_vma\": 1}"),
                kind(1, 2, 2, "{\"__anon_vma_prepare\": 1, \"anon_vma_clone\": 1, \"anon_vma_fork\": 1}", "{\"unlink_anon_vmas\": 2}"),
                kind("{\"mmap\": 1, \"fork\": 1}", 2, "{\"vm_area_alloc\": 1, \"vm_area_dup\": 1}",
                        "{\"munmap\": 1}", 1, "{\"vms_complete_munmap_vmas\": 1}"), "");
    }

    Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test void equalCountsPassAndExitFreesAreNotCompared() throws Exception {
        Path w = write("eq.rmw", FORK_WORKLOAD);
        write("eq.truth.json", forkTruth("eq.rmw"));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: model = kernel (allocated, model / kernel: anon_vma 2 / 2 equal; "
                + "anon_vma_chain 3 / 3 equal; vm_area_struct 2 / 2 equal)"), r.out());
        // P's exit frees its VMA, its anon_vma and its chain in the model; the recording cannot have them
        assertTrue(r.out().matches("(?s).*-- anon_vma\\n.*  exit +\\| +0 \\| +0 \\| +\\| +1 \\| not recorded \\| +\\n.*"), r.out());
        assertTrue(r.out().contains("frees at exit are not recorded"), r.out());
        assertTrue(r.out().contains("1 of 1 files: model = kernel"), r.out());
    }

    /**
     * The same counts as {@link #equalCountsPassAndExitFreesAreNotCompared}, in a truth that names damage
     * (format 2): the comparison is shown, but no verdict of equality; the damage comes first, with its line.
     */
    @Test void aDamagedRecordingGetsNoVerdict() throws Exception {
        Path w = write("dm.rmw", FORK_WORKLOAD);
        write("dm.truth.json", forkTruth("dm.rmw").replace("rmaplab-truth 1", "rmaplab-truth 2").replace("\"unrepresented\": {}",
                "\"unrepresented\": {},\n  \"damage\": [{\"line\": 4000, \"what\": \"tasks alive at the end\", \"count\": 2}]"));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: DAMAGED RECORDING, no verdict (the damage is listed below) (allocated, model / "
                + "kernel: anon_vma 2 / 2 equal;"), r.out());
        assertTrue(r.out().contains("unexplained:\n  the recording is damaged: t.data:4000: tasks alive at the end (2 times; "
                + "the first here)\n"), r.out());
        assertTrue(r.out().contains("0 of 1 files: model = kernel"), r.out());
        assertFalse(r.out().contains("verdict: model = kernel"), r.out());
    }

    @Test void gzippedWorkloadAndTheTruthFileNamedDirectly() throws Exception {
        Path w = tmp.resolve("z.rmw.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(w))) {
            o.write(FORK_WORKLOAD.getBytes(StandardCharsets.UTF_8));
        }
        Path t = write("z.truth.json", forkTruth("z.rmw.gz"));
        assertEquals(t, Truth.besideWorkload(w));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith(w + ": recording t.data"), r.out());
        Out r2 = run("kernel-check", "--wide", t.toString());
        assertEquals(0, r2.status(), r2.out() + r2.err());
        assertEquals(r.out(), r2.out());
    }

    /** Eleven VMAs, each written once: 11 anon_vma in the model; the truth file says 10, 10 % fewer. */
    @Test void tenPerCentMoreInTheModelFailsWithTheTable() throws Exception {
        StringBuilder b = new StringBuilder("rmaplab-workload 1\nP spawn\n");
        for (int i = 0; i < 11; i++) b.append("P mmap ").append(0x100 + 2 * i).append(" 1 rw- anon\n");
        for (int i = 0; i < 11; i++) b.append("P touch ").append(0x100 + 2 * i).append(" 1 write\n");
        Path w = write("ten.rmw", b.toString());
        write("ten.truth.json", truth("ten.rmw",
                kind("{\"touch\": 10}", 10, "{\"__anon_vma_prepare\": 10}", "{}", 0, "{}"),
                kind("{\"touch\": 11}", 11, "{\"__anon_vma_prepare\": 11}", "{}", 0, "{}"),
                kind("{\"mmap\": 11}", 11, "{\"vm_area_alloc\": 11}", "{}", 0, "{}"), ""));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*-- anon_vma\\n  touch +\\| +11 \\| +10 \\| \\+1 \\(\\+10\\.0 %\\) \\|.*"), r.out());
        assertTrue(r.out().contains("verdict: DIFFERENCE (allocated, model / kernel: anon_vma 11 / 10 +1 (+10.0 %) BEYOND 2 %, "
                + "1 unexplained (BEYOND 2 %); anon_vma_chain 11 / 11 equal; vm_area_struct 11 / 11 equal)"), r.out());
        assertTrue(r.out().contains("anon_vma allocated at touch: the model has 1 more than the kernel"), r.out());
        assertTrue(r.out().contains("0 of 1 files: model = kernel"), r.out());
    }

    /** 50 written VMAs against a kernel's 51: one short, 1.96 %, within the tolerance. */
    @Test void withinTwoPerCentPasses() throws Exception {
        StringBuilder b = new StringBuilder("rmaplab-workload 1\nP spawn\n");
        for (int i = 0; i < 50; i++) b.append("P mmap ").append(0x100 + 2 * i).append(" 1 rw- anon\nP touch ")
                .append(0x100 + 2 * i).append(" 1 write\n");
        Path w = write("fifty.rmw", b.toString());
        write("fifty.truth.json", truth("fifty.rmw",
                kind("{\"touch\": 51}", 51, "{\"__anon_vma_prepare\": 51}", "{}", 0, "{}"),
                kind("{\"touch\": 50}", 50, "{\"__anon_vma_prepare\": 50}", "{}", 0, "{}"),
                kind("{\"mmap\": 50}", 50, "{\"vm_area_alloc\": 50}", "{}", 0, "{}"), ""));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: model = kernel within 2 %, differences explained (allocated, model / kernel: "
                + "anon_vma 50 / 51 -1 (-2.0 %) within 2 %, 1 unexplained (within 2 %);"), r.out());
    }

    /**
     * A program exec'd from a forked child: the kernel makes the new stack's
     * anon_vma and chain inside execve (its pages arrive without a fault) and
     * the stack and program VMAs too; the workload has them as mmap and touch
     * lines after the exec.
     */
    @Test void movedBetweenOpsAreExplained() throws Exception {
        Path w = write("ex.rmw", """
                rmaplab-workload 1
                P spawn
                P fork C
                C exec
                C mmap 0x7000 8 rw- stack
                C touch 0x7007 1 write
                C mmap 0x400 2 r-x file=prog@0
                """);
        // fork of an empty mm allocates nothing; exec: 1 anon_vma, 1 chain, 2 VMAs in the kernel, all at exec
        write("ex.truth.json", truth("ex.rmw",
                kind("{\"exec\": 1}", 1, "{\"__anon_vma_prepare\": 1}", "{}", 0, "{}"),
                kind("{\"exec\": 1}", 1, "{\"__anon_vma_prepare\": 1}", "{}", 0, "{}"),
                kind("{\"exec\": 2}", 2, "{\"vm_area_alloc\": 2}", "{}", 0, "{}"),
                ",\n  \"notes\": [\"a hand-written truth\"]"));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("anon_vma: the kernel's 1 at exec: exec's new stack gets its first pages without a page "
                + "fault"), r.out());
        assertTrue(r.out().contains("the model makes 1 of them at the touch lines the importer wrote for it"), r.out());
        assertTrue(r.out().contains("vm_area_struct: the kernel's 2 at exec: exec maps the new stack"), r.out());
        assertTrue(r.out().contains("importer: a hand-written truth"), r.out());
        assertFalse(r.out().contains("unexplained:"), r.out());
    }

    @Test void unattributedStandsForTheModelsSurplus() throws Exception {
        Path w = write("un.rmw", FORK_WORKLOAD);
        write("un.truth.json", truth("un.rmw",
                kind(1, 1, 1, "{\"__anon_vma_prepare\": 1, \"anon_vma_fork\": 1}", "{\"__put_anon_vma\": 1}"),
                kind("{\"touch\": 1, \"fork\": 1, \"unattributed\": 1}", 3, "{\"__anon_vma_prepare\": 1, \"anon_vma_clone\": 1, \"anon_vma_fork\": 1}",
                        "{\"munmap\": 2}", 2, "{\"unlink_anon_vmas\": 2}"),
                kind("{\"mmap\": 1, \"fork\": 1}", 2, "{\"vm_area_alloc\": 1, \"vm_area_dup\": 1}",
                        "{\"munmap\": 1}", 1, "{\"vms_complete_munmap_vmas\": 1}"), ""));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("anon_vma_chain: the kernel's 1 allocated under 'unattributed' (events the importer could "
                + "not tie to an op); they stand for the model's surplus of 1 at fork"), r.out());
        assertTrue(r.out().contains("verdict: model = kernel, differences explained"), r.out());
    }

    /**
     * What a failed syscall made and freed (an mmap whose VMA __mmap_region freed on its error path,
     * recordings/postgres) is left out of the comparison, and stands for nothing at any other op.
     */
    @Test void failedSyscallsAreLeftOutAndExplainNothingElse() throws Exception {
        Path w = write("f.rmw", FORK_WORKLOAD);
        String av = kind(1, 1, 1, "{\"__anon_vma_prepare\": 1, \"anon_vma_fork\": 1}", "{\"__put_anon_vma\": 1}");
        String avc = kind(1, 2, 2, "{\"__anon_vma_prepare\": 1, \"anon_vma_clone\": 1, \"anon_vma_fork\": 1}", "{\"unlink_anon_vmas\": 2}");
        write("f.truth.json", truth("f.rmw", av, avc,
                kind("{\"mmap\": 1, \"fork\": 1, \"failed\": 1}", 3, "{\"vm_area_alloc\": 2, \"vm_area_dup\": 1}",
                        "{\"munmap\": 1, \"failed\": 1}", 2, "{\"vms_complete_munmap_vmas\": 1, \"__mmap_region\": 1}"), ""));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("vm_area_struct: the kernel's 1 allocated and 1 freed under 'failed'"), r.out());
        assertTrue(r.out().contains("vm_area_struct 2 / 2 (kernel 3 less 1 in failed syscalls) equal"), r.out());
        assertTrue(r.out().contains("verdict: model = kernel, differences explained"), r.out());
        assertFalse(r.out().contains("unexplained:"), r.out());

        // the model's VMA at mmap has no counterpart in this truth: 'failed' does not stand for it
        Path w2 = write("g.rmw", FORK_WORKLOAD);
        write("g.truth.json", truth("g.rmw", av, avc,
                kind("{\"fork\": 1, \"failed\": 1}", 2, "{\"vm_area_alloc\": 1, \"vm_area_dup\": 1}",
                        "{\"munmap\": 1, \"failed\": 1}", 2, "{\"vms_complete_munmap_vmas\": 1, \"__mmap_region\": 1}"), ""));
        Out r2 = run("kernel-check", w2.toString());
        assertTrue(r2.out().contains("vm_area_struct allocated at mmap: the model has 1 more than the kernel"), r2.out());
        assertFalse(r2.out().contains("differences explained"), r2.out());
    }

    @Test void malformedTruthIsBadInputWithFileAndLine() throws Exception {
        Path w = write("bad.rmw", FORK_WORKLOAD);
        String good = forkTruth("bad.rmw");
        Path t = tmp.resolve("bad.truth.json");

        Files.writeString(t, good.replace("\"workload\": \"bad.rmw\",", "\"workload\": \"bad.rmw\""));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith(t + ":5: not valid JSON"), r.err());
        assertEquals("", r.out());

        Files.writeString(t, good.replace("{\"touch\": 1, \"fork\": 2}", "{\"touch\": 1, \"fork\": 1}"));
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(t + ":12: kinds.anon_vma_chain.allocated.byOp: adds up to 2, not the total 3\n", r.err());

        Files.writeString(t, good.replace("{\"touch\": 1, \"fork\": 2}", "{\"touch\": 1, \"frok\": 2}"));
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ":12: kinds.anon_vma_chain.allocated.byOp.frok: 'frok' is not a workload op keyword nor "
                + "'unattributed' nor 'failed'\n", r.err());

        Files.writeString(t, good.replace("\"total\": 2, \"byOp\": {\"mmap\"", "\"total\": \"2\", \"byOp\": {\"mmap\""));
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ":16: kinds.vm_area_struct.allocated.total: should be a whole number, not \"2\"\n", r.err());

        Files.writeString(t, good.replace("\"vm_area_struct\"", "\"vm_area\""));
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ":6: kinds: 'vm_area_struct' is missing\n", r.err());

        Files.writeString(t, good.replace("rmaplab-truth 1", "rmaplab-truth 3"));
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ":2: format: not a truth file: 'format' should be \"rmaplab-truth 1\" or \"rmaplab-truth 2\", "
                + "not \"rmaplab-truth 3\"\n", r.err());

        Files.writeString(t, "");
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ": empty, not a truth file\n", r.err());

        Files.writeString(t, "[1, 2]\n");
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertEquals(t + ":1: should be a JSON object\n", r.err());
    }

    @Test void aBadWorkloadBesideAGoodTruthIsBadInput() throws Exception {
        Path w = write("bw.rmw", FORK_WORKLOAD.replace("C touch 0x100 1 write", "C touch 0x100 1 wirte"));
        write("bw.truth.json", forkTruth("bw.rmw"));
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith(w + ":6: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /**
     * A recording and a live file on one command line where the live kernel
     * cannot be probed (no probe/ in the home given): the recording is still
     * checked and printed; exit 3 only because of the live file, 1 when the
     * recording differs.
     */
    @Test void recordingsAreCheckedWhenTheLiveKernelCannotBeProbed() throws Exception {
        Path w = write("mix.rmw", FORK_WORKLOAD);
        write("mix.truth.json", forkTruth("mix.rmw"));
        Path liveFile = write("live.rmw", "rmaplab-workload 1\nP spawn\nP mmap 0x100 1 rw- anon\n");
        String old = System.getProperty("rmaplab.home");
        System.setProperty("rmaplab.home", tmp.toString());
        try {
            Out r = run("kernel-check", "--wide", w.toString(), liveFile.toString());
            assertEquals(3, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("verdict: model = kernel"), r.out());
            assertTrue(r.out().contains("1 of 1 recordings: model = kernel; 1 live file(s) not checked"), r.out());
            assertTrue(r.err().contains("cannot probe the live kernel"), r.err());

            Files.writeString(tmp.resolve("mix.truth.json"), forkTruth("mix.rmw").replace(
                    "\"byOp\": {\"mmap\": 1, \"fork\": 1}", "\"byOp\": {\"mmap\": 1, \"fork\": 1, \"mremap\": 1}")
                    .replace("\"total\": 2, \"byOp\": {\"mmap\"", "\"total\": 3, \"byOp\": {\"mmap\"")
                    .replace("\"vm_area_dup\": 1}", "\"vm_area_dup\": 2}"));
            r = run("kernel-check", "--wide", w.toString(), liveFile.toString());
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("vm_area_struct 2 / 3 -1 (-33.3 %) BEYOND 2 %"), r.out());
            assertTrue(r.out().contains("vm_area_struct allocated at mremap: the model has 1 fewer than the kernel"), r.out());
        } finally {
            if (old == null) System.clearProperty("rmaplab.home");
            else System.setProperty("rmaplab.home", old);
        }
    }

    /**
     * The recorded command's own stack: perf switches the events on at its
     * exec, after bprm_mm_init made the stack VMA and copy_strings its
     * anon_vma, so the kernel's counts lack one VMA, one anon_vma and one
     * chain that the model makes at the stack's mmap and first touch. With
     * 5 anon_vma in the kernel, one more would be 20 %: left out of the total.
     */
    @Test void theRecordedCommandsStackIsLeftOut() throws Exception {
        String body = """
                P mmap 0x100 1 rw- anon
                P mmap 0x102 1 rw- anon
                P mmap 0x104 1 rw- anon
                P mmap 0x106 1 rw- anon
                P mmap 0x108 1 rw- anon
                P touch 0x100 1 write
                P touch 0x102 1 write
                P touch 0x104 1 write
                P touch 0x106 1 write
                P touch 0x108 1 write
                P touch 0x7fff 1 write
                """;
        String stackFirst = "rmaplab-workload 1\nP spawn\nP mmap 0x7ff0 16 rw- stack\n" + body;
        String truth = truth("s.rmw",
                kind("{\"touch\": 5}", 5, "{\"__anon_vma_prepare\": 5}", "{}", 0, "{}"),
                kind("{\"touch\": 5}", 5, "{\"__anon_vma_prepare\": 5}", "{}", 0, "{}"),
                kind("{\"mmap\": 5}", 5, "{\"vm_area_alloc\": 5}", "{}", 0, "{}"), "");
        Path w = write("s.rmw", stackFirst);
        write("s.truth.json", truth);
        Out r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: model = kernel, differences explained (allocated, model / kernel: anon_vma 5 / 5 "
                + "(model 6 less 1 made before the recording) equal;"), r.out());
        assertTrue(r.out().contains("vm_area_struct: the model's 1 at mmap for the stack of the recorded command"), r.out());

        // never touched: only its VMA was made before the recording
        Files.writeString(w, stackFirst.replace("P touch 0x7fff 1 write\n", ""));
        Files.writeString(tmp.resolve("s.truth.json"), truth);
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("anon_vma 5 / 5 equal; anon_vma_chain 5 / 5 equal; vm_area_struct 5 / 5 (model 6 less 1 "
                + "made before the recording) equal)"), r.out());

        // the same stack mapped later is the program's own: the kernel would have recorded it
        Files.writeString(w, "rmaplab-workload 1\nP spawn\n" + body.replace("P touch 0x7fff 1 write\n", "")
                + "P mmap 0x7ff0 16 rw- stack\nP touch 0x7fff 1 write\n");
        r = run("kernel-check", "--wide", w.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("anon_vma 6 / 5 +1 (+20.0 %) BEYOND 2 %"), r.out());
        assertTrue(r.out().contains("anon_vma allocated at touch: the model has 1 more than the kernel"), r.out());
    }

    /**
     * P writes nothing, only reads a page: without the zero page the kernel makes a folio, and
     * __anon_vma_prepare an anon_vma and its chain, at that read fault. The truth file's zeroPage
     * decides how run, compare and kernel-check model it, unless the command line says otherwise.
     */
    @Test void theRecordedZeroPageModeIsUsedUnlessOverridden() throws Exception {
        String workload = "rmaplab-workload 1\nP spawn\nP mmap 0x100 4 rw- anon\nP touch 0x100 1 read\nP exit\n";
        String one = kind("{\"touch\": 1}", 1, "{\"__anon_vma_prepare\": 1}", "{}", 0, "{}");
        String vma = kind("{\"mmap\": 1}", 1, "{\"vm_area_alloc\": 1}", "{}", 0, "{}");
        Path w = write("r.rmw", workload);
        Path t = write("r.truth.json", truth("r.rmw", one, one, vma, ",\n  \"zeroPage\": \"off\""));
        Out kc = run("kernel-check", "--wide", w.toString());
        assertEquals(0, kc.status(), kc.out() + kc.err());
        assertTrue(kc.out().contains("zero page off (the recorded kernel's: off)"), kc.out());
        Out forced = run("kernel-check", w.toString(), "--recording-zero-page=on");
        assertEquals(1, forced.status(), forced.out() + forced.err()); // the model then makes nothing at the read
        Out r = run("run", w.toString(), "--design", "linux");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("(zero page off;"), r.out());
        assertTrue(r.err().contains("zero page off, as in the recorded kernel (r.truth.json"), r.err());
        Out on = run("compare", w.toString(), "--design", "linux", "--zero-page=on");
        assertEquals(0, on.status(), on.out() + on.err());
        assertTrue(on.out().contains("(zero page on;"), on.out());
        // no zeroPage (an older truth file) or "unknown": mainline's default, the zero page
        Files.writeString(t, truth("r.rmw", one, one, vma, ""));
        Out unknown = run("compare", w.toString(), "--design", "linux");
        assertTrue(unknown.out().contains("(zero page on;"), unknown.out());
        assertEquals(1, run("kernel-check", "--wide", w.toString()).status());
        // a value that is none of on, off, unknown is bad input, with the line
        Files.writeString(t, truth("r.rmw", one, one, vma, ",\n  \"zeroPage\": \"maybe\""));
        for (String cmd : new String[] {"run", "compare", "kernel-check"}) {
            Out bad = run(cmd, w.toString());
            assertEquals(2, bad.status(), cmd + ": " + bad.out() + bad.err());
            assertTrue(bad.err().contains(t + ":22: zeroPage: should be \"on\", \"off\" or \"unknown\", not \"maybe\""),
                    cmd + ": " + bad.err());
        }
    }
}
