package rmaplab.design.cowctx;

import rmaplab.sim.Mm;

/**
 * struct cow_context: one per mm, in a tree that mirrors the fork tree. It
 * outlives its mm (then {@link #mm} is null: a "dead" node) while children or
 * folios refer to it.
 */
final class CowContext {
    /** A stable id, unique on its machine (lock instances, tests). */
    final long id;
    /** The id of the mm it was made for (kept after the mm is gone). */
    final int mmId;
    /** ctx->mm: null once drop_cow_context ran. */
    Mm mm;
    /** refcnt: 1 for the mm + 1 per child + 1 per folio whose cow_context is this. */
    int refcnt = 1;
    CowContext parent;
    /** children / siblings: list_add_rcu puts the newest child first. */
    CowContext firstChild, prevSibling, nextSibling;
    final RemapTree remaps;

    CowContext(long id, Mm mm, RemapTree remaps) {
        this.id = id;
        this.mmId = mm.id();
        this.mm = mm;
        this.remaps = remaps;
    }

    /** list_add_rcu(&child->siblings, &this->children): at the head. */
    void addChildFirst(CowContext c) {
        c.nextSibling = firstChild;
        c.prevSibling = null;
        if (firstChild != null) firstChild.prevSibling = c;
        firstChild = c;
    }

    /** list_del_rcu(&child->siblings). */
    void removeChild(CowContext c) {
        if (c.prevSibling != null) c.prevSibling.nextSibling = c.nextSibling;
        else firstChild = c.nextSibling;
        if (c.nextSibling != null) c.nextSibling.prevSibling = c.prevSibling;
        c.prevSibling = c.nextSibling = null;
    }

    @Override public String toString() { return "cow_context#" + id + "(mm#" + mmId + (mm == null ? ", dead" : "") + ", ref " + refcnt + ")"; }
}
