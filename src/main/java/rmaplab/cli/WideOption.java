package rmaplab.cli;

import picocli.CommandLine.Option;
import rmaplab.report.Table;

/** --wide: the text layout of before, however wide, instead of output that fits 120 columns. */
final class WideOption {
    @Option(names = "--wide", description = "Keep every table side by side (one column per design) however wide, "
            + "and do not wrap prose. Default: fit 120 columns.")
    boolean wide;

    /** The width text output is fitted to. */
    int width() { return wide ? Table.UNLIMITED : Table.COLUMNS; }
}
