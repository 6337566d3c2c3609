package rmaplab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rmaplab.report.Output;

/** 'rmaplab help [COMMAND]': the same text as 'rmaplab [COMMAND] --help'. */
@Command(name = "help", helpCommand = true, description = "Show the help of rmaplab or of a command.",
        footer = {"", "Exit status: 0 ok, 2 an unknown command."})
final class HelpCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "The command whose help to show.")
    String command;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        CommandLine top = spec.commandLine().getParent();
        if (command == null) {
            Output.print(HelpText.of(top) + "\n");
            return Main.OK;
        }
        CommandLine sub = top.getSubcommands().get(command);
        if (sub == null) {
            System.err.println("rmaplab: '" + command + "' is not an rmaplab command. See 'rmaplab --help'.");
            return Main.BAD_INPUT;
        }
        Output.print(HelpText.of(sub) + "\n");
        return Main.OK;
    }
}
