package rmaplab.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slab caches as SLUB lays them out: slots, growth into the padding or to the next slot, what the kernel reports. */
class SlabCacheTest {
    private static final SlabSizes X86 = SlabSizes.DEFAULTS, ARM = SlabSizes.profile("android-arm64");

    @Test
    void theBuiltInLayoutsGiveTheKernelsSlots() {
        // this machine: /sys/kernel/slab/CACHE/{slab_size,objs_per_slab}
        assertEquals(104, X86.anonVma());
        assertEquals(39, X86.anonVmaCache().objsPerSlab());
        assertEquals(64, X86.anonVmaChain());
        assertEquals(64, X86.avcCache().objsPerSlab());
        assertEquals(192, X86.vmAreaStruct());
        assertEquals(21, X86.vmaCache().objsPerSlab());
        // derived: 120-byte anon_vma with its free pointer outside, 200-byte vm_area_struct in 4 KiB slabs
        assertEquals(128, ARM.anonVma());
        assertEquals(32, ARM.anonVmaCache().objsPerSlab());
        assertEquals(200, ARM.vmAreaStruct());
        assertEquals(20, ARM.vmaCache().objsPerSlab());
        assertEquals(192, SlabSizes.profile("android-arm64-6.18").vmAreaStruct());
    }

    /** vm_area_struct here: 184 bytes used of 192, 64-byte aligned. */
    @Test
    void aGrowthThatFitsThePaddingCostsNothingAndOneByteMoreTakesTheNextSlot() {
        SlabCache v = X86.vmaCache();
        assertSame(v, v.grown(0));
        for (long g = 1; g <= 8; g++) assertEquals(192, v.grown(g).slot(), "+" + g);
        assertEquals(256, v.grown(9).slot());
        assertEquals(16, v.grown(9).objsPerSlab());
        assertEquals(256, v.grown(72).slot());
        assertEquals(320, v.grown(73).slot());
        assertEquals(192, X86.vmAreaStruct(2));
        // anon_vma: a 4-byte hole, then the word of the free pointer after the object
        assertEquals(104, X86.anonVmaCache().grown(4).slot());
        assertEquals(112, X86.anonVmaCache().grown(5).slot());
        // the Android layout: 3 bytes of hole, 8-byte aligned
        assertEquals(200, ARM.vmAreaStruct(3));
        assertEquals(208, ARM.vmAreaStruct(4));
        assertEquals(19, ARM.vmaCache().grown(4).objsPerSlab());
        assertThrows(IllegalArgumentException.class, () -> v.grown(-1));
    }

    @Test
    void activeBytesAreObjectsTimesTheSlotAndSlabsAreRoundedUp() {
        SlabCache av = ARM.anonVmaCache();
        assertEquals(163_411L * 128, av.activeBytes(163_411));
        assertEquals(0, av.slabs(0));
        assertEquals(1, av.slabs(1));
        assertEquals(1, av.slabs(32));
        assertEquals(2, av.slabs(33));
        assertEquals(2 * 4096, av.slabBytes(33));
    }

    @Test
    void theKernelsReportIsReadFromSlabinfoAndSysfs(@TempDir Path d) throws IOException {
        Path slabinfo = d.resolve("slabinfo"), sys = d.resolve("slab");
        Files.writeString(slabinfo, """
                slabinfo - version: 2.1
                # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables ...
                vm_area_struct      3157   4599    256   16    1 : tunables    0    0    0 : slabdata    219    219      0
                anon_vma_chain      1961   2368     64   64    1 : tunables    0    0    0 : slabdata     37     37      0
                anon_vma            1157   1365    104   39    1 : tunables    0    0    0 : slabdata     35     35      0
                """);
        sysCache(sys, "vm_area_struct", 200, 256, 64, 16, 0);
        sysCache(sys, "anon_vma", 96, 104, 8, 39, 0);
        SlabSizes s = SlabSizes.detect(slabinfo, sys);
        assertEquals(slabinfo.toString(), s.source());
        assertEquals(256, s.vmAreaStruct());
        assertEquals(200, s.vmaCache().objectSize());
        assertEquals(200, s.vmaCache().used()); // not the built-in layout's object: no padding known
        assertEquals(256, s.vmAreaStruct(56)); // the slot leaves no word after 256: the free pointer is inside
        assertEquals(320, s.vmAreaStruct(57));
        assertEquals(X86.anonVmaCache(), s.anonVmaCache()); // the same as the built-in, free pointer outside
        assertEquals(X86.avcCache(), s.avcCache()); // no sysfs entry: slabinfo and the built-in layout

        Files.delete(slabinfo); // sysfs alone, and it lacks anon_vma_chain: the defaults
        assertSame(X86, SlabSizes.detect(slabinfo, sys));
        sysCache(sys, "anon_vma_chain", 64, 64, 8, 64, 0);
        SlabSizes t = SlabSizes.detect(slabinfo, sys);
        assertEquals(sys.toString(), t.source());
        assertEquals(256, t.vmAreaStruct());
        assertEquals(104, t.anonVma());
        assertSame(X86, SlabSizes.detect(d.resolve("none"), d.resolve("none")));
    }

    private static void sysCache(Path sys, String name, long obj, long slab, long align, long per, long order)
            throws IOException {
        Path c = Files.createDirectories(sys.resolve(name));
        Files.writeString(c.resolve("object_size"), obj + "\n");
        Files.writeString(c.resolve("slab_size"), slab + "\n");
        Files.writeString(c.resolve("align"), align + "\n");
        Files.writeString(c.resolve("objs_per_slab"), per + "\n");
        Files.writeString(c.resolve("order"), order + "\n");
    }

    @Test
    void aSlabOptionIsCheckedAndLaidOut() {
        SlabCache c = SlabCache.parse("anon_vma=120/128/8/32/116");
        assertEquals(ARM.anonVmaCache().slot(), c.slot());
        assertEquals(4096, c.slabBytes());
        assertEquals(136, c.grown(5).slot()); // 125 -> 128, and the word after it
        assertEquals(X86.with(c).anonVma(), 128);
        assertNotEquals(X86.source(), X86.with(c).source());
        assertEquals(8192, SlabCache.parse("vm_area_struct=256/256/64/32").slabBytes());
        for (String[] bad : new String[][] {
                {"anon=1/2/8/1", "expected CACHE=OBJ/SLOT/ALIGN/PERSLAB[/USED] with CACHE one of anon_vma, anon_vma_chain, vm_area_struct"},
                {"anon_vma=96/104/8", "expected 4 or 5 numbers after '=', got 3"},
                {"anon_vma=96/x/8/39", "'x' is not a whole number"},
                {"anon_vma=0/104/8/39", "0 is not in 1..1048576"},
                {"anon_vma=96/104/12/39", "alignment 12 is not a power of two"},
                {"anon_vma=96/88/8/39", "slot 88 is smaller than the object, 96"},
                {"anon_vma=96/100/8/39", "slot 100 is not a multiple of the alignment 8"},
                {"anon_vma=96/104/8/39/97", "used bytes 97 exceed the object, 96"},
                {"anon_vma=96/104/8/1048576", "1048576 slots of 104 bytes exceed a slab of order 10"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlabCache.parse(bad[0]), bad[0]);
            assertEquals(bad[1], e.getMessage());
        }
    }

    @Test
    void anUnknownProfileIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlabSizes.profile("arm"));
        assertEquals("unknown kernel profile 'arm'; known: x86-64-6.18, android-arm64, android-arm64-6.18", e.getMessage());
    }
}
