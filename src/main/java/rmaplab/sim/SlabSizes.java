package rmaplab.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's rmap slab caches (anon_vma, anon_vma_chain, vm_area_struct)
 * as the slab allocator lays them out: per cache its {@link SlabCache}
 * geometry (object size, slot, alignment, objects per slab). What the model
 * charges per object is the slot, /proc/slabinfo's {@code objsize} column:
 * {@link #anonVma()}, {@link #anonVmaChain()}, {@link #vmAreaStruct()}.
 *
 * <p>Where they come from: {@link #detect()} reads this machine's
 * /proc/slabinfo (the slots) and /sys/kernel/slab (object size and
 * alignment), else uses {@link #DEFAULTS}; {@link #profile} names a kernel's
 * built-in values ({@link #PROFILES}). docs/slab.md says how each figure is
 * computed.
 *
 * @param anonVmaCache the anon_vma cache
 * @param avcCache     the anon_vma_chain cache
 * @param vmaCache     the vm_area_struct cache
 * @param source       where the figures come from, as reports print it
 * @param profile      the kernel profile's name when one was chosen ({@link #PROFILES}), else null
 */
public record SlabSizes(SlabCache anonVmaCache, SlabCache avcCache, SlabCache vmaCache, String source, String profile) {
    public static final String ANON_VMA = "anon_vma", AVC = "anon_vma_chain", VMA = "vm_area_struct";

    /**
     * Linux 6.18 on x86-64 as on this machine (/sys/kernel/slab/CACHE, and
     * the struct layouts from /sys/kernel/btf/vmlinux): anon_vma 96 bytes
     * (92 used, a 4-byte hole after refcount) in a 104-byte slot (the free
     * pointer lies outside an object with a constructor and
     * SLAB_TYPESAFE_BY_RCU); anon_vma_chain 64 in 64; vm_area_struct 192
     * (184 used: holes after vm_lock_seq and vm_refcnt, 8 bytes of tail; the
     * struct is 64-byte aligned by vm_refcnt's ____cacheline_aligned_in_smp).
     */
    private static final SlabSizes X86_64_6_18 = new SlabSizes(
            SlabCache.layout(ANON_VMA, 96, 92, 8, 8, 8, 0),
            SlabCache.layout(AVC, 64, 64, 8, 8, 0, 0),
            SlabCache.layout(VMA, 192, 184, 64, 64, 0, 0),
            "defaults (Linux 6.18 x86_64)", null);

    /**
     * Derived (docs/android.md): an Android Common Kernel of the
     * android15-6.6 / android16-6.12 branches on arm64, as a phone runs it
     * (MTE tag checking off, so 8-byte minimum alignment). anon_vma: 96
     * bytes upstream + 24 of vendor data in its rw_semaphore = 120 (116
     * used), slot 128 (free pointer outside). vm_area_struct before the
     * per-VMA lock moved into it (6.15): 165 bytes of fields without
     * CONFIG_NUMA + four ANDROID_KABI_RESERVE words = 197 used, 200 with the
     * 3-byte hole after {@code detached}; a KMEM_CACHE without
     * SLAB_HWCACHE_ALIGN, so slot 200, 20 per 4 KiB slab.
     */
    private static final SlabSizes ANDROID_ARM64 = new SlabSizes(
            SlabCache.layout(ANON_VMA, 120, 116, 8, 8, 8, 0),
            SlabCache.layout(AVC, 64, 64, 8, 8, 0, 0),
            SlabCache.layout(VMA, 200, 197, 8, 8, 0, 0),
            "android-arm64 (derived: Android Common Kernel 6.6/6.12, arm64; docs/android.md)", "android-arm64");

    /**
     * Derived (the evidence memo for issue #12): the same anon_vma and
     * anon_vma_chain for a GKI built from 6.18, where vm_area_struct is this
     * machine's layout without vm_policy, numab_state and pfnmap_track_ctx
     * (NUMA and x86 only) and with anon_name: 168 bytes of fields in 192,
     * 64-byte aligned (vm_refcnt's ____cacheline_aligned_in_smp,
     * SLAB_HWCACHE_ALIGN), without the ACK's reserved words.
     */
    private static final SlabSizes ANDROID_ARM64_6_18 = new SlabSizes(
            SlabCache.layout(ANON_VMA, 120, 116, 8, 8, 8, 0),
            SlabCache.layout(AVC, 64, 64, 8, 8, 0, 0),
            SlabCache.layout(VMA, 192, 168, 64, 64, 0, 0),
            "android-arm64-6.18 (derived: GKI 6.18, arm64; docs/android.md)", "android-arm64-6.18");

    /** The built-in values: Linux 6.18 on x86-64. */
    public static final SlabSizes DEFAULTS = X86_64_6_18;

    /** The kernel profiles {@code --kernel-profile} names, in the order help lists them. */
    public static final Map<String, SlabSizes> PROFILES;

    static {
        Map<String, SlabSizes> m = new LinkedHashMap<>();
        m.put("x86-64-6.18", new SlabSizes(X86_64_6_18.anonVmaCache, X86_64_6_18.avcCache, X86_64_6_18.vmaCache,
                "x86-64-6.18 (built in: Linux 6.18 x86_64)", "x86-64-6.18"));
        m.put("android-arm64", ANDROID_ARM64);
        m.put("android-arm64-6.18", ANDROID_ARM64_6_18);
        PROFILES = java.util.Collections.unmodifiableMap(m);
    }

    /** Slots only (a survey's /proc/slabinfo): the rest of each cache's geometry as in {@link #DEFAULTS}, re-laid for the slot. */
    public SlabSizes(long anonVma, long anonVmaChain, long vmAreaStruct, String source) {
        this(DEFAULTS.anonVmaCache.withSlot(anonVma), DEFAULTS.avcCache.withSlot(anonVmaChain),
                DEFAULTS.vmaCache.withSlot(vmAreaStruct), source, null);
    }

    /** The profile called {@code name}; an unknown name fails, listing the known ones. */
    public static SlabSizes profile(String name) {
        SlabSizes s = PROFILES.get(name);
        if (s == null)
            throw new IllegalArgumentException("unknown kernel profile '" + name + "'; known: " + String.join(", ", PROFILES.keySet()));
        return s;
    }

    /** These caches with {@code c} in place of the cache of the same name (--slab); the source says so. */
    public SlabSizes with(SlabCache c) {
        String src = source + "; " + c.name() + " " + c.objectSize() + "/" + c.slot() + "/" + c.align() + "/" + c.objsPerSlab();
        return switch (c.name()) {
            case ANON_VMA -> new SlabSizes(c, avcCache, vmaCache, src, profile);
            case AVC -> new SlabSizes(anonVmaCache, c, vmaCache, src, profile);
            case VMA -> new SlabSizes(anonVmaCache, avcCache, c, src, profile);
            default -> throw new IllegalArgumentException("no cache " + c.name());
        };
    }

    /** Bytes the slab charges per anon_vma: the cache's slot. */
    public long anonVma() { return anonVmaCache.slot(); }

    /** Bytes the slab charges per anon_vma_chain. */
    public long anonVmaChain() { return avcCache.slot(); }

    /** Bytes the slab charges per vm_area_struct. */
    public long vmAreaStruct() { return vmaCache.slot(); }

    /** Bytes the slab charges per vm_area_struct when a design adds {@code growth} bytes of fields to it. */
    public long vmAreaStruct(long growth) { return vmaCache.grown(growth).slot(); }

    /** The three caches, in report order. */
    public List<SlabCache> caches() { return List.of(anonVmaCache, avcCache, vmaCache); }

    /** The cache an object type of the ledger stands for, or null when it is none of the three. */
    public SlabCache cache(String type) {
        return switch (type) {
            case ANON_VMA -> anonVmaCache;
            case AVC -> avcCache;
            case VMA -> vmaCache;
            default -> null;
        };
    }

    /** This machine's caches: /proc/slabinfo and /sys/kernel/slab where readable, else {@link #DEFAULTS}. */
    public static SlabSizes detect() { return detect(Path.of("/proc/slabinfo"), Path.of("/sys/kernel/slab")); }

    /**
     * The caches as the kernel reports them: each cache's slot, objects per
     * slab and slab size from slabinfo (objsize, objperslab, pagesperslab),
     * its object size and alignment from sysSlab/CACHE/ where readable; the
     * bytes a layout leaves unused are not readable there, so they come from
     * {@link #DEFAULTS} when the object size is the same, else none are
     * assumed. Without a complete slabinfo, sysSlab alone; without either,
     * {@link #DEFAULTS}. The source names the file the slots came from.
     */
    static SlabSizes detect(Path slabinfo, Path sysSlab) {
        Map<String, long[]> lines = slabinfoLines(slabinfo);
        String source = slabinfo.toString();
        if (lines == null) {
            lines = new LinkedHashMap<>();
            for (String c : List.of(ANON_VMA, AVC, VMA)) {
                long[] s = SlabCache.readSys(sysSlab.resolve(c));
                if (s == null) return DEFAULTS;
                lines.put(c, new long[] {s[1], s[3], s[4] / SlabCache.PAGE_SIZE});
            }
            source = sysSlab.toString();
        }
        return new SlabSizes(read(ANON_VMA, lines, sysSlab), read(AVC, lines, sysSlab), read(VMA, lines, sysSlab), source, null);
    }

    private static SlabCache read(String name, Map<String, long[]> lines, Path sysSlab) {
        long[] l = lines.get(name); // slot, objs per slab, pages per slab
        return SlabCache.reported(DEFAULTS.cache(name), l[0], l[1], l[2] * SlabCache.PAGE_SIZE, SlabCache.readSys(sysSlab.resolve(name)));
    }

    /** slot, objperslab, pagesperslab of the three caches, or null when the file lacks one or cannot be read. */
    private static Map<String, long[]> slabinfoLines(Path p) {
        Map<String, long[]> m = new LinkedHashMap<>();
        try {
            for (String l : Files.readAllLines(p)) {
                String[] f = l.trim().split("\\s+");
                if (f.length < 6 || !List.of(ANON_VMA, AVC, VMA).contains(f[0])) continue;
                try {
                    long[] v = {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])};
                    if (v[0] > 0 && v[1] > 0 && v[2] > 0) m.put(f[0], v);
                } catch (NumberFormatException e) {
                    // not a data line
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return m.size() == 3 ? m : null;
    }
}
