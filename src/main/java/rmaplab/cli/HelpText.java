package rmaplab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import rmaplab.report.Table;
import rmaplab.report.Text;

/**
 * A command's --help, wrapped to the terminal's width by rmaplab rather than
 * by picocli, which breaks lines inside words ("PREFIX.truth." / "json") and
 * inside examples. picocli lays the help out on one very long line per
 * paragraph or option; each line is then wrapped at spaces only, under its
 * own column (an option's description under the description column, an exit
 * status under its text), and an example line (one that starts with
 * "rmaplab ") is never wrapped, so that it can be copied whole.
 */
final class HelpText {
    private HelpText() {}

    /** Wide enough that picocli wraps nothing. */
    private static final int UNWRAPPED = 4000;

    private static final Pattern EXAMPLE = Pattern.compile("^\\s*(Examples?:\\s*)?rmaplab .*");
    private static final Pattern OPTION = Pattern.compile("^(\\s+\\S.*?\\S {2,})\\S");
    private static final Pattern STATUS = Pattern.compile("^(\\s*\\d+\\s{2,})\\S");

    /** The usage help of {@code cl} for a terminal of {@code width} columns. */
    static String of(CommandLine cl, int width) {
        cl.setUsageHelpWidth(UNWRAPPED);
        String raw = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String usagePrefix = "Usage: " + cl.getCommandSpec().qualifiedName() + " ";
        StringBuilder b = new StringBuilder();
        for (String line : raw.split("\n", -1)) {
            if (b.length() > 0) b.append('\n');
            line = line.stripTrailing();
            if (line.length() <= width || EXAMPLE.matcher(line).matches()) {
                b.append(line);
                continue;
            }
            int hang = hang(line, usagePrefix);
            if (hang > width / 2) hang = 4;
            List<String> parts = wrap(line, hang, width);
            b.append(String.join("\n", parts));
        }
        return b.toString();
    }

    /** The help in the terminal's width, or 120 columns when standard output is no terminal. */
    static String of(CommandLine cl) { return of(cl, Math.max(60, Terminal.columns(Table.COLUMNS))); }

    private static int hang(String line, String usagePrefix) {
        if (line.startsWith(usagePrefix)) return usagePrefix.length();
        Matcher m = STATUS.matcher(line);
        if (m.find()) return m.group(1).length();
        m = OPTION.matcher(line);
        if (m.find()) return m.group(1).length();
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') indent++;
        return indent;
    }

    /** The line in pieces of at most {@code width}, broken at spaces, the later ones indented by {@code hang}. */
    private static List<String> wrap(String line, int hang, int width) {
        List<String> out = new ArrayList<>();
        for (String p : Text.words(line.substring(hang).strip(), width - hang)) out.add(" ".repeat(hang) + p);
        out.set(0, line.substring(0, hang) + out.get(0).substring(hang));
        return out;
    }
}
