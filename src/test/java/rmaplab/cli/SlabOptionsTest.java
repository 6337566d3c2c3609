package rmaplab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The slab caches a run is charged with: a named kernel profile, one cache
 * overridden, the profile a generator names; bad values refused with status
 * 2; the text output's slab section only where a profile was chosen.
 */
class SlabOptionsTest {
    static final String W = "examples/fork-cow.rmw";
    /** A small Android machine: the shape of gen:android at a few processes. */
    static final String SMALL_ANDROID = "gen:android:apps=2,boot-procs=2,zygote-anon=5,zygote-other=5,proc-anon=2,"
            + "proc-other=3,server-anon=1,server-other=1,daemons=1,daemon-anon=1,daemon-other=1";

    static JsonNode doc(CliRun.Out o) throws Exception {
        assertEquals(0, o.status(), o.err());
        return new ObjectMapper().readTree(o.out()).get(0);
    }

    @Test void aProfileChargesItsSlotsAndSaysWhatTheGrowthCosts() throws Exception {
        JsonNode d = doc(CliRun.run("compare", W, "--json", "--design", "linux", "--design", "lazy",
                "--kernel-profile", "android-arm64"));
        assertEquals("android-arm64", d.at("/machine/object_sizes/profile").asText());
        assertEquals(128, d.at("/machine/object_sizes/anon_vma").asLong());
        assertEquals(200, d.at("/machine/object_sizes/caches/vm_area_struct/slot").asLong());
        JsonNode av = d.at("/designs/0/objects/anon_vma");
        assertEquals(av.get("live").asLong() * 128, av.get("live_bytes").asLong());
        assertEquals(av.get("live").asLong() * 128 / 1024.0, av.get("active_kb").asDouble(), 1e-3);
        assertEquals((av.get("live").asLong() + 31) / 32, av.get("slabs").asLong());
        assertEquals(av.get("slabs").asLong() * 4, av.get("slab_kb").asLong());
        // no reading of lazy grows the struct (its one field fills a hole: docs/designs/lazy.md): charged the same 200;
        // the growth rule itself is SlabCacheTest's
        JsonNode lv = d.at("/designs/1/objects/vm_area_struct");
        assertEquals(0, lv.get("struct_growth").asLong());
        assertEquals(200, lv.get("slot_bytes").asLong());
        assertEquals(lv.get("live").asLong() * 200, lv.get("live_bytes").asLong());
    }

    @Test void aSlabOverrideSetsTheSlotEveryObjectIsCharged() throws Exception {
        JsonNode d = doc(CliRun.run("compare", W, "--json", "--design", "lazy", "--slab", "vm_area_struct=200/256/64/16"));
        JsonNode lv = d.at("/designs/0/objects/vm_area_struct");
        assertEquals(256, lv.get("slot_bytes").asLong());
        assertEquals(lv.get("live").asLong() * 256, lv.get("live_bytes").asLong());
        assertTrue(d.at("/machine/object_sizes/source").asText().endsWith("; vm_area_struct 200/256/64/16"),
                d.at("/machine/object_sizes/source").asText());
    }

    @Test void badProfilesAndCachesAreRefused() {
        CliRun.Out o = CliRun.run("compare", W, "--kernel-profile", "arm");
        assertEquals(Main.BAD_INPUT, o.status());
        assertEquals("", o.out());
        assertTrue(o.err().contains("unknown kernel profile 'arm'; known: x86-64-6.18, android-arm64, android-arm64-6.18"), o.err());
        o = CliRun.run("run", W, "--slab", "anon_vma=96/100/8/39");
        assertEquals(Main.BAD_INPUT, o.status());
        assertTrue(o.err().contains("'anon_vma=96/100/8/39': slot 100 is not a multiple of the alignment 8"), o.err());
    }

    @Test void theAndroidGeneratorNamesItsKernelUnlessTheCommandLineDoes() throws Exception {
        CliRun.Out o = CliRun.run("compare", SMALL_ANDROID, "--json", "--design", "linux");
        assertEquals("android-arm64", doc(o).at("/machine/object_sizes/profile").asText());
        assertTrue(o.err().contains("slab caches of kernel profile android-arm64, the generator's"), o.err());
        JsonNode x = doc(CliRun.run("compare", SMALL_ANDROID, "--json", "--design", "linux", "--kernel-profile", "x86-64-6.18"));
        assertEquals("x86-64-6.18", x.at("/machine/object_sizes/profile").asText());
        JsonNode def = doc(CliRun.run("compare", SMALL_ANDROID, "--json", "--design", "linux", "--default-sizes"));
        assertTrue(def.at("/machine/object_sizes/profile").isNull());
        assertEquals(104, def.at("/machine/object_sizes/anon_vma").asLong());
    }

    @Test void theTextShowsTheSlabSectionOnlyForAChosenProfile() {
        CliRun.Out plain = CliRun.run("compare", W, "--design", "linux", "--default-sizes");
        assertEquals(0, plain.status(), plain.err());
        assertFalse(plain.out().contains("slab caches of"), plain.out());
        CliRun.Out prof = CliRun.run("compare", W, "--design", "linux", "--design", "lazy", "--kernel-profile", "x86-64-6.18");
        assertEquals(0, prof.status(), prof.err());
        assertTrue(prof.out().contains("slab caches of x86-64-6.18"), prof.out());
        assertFalse(prof.out().contains("fits the padding"), prof.out()); // no design grows the struct
    }
}
