package rmaplab.report;

import java.util.ArrayList;
import java.util.List;
import rmaplab.survey.Survey;

/** The survey's estimate beside the kernel's slab counts: what the text and the JSON both say of each cache. */
final class SurveySlabs {
    private SurveySlabs() {}

    /** fs_struct objects that share the anon_vma_chain line when fs_cache is merged into it: one per live process. */
    static long fsStructs(Survey.Counts c) { return c.processes() - c.zombies(); }

    static boolean sheaves(Survey.Result r, String cache) {
        long[] h = r.slabs().held().get(cache);
        return h != null && h[3] > 0;
    }

    /**
     * What the kernel's count says of the model's: live objects lie in
     * [active - free objects CPUs may hold, active]; the model (which lacks
     * unreadable processes and other users of a merged cache) should not be
     * above active, and is "below the range" when even all the slack cannot
     * explain the gap.
     */
    static String verdict(long active, long model, long slack, List<String> unseen) {
        if (model > active) return "model above the kernel's count";
        if (slack < 0) return "model below, slack unknown";
        if (active - slack <= model) return "consistent (within the slack)";
        return "model below by " + (active - slack - model) + " beyond the slack"
                + (unseen.isEmpty() ? "" : ": " + String.join(", ", unseen) + "?");
    }

    /** What the kernel's count holds that the model's cannot: the places the rest of a gap may be. */
    static List<String> unseen(Survey.Result r, String cache) {
        List<String> u = new ArrayList<>();
        if (sheaves(r, cache)) u.add("sheaves");
        if (cache.equals("anon_vma_chain")) for (String o : r.slabs().sharers().getOrDefault(cache, List.of()))
            if (!o.equals("fs_cache")) u.add(o);
        int n = r.counts().unreadable();
        if (n > 0) u.add(n + " unreadable process" + (n == 1 ? "" : "es"));
        if (r.counts().vanished() > 0) u.add(r.counts().vanished() + " vanished");
        return u;
    }


    static Survey.Estimate find(Survey.Result r, String design) {
        for (Survey.Estimate e : r.estimates()) if (e.design().equals(design)) return e;
        return null;
    }

    static long linuxCount(Survey.Result r, Survey.Estimate linux, String cache) {
        if (linux == null) return -1;
        if (cache.equals("vm_area_struct")) return linux.vmas();
        long[] o = linux.objects().get(cache);
        return o == null ? 0 : o[0];
    }
}
