package rmaplab.ledger;

/**
 * All the ledgers of one run at its measurement point, as values that hold
 * nothing of the machine or the design that made them: what reports read.
 */
public record LedgerSnapshot(ObjectFigures objects, WalkFigures walks, LockFigures locks) {
    /** The figures of {@code l} now (the real lock ledger, not the oracle's muted one). */
    public static LedgerSnapshot of(Ledgers l) {
        return new LedgerSnapshot(ObjectFigures.of(l.objects), WalkFigures.of(l.walks), LockFigures.of(l.lockReport()));
    }
}
