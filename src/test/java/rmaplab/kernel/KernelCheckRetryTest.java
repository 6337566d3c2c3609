package rmaplab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kernel-check measures a live file again when it differed while kernel threads freed anon_vmas. */
class KernelCheckRetryTest {
    /** A result whose anon_vma live count is off by {@code diff}, with {@code background} kernel-thread frees. */
    static KernelCheck.Result result(long diff, long background) {
        return new KernelCheck.Result("f.rmw", "cgroup", false, List.of(new KernelCheck.Objects("anon_vma", 3, 3 + diff, 5, 5)),
                4, 1, List.of(), Map.of(), Map.of(), true, background);
    }

    static KernelCheck.Result measure(List<String> notes, int[] runs, KernelCheck.Result... seq) throws Exception {
        Deque<KernelCheck.Result> q = new ArrayDeque<>(List.of(seq));
        return KernelCheckFiles.measure(() -> {
            runs[0]++;
            return q.removeFirst();
        }, "f.rmw", notes);
    }

    @Test void aDisturbedDifferenceIsMeasuredAgainAndSaidSo() throws Exception {
        List<String> notes = new ArrayList<>();
        int[] runs = {0};
        KernelCheck.Result r = measure(notes, runs, result(1, 2), result(0, 0));
        assertEquals(2, runs[0]);
        assertEquals(true, r.equal());
        assertEquals(List.of("f.rmw: attempt 1 differed while kernel threads freed 2 anon_vma; measured again"), notes);
    }

    @Test void anUndisturbedDifferenceStandsAtOnce() throws Exception {
        List<String> notes = new ArrayList<>();
        int[] runs = {0};
        KernelCheck.Result r = measure(notes, runs, result(1, 0), result(0, 0));
        assertEquals(1, runs[0]);
        assertEquals(false, r.equal());
        assertEquals(List.of(), notes);
    }

    @Test void atMostThreeAttemptsThenTheLastOneStands() throws Exception {
        List<String> notes = new ArrayList<>();
        int[] runs = {0};
        KernelCheck.Result r = measure(notes, runs, result(1, 1), result(1, 1), result(2, 1), result(0, 0));
        assertEquals(3, runs[0]);
        assertEquals(false, r.equal());
        assertEquals(2, notes.size());
        assertEquals(5, r.objects().get(0).kernelLive());
    }
}
