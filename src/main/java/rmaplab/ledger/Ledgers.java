package rmaplab.ledger;

/**
 * All the ledgers of one simulated machine. While muted (the oracle's own
 * sweeps), nothing a design does is recorded.
 */
public final class Ledgers {
    public final OpContext ctx = new OpContext();
    public final ObjectLedger objects = new ObjectLedger(ctx);
    public final WalkLedger walks = new WalkLedger();
    private final LockLedger locks = new LockLedger(ctx);
    private final LockLedger muted = LockLedger.discarding();
    private boolean mute;

    /** The lock ledger; a throw-away one while muted. */
    public LockLedger locks() { return mute ? muted : locks; }

    /** The real lock ledger, for reports. */
    public LockLedger lockReport() { return locks; }

    public void mute(boolean on) { mute = on; }

    public boolean muted() { return mute; }
}
