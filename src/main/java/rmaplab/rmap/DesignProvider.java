package rmaplab.rmap;

import java.util.List;

/**
 * What a design package declares: a public class named {@code Provider} in
 * a package {@code rmaplab.design.NAME}, with a public no-argument
 * constructor, implementing this interface. The registry finds it on the
 * class path ({@link Designs}); nothing else names the package.
 */
public interface DesignProvider {
    List<DesignInfo> designs();
}
