package rmaplab.race;

import java.util.List;

/** Picks the task that runs the next step, among the enabled ones (never empty), in the group's task order. */
interface Chooser {
    /**
     * @param point   the scheduling point (0, 1, ... over the whole run)
     * @param enabled the tasks that may take their next step
     * @param last    the task that took the previous step (null at a group's start)
     */
    String choose(int point, List<String> enabled, String last);

    /** The non-preemptive choice: the last task if it may go on, else the first enabled one. */
    static String byDefault(List<String> enabled, String last) {
        return last != null && enabled.contains(last) ? last : enabled.get(0);
    }
}
