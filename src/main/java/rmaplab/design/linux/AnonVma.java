package rmaplab.design.linux;

/**
 * struct anon_vma (include/linux/rmap.h). Only the root's rwsem is ever used
 * as a lock; {@link #id} names that lock in the lock ledger.
 */
public final class AnonVma implements AnonMapping {
    /** A per-machine serial number (allocation order), never reused: the object's identity. */
    long id;
    /**
     * The memory the object lives in: its first id. Under a scheduler
     * (rmaplab.race) anon_vma_alloc reuses a freed object, as the
     * SLAB_TYPESAFE_BY_RCU cache may while a reader still holds a pointer to
     * it: the object takes a new {@link #id} and keeps its slot, and its lock
     * is the slot's.
     */
    final long slot;
    /** Root of this anon_vma tree (the oldest ancestor); this one for a root. */
    AnonVma root;
    /** The anon_vma this one was forked from; this one for a root. */
    AnonVma parent;
    /** Own reference (anon_vma_alloc) + for a root, one per live non-root anon_vma of its tree. */
    int refcount;
    /** anon_vmas whose parent is this one, the root's self-link included. */
    long numChildren;
    /** VMAs whose vma->anon_vma is this one. */
    long numActiveVmas;
    /** rb_root: the anon_vma_chains of every VMA linked to this anon_vma. */
    final AnonVmaTree rb = new AnonVmaTree();
    /** Set by anon_vma_free; a freed anon_vma is never used again. */
    boolean freed;

    AnonVma(long id) {
        this.id = id;
        this.slot = id;
    }

    boolean isRoot() { return root == this; }

    @Override public String toString() {
        return "anon_vma#" + id + (isRoot() ? " root" : " root=#" + root.id + " parent=#" + parent.id) + " ref="
                + refcount + " children=" + numChildren + " active=" + numActiveVmas + " avcs=" + rb.size()
                + (freed ? " FREED" : "");
    }
}
