package rmaplab.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rmaplab.report.Output;

/** 'rmaplab completion bash|zsh': the shell completion script picocli generates from the commands. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a completion script for bash or zsh (commands, options, file names).",
        footer = {"", "Exit status: 0 ok, 2 bad input (a shell other than bash or zsh), " + Main.EXIT_STATUS_ALWAYS,
                "Examples:",
                "  source <(rmaplab completion bash)",
                "  rmaplab completion zsh > ~/.zfunc/_rmaplab"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        String script = AutoComplete.bash("rmaplab", spec.commandLine().getParent());
        // picocli's script serves zsh through bashcompinit (its own header says so)
        if (shell == Shell.zsh) script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        Output.print(script);
        return Main.OK;
    }
}
