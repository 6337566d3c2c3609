package rmaplab.kernel;

import java.util.List;
import java.util.Map;

/**
 * What the probe counted on the live kernel for one run (a workload or its
 * skeleton), and the pages it saw at the measurement point.
 *
 * @param method  how objects were counted ("cgroup" or "system-wide")
 * @param alloc   allocations per kind (anon_vma, anon_vma_chain, vm_area_struct)
 * @param free    frees per kind
 * @param otherChainObjects allocations in the anon_vma_chain cache from outside mm/rmap.c (fs_struct, eventpoll), excluded
 * @param backgroundAnonVmaFrees anon_vma frees by kernel threads (kdamond, kswapd, ...) anywhere on the
 *                machine during the run: our anon_vmas freed outside the counted cgroup are among them
 * @param errors  "op ERRNO" → count
 * @param pages   every present page of every live task in the workload's range
 */
public record ProbeResult(String method, Map<String, Long> alloc, Map<String, Long> free, long otherChainObjects,
                          long backgroundAnonVmaFrees,
                          Map<String, Long> errors, List<Page> pages) {
    /** One present page: task name, workload page, frame, kpagecount, kind ("anon", "file" or "zero"). */
    public record Page(String task, long vpage, long pfn, long mapcount, String kind) {}
}
