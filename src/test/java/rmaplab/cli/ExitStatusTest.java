package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exit statuses: every one the code returns is in 'rmaplab --help', and the README lists the same. */
class ExitStatusTest {
    static String words(String s) { return s.replaceAll("\\s+", " ").strip(); }

    /** The statuses the list names, in order. */
    static List<Integer> statuses(String list) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s{2,}").matcher(list);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    @Test void theHelpListsEveryStatusTheCodeReturns() {
        CliRun.Out o = CliRun.run("--help");
        assertEquals(0, o.status());
        assertTrue(words(o.out()).contains(words(Main.EXIT_STATUS)), o.out());
        assertEquals(List.of(Main.OK, Main.VIOLATION, Main.BAD_INPUT, Main.UNAVAILABLE, Main.INTERNAL, Main.OUTPUT_FAILED),
                statuses(Main.EXIT_STATUS));
    }

    @Test void theReadmeListsTheSame() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(words(readme).contains(words(Main.EXIT_STATUS)),
                "README.md does not have the exit statuses of 'rmaplab --help':\n" + Main.EXIT_STATUS);
    }
}
