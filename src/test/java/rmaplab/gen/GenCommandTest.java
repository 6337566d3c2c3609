package rmaplab.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rmaplab.cli.CliRun;
import rmaplab.cli.Main;

/** The gen command line and gen:NAME:K=V workloads: parameter checks, -o FILE, and write errors. */
class GenCommandTest {
    @TempDir Path tmp;

    private static String range(String gen, String param) { return Generators.get(gen).params().get(param).range(); }

    @Test
    void aParameterOutOfRangeIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.resolve("w.rmw");
        CliRun.Out r = CliRun.run("gen", "random", "--param", "tasks=2", "-o", out.toString());
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter tasks must be a whole number in " + range("random", "tasks") + ", not '2'\n", r.err());
        assertEquals("", r.out());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList());
        }
        r = CliRun.run("gen", "linux-mm", "--param", "regions=4611686018427387904");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter regions must be a whole number in " + range("linux-mm", "regions")
                + ", not '4611686018427387904'\n", r.err());
        assertEquals("", r.out());
        r = CliRun.run("gen", "linux-mm", "--param", "walk=yes");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: parameter walk must be 0 or 1, not 'yes'\n", r.err());
    }

    @Test
    void compareAndBenchRefuseASpecOutOfRangeNamingIt() {
        for (String cmd : List.of("compare", "bench")) {
            CliRun.Out r = CliRun.run(cmd, "gen:fork-server:apps=0", "--design", "linux");
            assertEquals(Main.BAD_INPUT, r.status(), cmd);
            assertEquals("rmaplab: gen:fork-server:apps=0: parameter apps must be a whole number in "
                    + range("fork-server", "apps") + ", not '0'\n", r.err(), cmd);
            assertEquals("", r.out(), cmd);
        }
    }

    @Test
    void listAndHelpShowEveryRange() {
        String list = CliRun.run("gen", "--list").out(), help = CliRun.run("gen", "--help").out();
        for (Generator g : Generators.all().values())
            for (var e : g.params().entrySet()) {
                String p = e.getKey() + "=" + e.getValue().dflt();
                assertTrue(list.contains("    " + p + " (" + e.getValue().range() + ")  " + e.getValue().description() + "\n"),
                        g.name() + " " + p);
                assertTrue(help.contains("    " + p + "  " + e.getValue().range() + "\n"), g.name() + " " + p);
            }
    }

    /** -o FILE gets what standard output gets, replaces an older FILE, leaves nothing else; FILE.gz is compressed. */
    @Test
    void outputFileIsCompleteAndAlone() throws IOException {
        String[] gen = {"gen", "fork-server", "--param", "apps=5", "--param", "replacements=3"};
        CliRun.Out std = CliRun.run(gen);
        assertEquals(0, std.status());
        assertTrue(std.out().startsWith("rmaplab-workload 1\n# fork server:"), std.out());
        Path out = tmp.resolve("fs.rmw"), gz = tmp.resolve("fs.rmw.gz");
        Files.writeString(out, "an older file\n");
        for (Path f : List.of(out, gz)) {
            CliRun.Out r = CliRun.run(Stream.concat(Stream.of(gen), Stream.of("-o", f.toString())).toArray(String[]::new));
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.out() + r.err());
        }
        assertEquals(std.out(), Files.readString(out));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertEquals(std.out(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("fs.rmw", "fs.rmw.gz"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        CliRun.Out r = CliRun.run("gen", "linux-mm", "-o", tmp.toString());
        assertEquals(Main.OUTPUT_FAILED, r.status());
        assertEquals("rmaplab: cannot write " + tmp + ": it is a folder\n", r.err());
        r = CliRun.run("gen", "linux-mm", "-o", tmp.resolve("no/such/folder.rmw").toString());
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("rmaplab: cannot write " + tmp.resolve("no/such/folder.rmw") + ": no such folder: "
                + tmp.resolve("no/such") + "\n", r.err());
    }

    /** A symbolic link stays a link: the file it names gets the workload. */
    @Test
    void aLinkIsFollowed() throws IOException {
        Path target = tmp.resolve("target.rmw"), link = tmp.resolve("link.rmw");
        Files.writeString(target, "an older file\n");
        Files.createSymbolicLink(link, target.getFileName());
        for (String regions : List.of("2", "3")) {
            CliRun.Out r = CliRun.run("gen", "linux-mm", "--param", "regions=" + regions, "-o", link.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(Files.isSymbolicLink(link));
            assertEquals(CliRun.run("gen", "linux-mm", "--param", "regions=" + regions).out(), Files.readString(target));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("link.rmw", "target.rmw"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * A full disk is an error: status 74 (the output could not be written
     * whole) and one message, on standard output as with -o, and /dev/full
     * stays a device. Run as the user runs it, in a JVM of its own with its
     * standard output on /dev/full, and in this one.
     */
    @Test
    void aFullDiskIsAnError() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full) && Files.isWritable(full), "/dev/full is not here: no full device to write to");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "gen", "linux-mm"));
        Process proc = new ProcessBuilder(cmd).redirectOutput(full.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "gen did not end");
        assertEquals(Main.OUTPUT_FAILED, proc.exitValue(), err);
        assertEquals("rmaplab: cannot write standard output: No space left on device\n", err);

        CliRun.Out r = runWithStdout(full, "gen", "linux-mm");
        assertEquals(Main.OUTPUT_FAILED, r.status());
        assertTrue(r.err().startsWith("rmaplab: cannot write standard output: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        r = CliRun.run("gen", "linux-mm", "-o", full.toString());
        assertEquals(Main.OUTPUT_FAILED, r.status());
        assertTrue(r.err().startsWith("rmaplab: cannot write /dev/full: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.isRegularFile(full), "/dev/full was replaced by a file");
    }

    /** As {@link CliRun#run}, with standard output going to a file (a device). */
    private static CliRun.Out runWithStdout(Path file, String... args) throws IOException {
        synchronized (CliRun.class) {
            PrintStream o = System.out, e = System.err;
            ByteArrayOutputStream be = new ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(new FileOutputStream(file.toFile()), false, StandardCharsets.UTF_8)) {
                System.setOut(ps);
                System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
                int st = Main.commandLine().execute(args);
                return new CliRun.Out(st, "", be.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(o);
                System.setErr(e);
            }
        }
    }
}
