package rmaplab.steps;

/**
 * What {@link Steps} hands every hook to when a scheduler is installed on the
 * calling thread (rmaplab.race). Each call is a point where the scheduler may
 * let another task run before the hook's action takes effect.
 */
public interface StepObserver {
    enum Mode { READ, WRITE }

    /** Takes a lock, waiting (another task runs) while it is held in a conflicting mode. */
    void lock(LockClass c, long id, Mode mode, String fn);

    /** Tries a lock once (down_read_trylock): true when taken; never waits. */
    boolean tryLock(LockClass c, long id, Mode mode, String fn);

    void unlock(LockClass c, long id, String fn);

    /** A point between two atomic steps that takes no lock (another task may run here). */
    void step(String fn);

    /** A point where the kernel may sleep (forbidden inside an RCU read section). */
    void maySleep(String fn);

    /** A write to state lock (c, id) protects: a data race when another task holds that lock and this one does not. */
    void write(LockClass c, long id, String what, String fn);

    /** A reverse walk of the folio starts (the oracle under concurrency watches it). */
    void walkBegin(int folio);

    /** The walk running on this thread found a mapping at (mm id, virtual page). */
    void walkHit(int mmId, long vpage);

    /** The walk running on this thread ends. */
    void walkEnd(int folio);

    /** A read of an object that is not protected as the kernel protects it (freed, or reused as another identity). */
    void lifetime(String what, String fn);
}
