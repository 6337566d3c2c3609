package rmaplab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.Designs;

@Command(name = "designs", mixinStandardHelpOptions = true,
        description = "List the rmap designs rmaplab can run: what each is (the reading, for a proposal whose text is "
                + "silent on a rule that decides its verdict) and its verdict under the oracle.")
final class DesignsCommand implements Callable<Integer> {
    static final int WIDTH = 120;

    @picocli.CommandLine.Option(names = "--sound", description = "Only the names of the designs whose walks are not known to miss mappings, one per line (for scripts).")
    boolean sound;

    @Override public Integer call() {
        if (sound) {
            for (var e : Designs.all().values()) if (e.sound()) System.out.println(e.name());
            return Main.OK;
        }
        int w = Designs.all().keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (var e : Designs.all().values()) {
            print(e.name(), w, e.description());
            print("", w, "verdict: " + verdict(e));
        }
        System.out.println();
        System.out.println("Verdicts come from the test suite: the random sequences under the oracle, which print their count");
        System.out.println("(./mvnw test -Dtest=RandomSequenceTest -Drmaplab.design=NAME), and the counterexamples pinned in");
        System.out.println("the tests named. What each design rests on (texts, commits, the readings where a proposal is silent):");
        System.out.println("docs/designs/");
        return Main.OK;
    }

    /** The oracle's verdict as the test suite establishes it: a pinned miss, or none found in its random sequences. */
    static String verdict(DesignInfo e) {
        if (!e.sound()) return "MISSES MAPPINGS: " + e.flawed();
        return "no miss found by the oracle in the test suite's random sequences";
    }

    /** Prints {@code text} after a {@code w}-column first column, wrapped at word boundaries to {@link #WIDTH}. */
    private static void print(String first, int w, String text) {
        List<String> lines = wrap(text, WIDTH - w);
        for (int i = 0; i < lines.size(); i++) {
            String head = i == 0 ? first : "";
            System.out.println(head + " ".repeat(Math.max(1, w - head.length())) + lines.get(i));
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) out.add(line.toString());
        return out;
    }
}
