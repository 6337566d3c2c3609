package rmaplab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import rmaplab.report.Csv;
import rmaplab.report.Json;
import rmaplab.report.Output;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.Designs;

@Command(name = "designs", mixinStandardHelpOptions = true,
        description = "List the rmap designs rmaplab can run: what each is (the reading, for a proposal whose text is "
                + "silent on a rule that decides its verdict) and its verdict under the oracle.")
final class DesignsCommand implements Callable<Integer> {
    static final int WIDTH = 120;

    @picocli.CommandLine.Option(names = "--sound", description = "Only the names of the designs whose walks are not known to miss mappings, one per line (for scripts).")
    boolean sound;

    @picocli.CommandLine.Option(names = "--json", description = "Print the designs as JSON: name, description, sound, "
            + "known_to_miss (why, or null), clairvoyant, verdict.")
    boolean json;

    @picocli.CommandLine.Option(names = "--csv", description = "Print the designs as CSV: "
            + "name,sound,clairvoyant,description,known_to_miss,verdict.")
    boolean csv;

    @Override public Integer call() {
        if (json && csv) {
            System.err.println("rmaplab: --csv and --json exclude each other");
            return Main.BAD_INPUT;
        }
        if (json) {
            Map<String, Object> doc = Json.document();
            List<Object> list = new ArrayList<>();
            for (var e : Designs.all().values()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("name", e.name());
                d.put("description", e.description());
                d.put("sound", e.sound());
                d.put("known_to_miss", e.flawed());
                d.put("clairvoyant", e.clairvoyant());
                d.put("verdict", verdict(e));
                list.add(d);
            }
            doc.put("designs", list);
            Output.print(Json.write(doc) + "\n");
            return Main.OK;
        }
        if (csv) {
            StringBuilder b = new StringBuilder("name,sound,clairvoyant,description,known_to_miss,verdict\n");
            for (var e : Designs.all().values())
                b.append(Csv.field(e.name())).append(',').append(e.sound()).append(',').append(e.clairvoyant()).append(',')
                        .append(Csv.field(e.description())).append(',').append(e.flawed() == null ? "" : Csv.field(e.flawed()))
                        .append(',').append(Csv.field(verdict(e))).append('\n');
            Output.print(b.toString());
            return Main.OK;
        }
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
