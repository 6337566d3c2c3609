package rmaplab.race;

/** What the oracle under concurrency found in one schedule (docs/races.md defines each kind). */
public record RaceViolation(Kind kind, int point, String task, String message) {
    public enum Kind {
        /** A walk missed a mapping of its folio that existed from the walk's start to its end. */
        MISSED("missed mapping"),
        /** A read of a freed object, or of a reused one as its old identity, not protected as the kernel protects it. */
        LIFETIME("use-after-free"),
        /** A write to lock-protected state without the lock while another task holds it. */
        DATA_RACE("data race"),
        /** Every unfinished task waits for a lock another one holds. */
        DEADLOCK("deadlock"),
        /** A cycle in the lock-order graph over all schedules explored. */
        LOCK_ORDER("lock order cycle"),
        /** A step that may sleep inside an RCU read section. */
        RCU_SLEEP("sleep in RCU read section"),
        /** After the ops ran, a walk of a live folio misses a mapping (the sequential oracle's sweep). */
        SWEEP("missed mapping after the race"),
        /** The model's own consistency checks failed in this interleaving. */
        CRASH("model invariant broken");

        public final String label;

        Kind(String label) { this.label = label; }
    }

    @Override public String toString() {
        return kind.label + (task == null ? "" : " (" + task + (point >= 0 ? ", point " + point : "") + ")") + ": " + message;
    }
}
