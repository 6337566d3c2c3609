package rmaplab.design.linux;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/** Registers {@code linux}. */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(DesignInfo.of("linux", 20, "anon_vma + anon_vma_chain as in Linux 6.18: per-process anon_vmas linked to "
                + "all ancestors, interval-tree walks", LinuxDesign::new));
    }
}
