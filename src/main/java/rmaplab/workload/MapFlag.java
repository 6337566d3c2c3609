package rmaplab.workload;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The mmap(2) flags a workload may add to an {@code mmap} line, after KIND, as
 * a comma-separated list ({@code noreserve}, {@code stack}, {@code
 * noreserve,stack}). Two change the VMA's flags and hence which VMAs merge:
 * MAP_NORESERVE gives VM_NORESERVE and no VM_ACCOUNT, MAP_STACK gives
 * VM_NOHUGEPAGE (since Linux 6.7). MAP_STACK is not KIND {@code stack}, which
 * is a MAP_GROWSDOWN region. The third, {@code fixed}, is MAP_FIXED: the new
 * mapping replaces whatever is mapped in its range, in one call (without it
 * the format's mmap is MAP_FIXED_NOREPLACE, and an overlap is an error).
 */
public enum MapFlag {
    NORESERVE("noreserve"), STACK("stack"), FIXED("fixed");

    private final String spelling;

    MapFlag(String spelling) { this.spelling = spelling; }

    public String spelling() { return spelling; }

    /** The flag for a spelling, or null when the format has no such flag. */
    public static MapFlag parse(String s) {
        for (MapFlag f : values()) if (f.spelling.equals(s)) return f;
        return null;
    }

    /** The known spellings, for error messages: "noreserve, stack". */
    public static String known() {
        StringJoiner j = new StringJoiner(", ");
        for (MapFlag f : values()) j.add(f.spelling);
        return j.toString();
    }

    /** An unmodifiable copy, in the enum's order. */
    public static Set<MapFlag> setOf(Set<MapFlag> flags) {
        return flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /** The canonical spelling of a non-empty set: the flags in the enum's order, comma-separated. */
    public static String spell(Set<MapFlag> flags) {
        StringJoiner j = new StringJoiner(",");
        for (MapFlag f : values()) if (flags.contains(f)) j.add(f.spelling);
        return j.toString();
    }

    @Override public String toString() { return spelling; }
}
