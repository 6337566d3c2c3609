package rmaplab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import rmaplab.rmap.Designs;

@Command(name = "designs", mixinStandardHelpOptions = true, description = "List the rmap designs rmaplab can run.")
final class DesignsCommand implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--sound", description = "Only the names of the designs whose walks are not known to miss mappings, one per line (for scripts).")
    boolean sound;

    @Override public Integer call() {
        if (sound) {
            for (var e : Designs.all().values()) if (e.sound()) System.out.println(e.name());
            return Main.OK;
        }
        int w = Designs.all().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (var e : Designs.all().values())
            System.out.println(e.name() + " ".repeat(w - e.name().length() + 2) + e.description()
                    + (e.sound() ? "" : " [known to miss mappings: " + e.flawed() + "]"));
        System.out.println();
        System.out.println("What each design rests on (texts, commits, the readings where a proposal is silent): docs/designs/");
        return Main.OK;
    }
}
