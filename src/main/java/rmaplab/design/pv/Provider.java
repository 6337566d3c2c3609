package rmaplab.design.pv;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/** Registers {@code pv}. */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(DesignInfo.of("pv", 10, "one 24-byte reverse entry per mapping (BSD pmap pv lists): exact walks, "
                + "the lower bound on visits", PvDesign::new));
    }
}
