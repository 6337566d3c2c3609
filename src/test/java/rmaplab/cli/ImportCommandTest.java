package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCommandTest {
    static int run(String... args) { return Main.commandLine().execute(args); }

    @Test
    void importsARecordingAndWritesTheTruthBesideIt(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("ls.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/record/sh-ls-wc.txt.gz")) {
            Files.copy(in, rec);
        }
        assertEquals(Main.OK, run("import", rec.toString()));
        assertTrue(Files.isRegularFile(dir.resolve("ls.rmw.gz")));
        assertTrue(Files.isRegularFile(dir.resolve("ls.truth.json")));
        assertEquals(Main.OK, run("import", rec.toString(), "-o", dir.resolve("other.rmw.gz").toString()));
        assertTrue(Files.isRegularFile(dir.resolve("other.truth.json")));
        assertEquals(Main.OK, run("run", dir.resolve("other.rmw.gz").toString(), "--design", "linux", "--check"));
    }

    /** Walks are written by default (a recording ends with every process gone); --no-walks leaves them out. */
    @Test
    void walksByDefaultAndNoWalksOnRequest(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("ls.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/record/sh-ls-wc.txt.gz")) {
            Files.copy(in, rec);
        }
        Path def = dir.resolve("def.rmw.gz"), none = dir.resolve("none.rmw.gz");
        assertEquals(Main.OK, run("import", rec.toString(), "-o", def.toString()));
        assertEquals(Main.OK, run("import", "--no-walks", rec.toString(), "-o", none.toString()));
        assertTrue(walkLines(def) > 0, "no walk in the default import");
        assertEquals(0, walkLines(none));
        assertEquals(Main.BAD_INPUT, run("import", "--walks", "--no-walks", rec.toString(), "-o", none.toString()));
    }

    static long walkLines(Path gz) throws Exception {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz));
             var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> l.matches("^[^ #]+ walk .*")).count();
        }
    }

    @Test
    void badInputExitsTwoAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "not perf output\n");
        assertEquals(Main.BAD_INPUT, run("import", bad.toString()));
        assertFalse(Files.exists(dir.resolve("bad.rmw.gz")));
        assertFalse(Files.exists(dir.resolve("bad.truth.json")));
        Files.writeString(bad, "");
        assertEquals(Main.BAD_INPUT, run("import", bad.toString()));
        assertEquals(Main.BAD_INPUT, run("import", dir.resolve("missing.txt").toString()));
    }

    @Test
    void recordNeedsAPrefixAndACommand() {
        assertEquals(Main.OK, run("record", "--print-events"));
        assertEquals(Main.BAD_INPUT, run("record", "--", "true"));
        assertEquals(Main.BAD_INPUT, run("record", "-o", "/tmp/x"));
    }

    /** An output folder that does not exist is named as the problem, not the recording (which exists). */
    @Test
    void aMissingOutputFolderIsNamed(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("ls.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/record/sh-ls-wc.txt.gz")) {
            Files.copy(in, rec);
        }
        Path out = dir.resolve("nodir/ls.rmw.gz");
        CliRun.Out o = CliRun.run("import", rec.toString(), "-o", out.toString());
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("rmaplab: cannot write " + out + ": no such folder: " + dir.resolve("nodir") + "\n", o.err());
        CliRun.Out g = CliRun.run("gen", "fork-server", "-o", out.toString());
        assertEquals(Main.BAD_INPUT, g.status());
        assertEquals("rmaplab: cannot write " + out + ": no such folder: " + dir.resolve("nodir") + "\n", g.err());
    }

    /**
     * The truth file cannot be written (a non-empty folder stands where it goes): an error that names
     * it, a non-zero exit, and neither the workload nor any temporary file left behind.
     */
    @Test
    void aTruthFileThatCannotBeWrittenLeavesNoWorkload(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("ls.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/record/sh-ls-wc.txt.gz")) {
            Files.copy(in, rec);
        }
        Path truth = dir.resolve("ls.truth.json");
        Files.createDirectories(truth.resolve("in-the-way"));
        CliRun.Out o = CliRun.run("import", rec.toString());
        assertEquals(Main.BAD_INPUT, o.status(), o.out() + o.err());
        assertTrue(o.err().startsWith("rmaplab: cannot write " + truth + ": "), o.err());
        assertFalse(Files.exists(dir.resolve("ls.rmw.gz")), "the workload was left behind");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("ls.truth.json", "ls.txt.gz"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // the workload itself cannot be written: the same, and the truth is not written either
        Files.delete(truth.resolve("in-the-way"));
        Files.delete(truth);
        Files.createDirectories(dir.resolve("ls.rmw.gz.part.gz").resolve("in-the-way"));
        o = CliRun.run("import", rec.toString());
        assertEquals(Main.BAD_INPUT, o.status(), o.out() + o.err());
        assertTrue(o.err().startsWith("rmaplab: cannot write " + dir.resolve("ls.rmw.gz") + ": "), o.err());
        assertFalse(Files.exists(truth));
        assertFalse(Files.exists(dir.resolve("ls.rmw.gz")));
    }

    /**
     * Issue #16, as a user sees it: the shell recording cut to its first 4,000 lines is refused with the
     * line it ends at; with one line deleted it is imported, the damage named on stdout, on stderr and in
     * the truth file (format 2), and kernel-check gives no verdict on it.
     */
    @Test
    void aDamagedRecordingIsRefusedOrItsDamageNamed(@TempDir Path dir) throws Exception {
        List<String> lines;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of("recordings/shell.txt.gz")))) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).lines().toList();
        }
        Path cut = dir.resolve("cut.txt");
        Files.writeString(cut, String.join("\n", lines.subList(0, 4000)) + "\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        CliRun.Out o = CliRun.run("import", cut.toString());
        assertEquals(Main.BAD_INPUT, o.status(), o.out() + o.err());
        assertTrue(o.err().startsWith(cut + ":4000: the recording ends before the recorded command exits"), o.err());
        assertFalse(Files.exists(dir.resolve("cut.rmw.gz")));
        assertFalse(Files.exists(dir.resolve("cut.truth.json")));

        // a vm_area_dup line of a fork deleted: the child's copies are one fewer than the parent's VMAs
        int dup = 0;
        for (int i = 0; i < lines.size() && dup == 0; i++)
            if (lines.get(i).contains("call_site=vm_area_dup") && lines.get(i).contains(" sh  5524 ")) dup = i;
        List<String> less = new java.util.ArrayList<>(lines);
        less.remove(dup);
        Path gap = dir.resolve("gap.txt");
        Files.writeString(gap, String.join("\n", less) + "\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        o = CliRun.run("import", gap.toString());
        assertEquals(Main.OK, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("  DAMAGED: the recording is not whole"), o.out());
        assertTrue(o.out().contains("    " + gap + ":"), o.out());
        assertTrue(o.err().contains("rmaplab: warning: damaged recording: " + gap + ":"), o.err());
        assertTrue(Files.readString(dir.resolve("gap.truth.json")).contains("\"format\" : \"rmaplab-truth 2\""));
        CliRun.Out k = CliRun.run("kernel-check", dir.resolve("gap.rmw.gz").toString());
        assertEquals(Main.VIOLATION, k.status(), k.out() + k.err());
        assertTrue(k.out().contains("verdict: DAMAGED RECORDING, no verdict"), k.out());
    }
}
