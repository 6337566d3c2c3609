package rmaplab.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One slab cache as SLUB lays it out (mm/slub.c: calculate_sizes,
 * order_objects): each object takes a slot of {@code slot} bytes, a slab of
 * {@code slabBytes} holds {@code objsPerSlab} of them. docs/slab.md.
 *
 * @param name        the cache's name, as /proc/slabinfo has it
 * @param objectSize  sizeof the struct (/sys/kernel/slab/NAME/object_size)
 * @param used        bytes of the struct its fields take: the object size minus its holes and tail padding
 * @param structAlign the struct's own alignment: its size is a multiple of it
 * @param align       the cache's alignment (/sys/kernel/slab/NAME/align)
 * @param meta        bytes a slot holds after the object: the free pointer, where it cannot live inside
 *                    the object (a cache with a constructor, or SLAB_TYPESAFE_BY_RCU without a
 *                    free-pointer offset), 0 otherwise
 * @param slot        bytes per object in a slab (/sys/kernel/slab/NAME/slab_size; /proc/slabinfo's objsize)
 * @param objsPerSlab objects per slab (objperslab)
 * @param slabBytes   bytes per slab: PAGE_SIZE &lt;&lt; order
 */
public record SlabCache(String name, long objectSize, long used, long structAlign, long align, long meta, long slot,
                        long objsPerSlab, long slabBytes) {
    public static final long PAGE_SIZE = 4096;

    /** The layout SLUB gives a struct: its slot from {@link #slot(long, long, long)}, a slab of 4 KiB &lt;&lt; order. */
    static SlabCache layout(String name, long objectSize, long used, long structAlign, long align, long meta, int order) {
        long slab = PAGE_SIZE << order, s = slot(objectSize, align, meta);
        return new SlabCache(name, objectSize, used, structAlign, align, meta, s, slab / s, slab);
    }

    /**
     * calculate_sizes: the object rounded up to a word, the free pointer after
     * it when it lies outside ({@code meta}), the whole rounded up to the
     * cache's alignment.
     */
    static long slot(long objectSize, long align, long meta) { return roundUp(roundUp(objectSize, 8) + meta, align); }

    static long roundUp(long v, long to) { return (v + to - 1) / to * to; }

    /**
     * The cache of the struct grown by {@code growth} bytes of fields: the
     * fields go where the layout has room first (holes, tail padding), so
     * the struct's size becomes its used bytes plus the growth rounded up to
     * its alignment, and never shrinks; the slot is laid out again, with the
     * same slab size (SLUB may choose another order for a larger object;
     * this keeps the base cache's). A growth that fits the padding costs
     * nothing; one that does not moves the object to the next slot.
     */
    public SlabCache grown(long growth) {
        if (growth < 0) throw new IllegalArgumentException("a struct cannot grow by " + growth + " bytes");
        if (growth == 0) return this;
        long obj = Math.max(objectSize, roundUp(used + growth, structAlign));
        long s = obj == objectSize ? slot : slot(obj, align, meta);
        return new SlabCache(name, obj, used + growth, structAlign, align, meta, s, slabBytes / s, slabBytes);
    }

    /** Bytes the allocator hands out for {@code live} objects: live x slot (slabinfo's active_objs x objsize). */
    public long activeBytes(long live) { return live * slot; }

    /** The fewest slabs that hold {@code live} objects: live / objects per slab, rounded up. */
    public long slabs(long live) { return (live + objsPerSlab - 1) / objsPerSlab; }

    /** The pages those slabs take, in bytes. */
    public long slabBytes(long live) { return slabs(live) * slabBytes; }

    /**
     * {@code CACHE=OBJ/SLOT/ALIGN/PERSLAB[/USED]} (--slab): one of the three
     * caches, its object size, slot, alignment (a power of two), objects per
     * slab, and the bytes its fields use (default: the whole object); the
     * slab is the smallest 4 KiB &lt;&lt; order that holds PERSLAB slots, the
     * free pointer inside the object unless the slot leaves a word after it.
     * Anything else fails with what is wrong.
     */
    public static SlabCache parse(String spec) {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? "" : spec.substring(0, eq);
        if (!java.util.List.of(SlabSizes.ANON_VMA, SlabSizes.AVC, SlabSizes.VMA).contains(name))
            throw new IllegalArgumentException("expected CACHE=OBJ/SLOT/ALIGN/PERSLAB[/USED] with CACHE one of "
                    + SlabSizes.ANON_VMA + ", " + SlabSizes.AVC + ", " + SlabSizes.VMA);
        String[] f = spec.substring(eq + 1).split("/", -1);
        if (f.length < 4 || f.length > 5) throw new IllegalArgumentException("expected 4 or 5 numbers after '=', got " + f.length);
        long[] v = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            try {
                v[i] = Long.parseLong(f[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + f[i] + "' is not a whole number");
            }
            if (v[i] < 1 || v[i] > (1 << 20)) throw new IllegalArgumentException(v[i] + " is not in 1..1048576");
        }
        long obj = v[0], slot = v[1], align = v[2], per = v[3], used = f.length == 5 ? v[4] : obj;
        if (Long.bitCount(align) != 1) throw new IllegalArgumentException("alignment " + align + " is not a power of two");
        if (slot < obj) throw new IllegalArgumentException("slot " + slot + " is smaller than the object, " + obj);
        if (slot % align != 0) throw new IllegalArgumentException("slot " + slot + " is not a multiple of the alignment " + align);
        if (used > obj) throw new IllegalArgumentException("used bytes " + used + " exceed the object, " + obj);
        long slab = PAGE_SIZE;
        while (slab < per * slot) slab <<= 1;
        if (slab > PAGE_SIZE << 10) throw new IllegalArgumentException(per + " slots of " + slot + " bytes exceed a slab of order 10");
        long meta = slot(obj, align, 0) < slot ? slot - roundUp(obj, 8) : 0;
        return new SlabCache(name, obj, used, 8, align, meta, slot, per, slab);
    }

    /** This cache with another slot (a /proc/slabinfo that says so), laid out again around it. */
    SlabCache withSlot(long newSlot) {
        if (newSlot == slot) return this;
        return reported(this, newSlot, PAGE_SIZE / newSlot, PAGE_SIZE, null);
    }

    /**
     * A cache as the kernel reports it: slot, objects per slab and slab size
     * (slabinfo or sysfs), the object size and alignment ({@code sys}, from
     * {@link #readSys}, or null). The free pointer is taken to lie outside
     * the object when the slot leaves room for it, else inside (a cache
     * whose alignment hides it is read as having it inside).
     * What the kernel does not say is taken from {@code base} (a built-in
     * profile's same cache) when its object size is the same: the used
     * bytes and the struct's alignment; else the object is taken as full
     * and word-aligned.
     */
    static SlabCache reported(SlabCache base, long slot, long perSlab, long slabBytes, long[] sys) {
        boolean sameSlot = base.slot == slot;
        long obj = sys != null ? sys[0] : sameSlot ? base.objectSize : slot;
        long align = sys != null ? sys[2] : sameSlot ? base.align : 8;
        boolean sameObj = base.objectSize == obj;
        long used = sameObj ? base.used : obj, structAlign = sameObj ? base.structAlign : 8;
        // the free pointer (and any debug metadata) lies outside the object when the slot shows it
        long meta = slot(obj, align, 0) == slot ? 0 : slot(obj, align, 8) == slot ? 8 : slot - roundUp(obj, 8);
        return new SlabCache(base.name, obj, used, structAlign, align, meta, slot, perSlab, slabBytes);
    }

    /**
     * /sys/kernel/slab/NAME/: {object_size, slab_size, align, objs_per_slab,
     * slab bytes (PAGE_SIZE &lt;&lt; order)}; null when a file is missing or not a number.
     */
    static long[] readSys(Path dir) {
        try {
            return new long[] {first(dir.resolve("object_size")), first(dir.resolve("slab_size")), first(dir.resolve("align")),
                    first(dir.resolve("objs_per_slab")), PAGE_SIZE << first(dir.resolve("order"))};
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static long first(Path p) throws IOException {
        String t = Files.readString(p).strip();
        int sp = t.indexOf(' ');
        return Long.parseLong(sp < 0 ? t : t.substring(0, sp));
    }
}
