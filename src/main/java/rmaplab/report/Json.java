package rmaplab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON as rmaplab writes it: indented, fields in the order the documents
 * build them, and every document stamped with its format version
 * ({@value #VERSION_FIELD}, the first field; docs/json-output.md).
 */
public final class Json {
    private Json() {}

    /** The name of the version field at the top of every JSON document. */
    public static final String VERSION_FIELD = "rmaplab_json";

    /**
     * The version of the JSON documents: raised when a field is renamed or
     * removed or changes meaning; a field added does not raise it.
     */
    public static final int VERSION = 2;

    /** The name of the object that holds a document's wall times (the only fields that vary run to run). */
    public static final String TIMINGS_FIELD = "timings";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A new document: a map that starts with the version field. */
    public static Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(VERSION_FIELD, VERSION);
        return d;
    }

    /** The text of a document (or a list of documents), without a final newline. */
    public static String write(Object doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
