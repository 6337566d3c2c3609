package rmaplab.cli;

import java.util.Collection;
import java.util.List;
import rmaplab.rmap.Designs;
import rmaplab.run.RunResult;

/**
 * The exit status of a run or compare. A design registered as known to miss
 * mappings (a faithful model of a flawed proposal) that misses some is shown
 * in the table like any other; it fails the command only when the user named
 * it with --design. Run with the default set of designs, the status answers
 * "did a design that should be right go wrong?".
 */
final class Verdict {
    private Verdict() {}

    static final String EXIT_STATUS = "Exit status: 0 ok, 1 a design's walk missed or invented a mapping (with the "
            + "default set of designs, only a design not registered as known to miss mappings counts: cowctx's and "
            + "lazy's misses are then in the table, not in the status; name them with --design to count them), 2 bad input, "
            + Main.EXIT_STATUS_ALWAYS;

    static int status(List<RunResult> runs, boolean designsNamed) {
        return status(runs.stream().filter(r -> !r.ok()).map(RunResult::design).toList(), designsNamed);
    }

    /** @param missed the designs whose walks went wrong */
    static int status(Collection<String> missed, boolean designsNamed) {
        boolean bad = false;
        for (String d : missed) {
            String flaw = Designs.get(d).flawed();
            if (designsNamed || flaw == null) bad = true;
            else System.err.println(rmaplab.report.Text.fit("rmaplab: " + d + " missed mappings, as it is known to (" + flaw
                    + "); not counted in the exit status, as it was not named with --design", rmaplab.report.Table.COLUMNS));
        }
        return bad ? Main.VIOLATION : Main.OK;
    }
}
