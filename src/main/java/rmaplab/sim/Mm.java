package rmaplab.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An mm_struct: the VMAs of one address space in address order, and its page
 * tables. Shared by the threads of a process (and a vfork child until it
 * execs or exits).
 */
public final class Mm {
    final int id;
    final TreeMap<Long, Vma> vmas = new TreeMap<>();
    final PageTable pt = new PageTable();
    int users;
    /** The process that created this mm (its first user). */
    final int ownerPid;
    boolean alive = true;

    Mm(int id, int ownerPid) {
        this.id = id;
        this.ownerPid = ownerPid;
    }

    public int id() { return id; }
    public int ownerPid() { return ownerPid; }
    public boolean alive() { return alive; }
    public int users() { return users; }
    public PageTable pageTable() { return pt; }
    public int vmaCount() { return vmas.size(); }

    /** find_vma_intersection for one page: the VMA containing vpage, or null. */
    public Vma find(long vpage) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(vpage);
        if (e == null) return null;
        Vma v = e.getValue();
        return v.end > vpage ? v : null;
    }

    /** The VMA before v (vma_prev), whether adjacent or not. */
    public Vma prev(Vma v) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(v.start);
        return e == null ? null : e.getValue();
    }

    /** The VMA after v (vma_next), whether adjacent or not. */
    public Vma next(Vma v) {
        Map.Entry<Long, Vma> e = vmas.higherEntry(v.start);
        return e == null ? null : e.getValue();
    }

    /** The first VMA that ends after vpage (find_vma), or null. */
    public Vma findVma(long vpage) {
        Vma v = find(vpage);
        if (v != null) return v;
        Map.Entry<Long, Vma> e = vmas.higherEntry(vpage);
        return e == null ? null : e.getValue();
    }

    /** The last VMA that starts before vpage, or null. */
    public Vma before(long vpage) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(vpage);
        return e == null ? null : e.getValue();
    }

    /** VMAs overlapping [start, end), ascending. */
    public List<Vma> overlapping(long start, long end) {
        List<Vma> l = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.floorEntry(start);
        long from = first != null && first.getValue().end > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) if (v.end > start) l.add(v);
        return l;
    }

    /** All VMAs, ascending. */
    public Collection<Vma> vmas() { return vmas.values(); }

    void insert(Vma v) {
        Vma old = vmas.put(v.start, v);
        if (old != null && old != v) throw new IllegalStateException("two VMAs at " + Long.toHexString(v.start));
    }

    void remove(Vma v) {
        if (vmas.get(v.start) == v) vmas.remove(v.start);
        else throw new IllegalStateException("VMA not at its start: " + v);
    }

    @Override public String toString() { return "mm#" + id; }
}
