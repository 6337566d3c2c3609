package rmaplab.workload;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small conveniences over the reader and writer, for small workloads (tests, regression cases). */
public final class Workloads {
    private Workloads() {}

    public static List<Op> readAll(Path p) throws WorkloadException {
        try (WorkloadReader r = WorkloadReader.open(p)) {
            return drain(r);
        }
    }

    /** Parses workload text; errors name it {@code name}. */
    public static List<Op> parse(String name, String text) throws WorkloadException {
        try (WorkloadReader r = WorkloadReader.of(name, text)) {
            return drain(r);
        }
    }

    private static List<Op> drain(WorkloadReader r) throws WorkloadException {
        List<Op> ops = new ArrayList<>();
        Op op;
        while ((op = r.next()) != null) ops.add(op);
        return ops;
    }

    /** A complete workload file (header and ops) as text. */
    public static String toText(List<Op> ops, String comment) {
        StringWriter sw = new StringWriter();
        try (WorkloadWriter w = WorkloadWriter.of(sw)) {
            if (comment != null) w.comment(comment);
            for (Op op : ops) w.write(op);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return sw.toString();
    }
}
