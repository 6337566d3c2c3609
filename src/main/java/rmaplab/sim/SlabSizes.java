package rmaplab.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Object sizes of the kernel's rmap-related slab caches, in bytes: read from
 * /proc/slabinfo (objsize column) when it is readable, else the sizes of
 * Linux 6.18 on x86_64 (anon_vma 104, anon_vma_chain 64, vm_area_struct 192).
 */
public record SlabSizes(long anonVma, long anonVmaChain, long vmAreaStruct, String source) {
    public static final SlabSizes DEFAULTS = new SlabSizes(104, 64, 192, "defaults (Linux 6.18 x86_64)");

    /** Sizes from /proc/slabinfo if readable and complete, else {@link #DEFAULTS}. */
    public static SlabSizes detect() { return fromSlabinfo(Path.of("/proc/slabinfo")); }

    static SlabSizes fromSlabinfo(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            long av = -1, avc = -1, vma = -1;
            for (String l : lines) {
                String[] f = l.trim().split("\\s+");
                if (f.length < 4) continue;
                long size;
                try {
                    size = Long.parseLong(f[3]);
                } catch (NumberFormatException e) {
                    continue;
                }
                switch (f[0]) {
                    case "anon_vma" -> av = size;
                    case "anon_vma_chain" -> avc = size;
                    case "vm_area_struct" -> vma = size;
                    default -> { }
                }
            }
            if (av > 0 && avc > 0 && vma > 0) return new SlabSizes(av, avc, vma, p.toString());
        } catch (IOException | RuntimeException e) {
            // not readable here: use the defaults
        }
        return DEFAULTS;
    }
}
