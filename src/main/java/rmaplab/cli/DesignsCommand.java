package rmaplab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import rmaplab.report.Csv;
import rmaplab.report.Json;
import rmaplab.report.Output;
import rmaplab.report.Table;
import rmaplab.report.Text;
import rmaplab.rmap.Designs;

@Command(name = "designs", mixinStandardHelpOptions = true, description = "List the rmap designs rmaplab can run.")
final class DesignsCommand implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--sound", description = "Only the names of the designs whose walks are not known to miss mappings, one per line (for scripts).")
    boolean sound;

    @picocli.CommandLine.Mixin WideOption layout;

    @picocli.CommandLine.Option(names = "--json", description = "Print the designs as JSON: name, description, sound, "
            + "known_to_miss (why, or null), clairvoyant.")
    boolean json;

    @picocli.CommandLine.Option(names = "--csv", description = "Print the designs as CSV: name,sound,clairvoyant,description,known_to_miss.")
    boolean csv;

    @Override public Integer call() {
        if (json) {
            java.util.Map<String, Object> doc = Json.document();
            java.util.List<Object> list = new java.util.ArrayList<>();
            for (var e : Designs.all().values()) {
                java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
                d.put("name", e.name());
                d.put("description", e.description());
                d.put("sound", e.sound());
                d.put("known_to_miss", e.flawed());
                d.put("clairvoyant", e.clairvoyant());
                list.add(d);
            }
            doc.put("designs", list);
            Output.print(Json.write(doc) + "\n");
            return Main.OK;
        }
        if (csv) {
            StringBuilder b = new StringBuilder("name,sound,clairvoyant,description,known_to_miss\n");
            for (var e : Designs.all().values())
                b.append(Csv.field(e.name())).append(',').append(e.sound()).append(',').append(e.clairvoyant()).append(',')
                        .append(Csv.field(e.description())).append(',').append(e.flawed() == null ? "" : Csv.field(e.flawed()))
                        .append('\n');
            Output.print(b.toString());
            return Main.OK;
        }
        if (sound) {
            for (var e : Designs.all().values()) if (e.sound()) System.out.println(e.name());
            return Main.OK;
        }
        int w = Designs.all().keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (var e : Designs.all().values()) {
            String line = e.name() + " ".repeat(w - e.name().length() + 2) + e.description()
                    + (e.sound() ? "" : " [known to miss mappings: " + e.flawed() + "]");
            // continuation lines under the description, not under the name
            b.append(layout.wide ? line : Text.fit(line, Table.COLUMNS).replace("\n  ", "\n" + " ".repeat(w + 2))).append('\n');
        }
        b.append("\nWhat each design rests on (texts, commits, the readings where a proposal is silent): docs/designs/\n");
        Output.text(b.toString(), layout.width());
        return Main.OK;
    }
}
