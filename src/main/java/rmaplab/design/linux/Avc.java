package rmaplab.design.linux;

import rmaplab.sim.Vma;

/**
 * struct anon_vma_chain: one edge (VMA, anon_vma). It sits on the VMA's
 * anon_vma_chain list ({@link VmaAnon#chain}) and, as a node, in the
 * anon_vma's interval tree keyed by the VMA's [vm_pgoff, vm_pgoff + pages - 1].
 */
final class Avc extends AnonVmaTree.Node {
    Vma vma;
    AnonVma anonVma;

    @Override public String toString() { return "avc(" + vma + " -> #" + (anonVma == null ? "?" : anonVma.id) + ")"; }
}
