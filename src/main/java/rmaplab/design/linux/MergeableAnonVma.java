package rmaplab.design.linux;

import java.util.Objects;
import java.util.function.Predicate;
import rmaplab.sim.Mm;
import rmaplab.sim.PerVma;
import rmaplab.sim.Vma;
import rmaplab.sim.VmFlags;

/**
 * find_mergeable_anon_vma (mm/vma.c): which neighbour's anon_vma a VMA's
 * first fault may take instead of allocating one (__anon_vma_prepare).
 */
final class MergeableAnonVma {
    private MergeableAnonVma() {}

    /**
     * The next VMA first, then the previous one; {@code mayShare} says whether
     * a neighbour's vma->anon_vma may be shared at all (always, in Linux).
     */
    static AnonVma find(Vma vma, PerVma<VmaAnon> table, Predicate<Vma> mayShare) {
        Mm mm = vma.mm();
        Vma next = mm.find(vma.end()); // vma_iter_load at vm_end: only a VMA starting right there
        if (next != null) {
            AnonVma av = reusable(next, vma, next, table, mayShare);
            if (av != null) return av;
        }
        Vma prev = mm.prev(vma);
        return prev == null ? null : reusable(prev, prev, vma, table, mayShare);
    }

    /** reusable_anon_vma: old's anon_vma, if a and b are compatible and old is not a fork child. */
    private static AnonVma reusable(Vma old, Vma a, Vma b, PerVma<VmaAnon> table, Predicate<Vma> mayShare) {
        if (!compatible(a, b) || !mayShare.test(old)) return null;
        VmaAnon s = table.get(old);
        return s != null && s.anonVma != null && s.singular() ? s.anonVma : null;
    }

    /**
     * anon_vma_compatible: adjacent, same file, flags equal but for
     * VM_READ|VM_WRITE|VM_EXEC (VM_SOFTDIRTY is off here), linear pgoff.
     * (mempolicies are not modelled: always equal.)
     */
    static boolean compatible(Vma a, Vma b) {
        return a.end() == b.start() && Objects.equals(a.file(), b.file())
                && ((a.flags() ^ b.flags()) & ~VmFlags.VM_ACCESS_FLAGS) == 0
                && b.pgoff() == a.pgoff() + (b.start() - a.start());
    }
}
