package rmaplab.rmap;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The registry of designs by name. It finds every design package on the class
 * path — each {@code rmaplab.design.NAME.Provider} ({@link DesignProvider}) —
 * so that adding a design touches its own package only. Reports list designs
 * by their declared order. An unknown name fails and lists the known ones.
 */
public final class Designs {
    private static final String ROOT = "rmaplab/design/";
    private static Map<String, DesignInfo> registry;

    private Designs() {}

    private static synchronized Map<String, DesignInfo> registry() {
        if (registry == null) {
            List<DesignInfo> all = new ArrayList<>();
            for (String pkg : designPackages()) all.addAll(provider(pkg).designs());
            all.sort(Comparator.comparingInt(DesignInfo::order).thenComparing(DesignInfo::name));
            Map<String, DesignInfo> m = new LinkedHashMap<>();
            for (DesignInfo d : all)
                if (m.putIfAbsent(d.name(), d) != null) throw new IllegalStateException("design registered twice: " + d.name());
            registry = Collections.unmodifiableMap(m);
        }
        return registry;
    }

    private static DesignProvider provider(String pkg) {
        String cls = ROOT.replace('/', '.') + pkg + ".Provider";
        try {
            return (DesignProvider) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("design package " + pkg + ": " + cls + " is not a DesignProvider with a public "
                    + "no-argument constructor (" + e + ")", e);
        }
    }

    /** The names of the packages under rmaplab.design that hold a Provider class, sorted. */
    private static TreeSet<String> designPackages() {
        TreeSet<String> pkgs = new TreeSet<>();
        try {
            Enumeration<URL> roots = Designs.class.getClassLoader().getResources(ROOT);
            while (roots.hasMoreElements()) {
                URL u = roots.nextElement();
                if (u.getProtocol().equals("file")) {
                    File[] dirs = new File(u.toURI()).listFiles(File::isDirectory);
                    if (dirs != null)
                        for (File d : dirs) if (new File(d, "Provider.class").isFile()) pkgs.add(d.getName());
                } else if (u.getProtocol().equals("jar")) {
                    JarURLConnection c = (JarURLConnection) u.openConnection();
                    c.setUseCaches(false); // a JarFile of our own, closed here
                    try (JarFile jar = c.getJarFile()) {
                        for (Enumeration<JarEntry> es = jar.entries(); es.hasMoreElements();) {
                            String n = es.nextElement().getName();
                            if (n.startsWith(ROOT) && n.endsWith("/Provider.class")) {
                                String pkg = n.substring(ROOT.length(), n.length() - "/Provider.class".length());
                                if (!pkg.contains("/")) pkgs.add(pkg);
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the design packages: " + e.getMessage(), e);
        }
        return pkgs;
    }

    /** Every registered design, in report order. */
    public static Map<String, DesignInfo> all() { return registry(); }

    public static DesignInfo get(String name) {
        DesignInfo e = registry().get(name);
        if (e == null)
            throw new IllegalArgumentException("unknown design '" + name + "'; known designs: " + String.join(", ", registry().keySet()));
        return e;
    }
}
