package rmaplab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rmaplab.cli.CliRun;

/**
 * Every JSON document starts with its format version, and apart from it the
 * fields are those the README lists, in its order; the CSV rows are the
 * design's figures only.
 */
class JsonFormatTest {
    static final String W = "examples/fork-cow.rmw";

    static List<String> fields(JsonNode n) {
        List<String> f = new ArrayList<>();
        n.fieldNames().forEachRemaining(f::add);
        return f;
    }

    @Test void runJsonStartsWithTheVersionThenTheDocumentedFields() throws Exception {
        CliRun.Out o = CliRun.run("run", W, "--json", "--design", "linux", "--design", "pv");
        assertEquals(0, o.status(), o.err());
        JsonNode doc = new ObjectMapper().readTree(o.out());
        assertEquals(List.of(Json.VERSION_FIELD, "workload", "machine", "designs", Json.TIMINGS_FIELD), fields(doc));
        assertEquals(List.of("linux", "pv"), fields(doc.at("/timings/millis")));
        assertEquals(Json.VERSION, doc.get(Json.VERSION_FIELD).asInt());
        // the design fields as README's "JSON output" lists them
        assertEquals(List.of("design", "ops", "objects", "metadata_bytes", "walks", "locks", "op_costs",
                "ops_by_kind", "faults", "errors", "oracle"), fields(doc.at("/designs/0")));
        assertEquals(List.of("walks", "visits", "hits", "steps", "visits_mean", "visits_p99", "visits_max", "hits_mean",
                "steps_mean", "entered", "entered_mean", "entered_p99", "entered_max", "repointed_folios", "repoint_ptes",
                "missed", "phantoms"), fields(doc.at("/designs/0/walks")));
        assertEquals(List.of("acquisitions", "read", "write", "rcu", "instances", "hottest", "max_processes_per_instance"),
                fields(doc.at("/designs/0/locks")));
        assertEquals(List.of("class", "id", "acquisitions", "share", "processes", "by_op"), fields(doc.at("/designs/0/locks/hottest")));
        assertEquals(List.of("check", "checked_walks", "violations", "mapcount_error", "verdict", "first_violations"),
                fields(doc.at("/designs/0/oracle")));
        assertEquals(List.of("live", "live_bytes", "peak", "peak_bytes", "allocated", "freed", "struct_growth", "object_size",
                "slot_bytes", "active_kb", "slabs", "slab_kb", "peak_active_kb"), fields(doc.at("/designs/0/objects/anon_vma")));
        // a type that is no slab cache of the kernel has no slab figures
        assertEquals(List.of("live", "live_bytes", "peak", "peak_bytes", "allocated", "freed"),
                fields(doc.at("/designs/1/objects/pv_entry")));
        assertEquals(List.of("anon_vma", "anon_vma_chain", "vm_area_struct", "source", "profile", "caches"),
                fields(doc.at("/machine/object_sizes")));
        assertEquals(List.of("object_size", "used", "align", "slot", "objs_per_slab", "slab_bytes"),
                fields(doc.at("/machine/object_sizes/caches/anon_vma")));
        // the version is said once, at the top
        assertFalse(doc.at("/designs/0").has(Json.VERSION_FIELD));
    }

    @Test void compareJsonIsAListOfVersionedDocumentsAndCsvHasNoVersionRow() throws Exception {
        CliRun.Out o = CliRun.run("compare", W, "examples/zero-page.rmw", "--json", "--design", "linux");
        assertEquals(0, o.status(), o.err());
        JsonNode list = new ObjectMapper().readTree(o.out());
        assertTrue(list.isArray());
        assertEquals(2, list.size());
        for (JsonNode doc : list) assertEquals(Json.VERSION_FIELD, fields(doc).get(0));
        assertEquals(List.of(W, "examples/zero-page.rmw"), List.of(list.get(0).get("workload").asText(), list.get(1).get("workload").asText()));
        CliRun.Out csv = CliRun.run("compare", W, "--csv", "--design", "linux");
        assertEquals(0, csv.status(), csv.err());
        assertTrue(csv.out().startsWith(RunJson.CSV_HEADER + W + ",linux,design,linux\n"), csv.out());
        assertFalse(csv.out().contains(Json.VERSION_FIELD), csv.out());
    }

    /** Everything but the timings object is a pure function of the input: two runs print the same bytes. */
    @Test void apartFromTimingsTwoRunsPrintTheSameBytes() throws Exception {
        String[] args = {"run", "examples/linux-mm-3.rmw", "--json"};
        CliRun.Out a = CliRun.run(args), b = CliRun.run(args);
        assertEquals(0, a.status(), a.err());
        ObjectMapper m = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode da = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(a.out());
        com.fasterxml.jackson.databind.node.ObjectNode db = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(b.out());
        assertTrue(da.has(Json.TIMINGS_FIELD));
        da.remove(Json.TIMINGS_FIELD);
        db.remove(Json.TIMINGS_FIELD);
        assertEquals(Json.write(da), Json.write(db));
        // and the text before the timings object is the same, byte for byte
        int ia = a.out().indexOf("\"" + Json.TIMINGS_FIELD + "\""), ib = b.out().indexOf("\"" + Json.TIMINGS_FIELD + "\"");
        assertEquals(a.out().substring(0, ia), b.out().substring(0, ib));
    }
}
