package rmaplab.steps;

/**
 * The hooks the simulated kernel and the designs call where Linux takes or
 * drops a lock, enters or leaves an RCU read section, may sleep, or writes
 * state a lock protects. With no scheduler installed on the calling thread
 * (every sequential run) each hook is one read of a static counter and
 * returns: nothing changes, nothing is recorded, {@link #tryLock} succeeds.
 * rmaplab.race installs a {@link StepObserver} on each task's thread of a
 * concurrent run; docs/races.md says what the steps are.
 */
public final class Steps {
    private static volatile int installed;
    private static final ThreadLocal<StepObserver> OBSERVER = new ThreadLocal<>();

    private Steps() {}

    /** Installs (or with null removes) the observer of the calling thread. */
    public static synchronized void install(StepObserver o) {
        StepObserver old = OBSERVER.get();
        if (old == null && o != null) installed++;
        if (old != null && o == null) installed--;
        if (o == null) OBSERVER.remove();
        else OBSERVER.set(o);
    }

    private static StepObserver current() { return installed == 0 ? null : OBSERVER.get(); }

    /** Whether the calling thread runs under a scheduler (a concurrent run). */
    public static boolean active() { return current() != null; }

    public static void lock(LockClass c, long id, StepObserver.Mode mode, String fn) {
        StepObserver o = current();
        if (o != null) o.lock(c, id, mode, fn);
    }

    public static boolean tryLock(LockClass c, long id, StepObserver.Mode mode, String fn) {
        StepObserver o = current();
        return o == null || o.tryLock(c, id, mode, fn);
    }

    public static void unlock(LockClass c, long id, String fn) {
        StepObserver o = current();
        if (o != null) o.unlock(c, id, fn);
    }

    public static void rcuReadLock(String fn) { lock(LockClass.RCU, 0, StepObserver.Mode.READ, fn); }

    public static void rcuReadUnlock(String fn) { unlock(LockClass.RCU, 0, fn); }

    public static void step(String fn) {
        StepObserver o = current();
        if (o != null) o.step(fn);
    }

    public static void maySleep(String fn) {
        StepObserver o = current();
        if (o != null) o.maySleep(fn);
    }

    public static void write(LockClass c, long id, String what, String fn) {
        StepObserver o = current();
        if (o != null) o.write(c, id, what, fn);
    }

    public static void walkBegin(int folio) {
        StepObserver o = current();
        if (o != null) o.walkBegin(folio);
    }

    public static void walkHit(int mmId, long vpage) {
        StepObserver o = current();
        if (o != null) o.walkHit(mmId, vpage);
    }

    public static void walkEnd(int folio) {
        StepObserver o = current();
        if (o != null) o.walkEnd(folio);
    }

    public static void lifetime(String what, String fn) {
        StepObserver o = current();
        if (o != null) o.lifetime(what, fn);
    }
}
