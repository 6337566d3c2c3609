package rmaplab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/**
 * --version: the project version (the pom's, put in rmaplab/version.properties
 * by Maven's resource filtering) and the git commit the jar was built from
 * (rmaplab/commit.txt, written at build time by 'git describe'; "unknown"
 * when the sources were no git checkout).
 */
final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() { return lines().toArray(String[]::new); }

    static List<String> lines() {
        return List.of("rmaplab " + project() + " (commit " + commit() + ")",
                "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name"));
    }

    /** The project version, as the pom says it. */
    static String project() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/rmaplab/version.properties")) {
            if (in == null) return "unknown";
            p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** The commit the jar was built from. */
    static String commit() {
        try (InputStream in = Version.class.getResourceAsStream("/rmaplab/commit.txt")) {
            if (in == null) return "unknown";
            String c = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return c.isEmpty() ? "unknown" : c;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
