package rmaplab.survey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import rmaplab.survey.ProcParse.SlabLine;

/**
 * The kernel's own counts of the rmap slab caches: /proc/slabinfo's lines
 * for anon_vma, anon_vma_chain and vm_area_struct, and from /sys/kernel/slab
 * whether each cache is an alias of a merged cache (and of which others).
 *
 * @param lines   the three caches' lines, where present
 * @param merged  cache → the merged cache it is an alias of (the symlink's target), for aliases only
 * @param sharers cache → the other caches that are aliases of the same merged cache, sorted
 * @param held    cache → {slabs, slabs held by CPUs (cpu_slabs: their own and their partial lists),
 *                objects per slab, sheaf capacity (0 if none)} from /sys/kernel/slab/CACHE/
 * @param notes   what could not be read
 */
public record Slabs(Map<String, SlabLine> lines, Map<String, String> merged, Map<String, List<String>> sharers,
                    Map<String, long[]> held, List<String> notes) {
    /**
     * The most free objects slabinfo's active count of a cache can include:
     * SLUB counts as active every object of a slab a CPU holds (its current
     * slab and its partial list), used or free. -1 when unknown.
     */
    public long cpuHeldCapacity(String cache) {
        long[] h = held.get(cache);
        return h == null ? -1 : h[1] * h[2];
    }

    public static final List<String> CACHES = List.of("anon_vma", "anon_vma_chain", "vm_area_struct");

    public static Slabs read(Path slabinfo, Path sysSlab) {
        Map<String, SlabLine> lines = new LinkedHashMap<>();
        Map<String, String> merged = new LinkedHashMap<>();
        Map<String, List<String>> sharers = new LinkedHashMap<>();
        Map<String, long[]> held = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        try {
            Map<String, SlabLine> all = ProcParse.slabinfo(Files.readString(slabinfo), slabinfo.toString());
            for (String c : CACHES) if (all.containsKey(c)) lines.put(c, all.get(c));
            if (lines.isEmpty()) notes.add(slabinfo + " has none of " + CACHES);
        } catch (IOException e) {
            notes.add(slabinfo + " not readable (" + reason(e) + "): no kernel counts to compare with");
        }
        try {
            Map<String, List<String>> byTarget = new LinkedHashMap<>();
            try (Stream<Path> s = Files.list(sysSlab)) {
                for (Path p : s.sorted().toList()) {
                    if (!Files.isSymbolicLink(p)) continue;
                    String target = Files.readSymbolicLink(p).getFileName().toString();
                    byTarget.computeIfAbsent(target, k -> new ArrayList<>()).add(p.getFileName().toString());
                }
            }
            for (String c : CACHES) {
                Path p = sysSlab.resolve(c);
                if (!Files.isSymbolicLink(p)) continue;
                String target = Files.readSymbolicLink(p).getFileName().toString();
                merged.put(c, target);
                List<String> others = new ArrayList<>(byTarget.getOrDefault(target, List.of()));
                others.remove(c);
                others.sort(null);
                sharers.put(c, others);
            }
        } catch (IOException e) {
            notes.add(sysSlab + " not readable (" + reason(e) + "): cannot tell which caches are merged");
        }
        for (String c : CACHES) {
            try {
                held.put(c, new long[] {first(sysSlab.resolve(c + "/slabs")), first(sysSlab.resolve(c + "/cpu_slabs")),
                        first(sysSlab.resolve(c + "/objs_per_slab")),
                        Files.exists(sysSlab.resolve(c + "/sheaf_capacity")) ? first(sysSlab.resolve(c + "/sheaf_capacity")) : 0});
            } catch (IOException | NumberFormatException e) {
                // not readable or not SLUB: no bound on the slack
            }
        }
        return new Slabs(lines, merged, sharers, held, notes);
    }

    private static long first(Path p) throws IOException {
        String t = Files.readString(p).strip();
        int sp = t.indexOf(' ');
        return Long.parseLong(sp < 0 ? t : t.substring(0, sp));
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName();
    }
}
