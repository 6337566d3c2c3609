package rmaplab.design.leaf;

import java.util.List;
import rmaplab.rmap.DesignInfo;
import rmaplab.rmap.DesignProvider;

/** Registers {@code linux-nofork} and {@code leaf-bound}. */
public final class Provider implements DesignProvider {
    @Override public List<DesignInfo> designs() {
        return List.of(
                DesignInfo.of("linux-nofork", 30, "linux plus the PR_SET_NOFORK promise: once every process using an mm "
                        + "promised never to fork, its new exclusive folios are keyed by mm and address (no anon_vma, no chain); "
                        + "shared ones keep linux's", c -> new LeafDesign(c, LeafDesign.Mode.PROMISE)),
                DesignInfo.of("leaf-bound", 40, "the clairvoyant bound of the leaf idea: linux-nofork as if every mm had "
                        + "promised from the moment no fork copies it again (known from a first pass); leaf children get no "
                        + "anon_vma of their own", c -> new LeafDesign(c, LeafDesign.Mode.CLAIRVOYANT)).needingForks());
    }
}
