package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How rmaplab answers a missing or mistyped command, and --version, completion and help, as git would. */
class UsageTest {
    @Test void noCommandPrintsTheUsageOnStderrAndExits2() {
        CliRun.Out o = CliRun.run();
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertTrue(o.err().startsWith("Usage: rmaplab"), o.err());
        assertTrue(o.err().contains("Exit status:"), o.err());
    }

    @Test void anUnknownCommandGetsTheNearestOnes() {
        CliRun.Out o = CliRun.run("rnu", "examples/fork-cow.rmw");
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertTrue(o.err().contains("'rnu' is not an rmaplab command"), o.err());
        assertTrue(o.err().contains("The most similar command is\n        run\n"), o.err());
        CliRun.Out far = CliRun.run("xyzzyplugh");
        assertEquals(Main.BAD_INPUT, far.status());
        assertTrue(!far.err().contains("most similar"), far.err());
        assertEquals(List.of("compare", "completion"), Suggest.similar("comp", List.of("run", "compare", "completion")));
        assertEquals(List.of("sweep"), Suggest.similar("swep", List.of("run", "sweep", "survey")));
    }

    @Test void genWithoutANameIsAUsageErrorOnStderr() {
        CliRun.Out o = CliRun.run("gen");
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertTrue(o.err().contains("gen needs a generator NAME") && o.err().contains("linux-mm:"), o.err());
    }

    @Test void versionNamesTheProjectVersionAndTheCommit() {
        CliRun.Out o = CliRun.run("--version");
        assertEquals(0, o.status());
        // the pom's version, filtered into the jar's resources; the commit from git describe (or "unknown")
        assertTrue(o.out().matches("(?s)rmaplab \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,40}(-dirty)?\\)\n.*")
                || o.out().contains("(commit unknown)"), o.out());
        assertTrue(!o.out().contains("${"), o.out());
        assertEquals(o.out(), CliRun.run("run", "--version").out());
    }

    @Test void completionScriptsForBashAndZsh() {
        CliRun.Out bash = CliRun.run("completion", "bash");
        assertEquals(0, bash.status(), bash.err());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("sweep") && bash.out().contains("--design"));
        CliRun.Out zsh = CliRun.run("completion", "zsh");
        assertEquals(0, zsh.status());
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out());
        assertEquals(Main.BAD_INPUT, CliRun.run("completion", "fish").status());
    }

    @Test void helpCommandAndHelpOptionSayTheSame() {
        CliRun.Out a = CliRun.run("help", "sweep"), b = CliRun.run("sweep", "--help");
        assertEquals(0, a.status());
        assertEquals(a.out(), b.out());
        assertEquals(Main.BAD_INPUT, CliRun.run("help", "nope").status());
    }

    /** Progress goes to a terminal only: with stderr redirected (as here, under the build), nothing is drawn. */
    @Test void noProgressWhenStderrIsNoTerminal() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("RMAPLAB_PROGRESS") == null, "RMAPLAB_PROGRESS is set");
        assertTrue(!Terminal.isTerminal(Terminal.STDERR));
        CliRun.Out o = CliRun.run("compare", "gen:linux-mm:regions=200,children=200", "--design", "linux");
        assertEquals(0, o.status(), o.err());
        assertEquals("", o.err());
    }
}
