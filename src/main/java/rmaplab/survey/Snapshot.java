package rmaplab.survey;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import rmaplab.survey.ProcParse.Region;

/**
 * What the survey read from /proc at one moment: the user processes (kernel
 * threads only counted), each with its VMAs and its anonymous pages.
 *
 * @param procs            user processes, by pid
 * @param kernelThreads    kernel threads seen (excluded from everything else)
 * @param vanished         processes that exited (or became unreadable) while being read, skipped
 * @param pfns             whether pagemap showed page frame numbers (root): without them pages
 *                         cannot be matched across processes
 * @param frames           per frame number seen: {kpagecount, kpageflags}, or -1 where unreadable;
 *                         empty when the frame files are not readable
 * @param scanned          pagemap entries read
 * @param scanCap          the most pagemap entries the survey reads; VMAs past it are counted from smaps
 * @param fromSmaps        VMAs whose anonymous pages were counted from smaps, not read from pagemap
 * @param aslr             /proc/sys/kernel/randomize_va_space is not 0
 * @param selfPid          the surveying process's own pid (it is surveyed too), 0 if not among them
 * @param notes            what was degraded and why, in the order met
 */
public record Snapshot(List<Proc> procs, int kernelThreads, int vanished, boolean pfns, Map<Long, long[]> frames,
                       long scanned, long scanCap, int fromSmaps, boolean aslr, int selfPid, List<String> notes) {

    /**
     * One user process.
     *
     * @param threads   entries of /proc/PID/task
     * @param exe       the target of /proc/PID/exe, null when unreadable
     * @param memoryRead whether its maps (or smaps) could be read: false for a process the
     *                  survey may not look into (then it has no regions and no pages here)
     * @param rssAnonKb status's RssAnon (readable even when maps is not), -1 if absent
     * @param regions   VMAs in address order ([vsyscall] left out: it is not a VMA of the mm)
     * @param vpages    the virtual pages holding anonymous pages, ascending
     * @param entries   the pagemap entry of each (frame number and flags); an entry
     *                  with {@link ProcParse#SYNTHETIC} is one placed from smaps' count
     */
    public record Proc(ProcParse.Stat stat, int threads, String exe, boolean sigchldIgnored, boolean memoryRead,
                       long rssAnonKb, List<Region> regions, long[] vpages, long[] entries) {
        public int pid() { return stat.pid(); }

        public int ppid() { return stat.ppid(); }

        /** The pagemap entry of the anonymous page at vpage, or 0 if there is none. */
        public long entry(long vpage) {
            int i = Arrays.binarySearch(vpages, vpage);
            return i < 0 ? 0 : entries[i];
        }

        public long anonPages() { return vpages.length; }
    }

    /** The frame number in a pagemap entry (0 when not shown). */
    public static long pfn(long entry) { return entry & ProcParse.PM_PFN; }

    public static boolean exclusive(long entry) { return (entry & ProcParse.PM_EXCLUSIVE) != 0; }
}
