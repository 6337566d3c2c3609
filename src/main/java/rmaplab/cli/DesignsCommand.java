package rmaplab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import rmaplab.rmap.Designs;

@Command(name = "designs", mixinStandardHelpOptions = true, description = "List the rmap designs rmaplab can run.")
final class DesignsCommand implements Callable<Integer> {
    @Override public Integer call() {
        int w = Designs.all().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (var e : Designs.all().values())
            System.out.println(e.name() + " ".repeat(w - e.name().length() + 2) + e.description());
        return Main.OK;
    }
}
