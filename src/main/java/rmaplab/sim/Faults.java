package rmaplab.sim;


/**
 * Faults (mm/memory.c handle_mm_fault): first faults, CoW (do_wp_page), the zero page,
 * and stack growth (expand_downwards).
 */
final class Faults {
    private final Machine m;

    Faults(Machine m) { this.m = m; }

    /**
     * The task accesses the pages in ascending order. An access the kernel
     * refuses (no VMA, not even by growing a stack; or a protection that does
     * not allow it: access_error) raises SIGSEGV (bad_area, arch/x86/mm/fault.c):
     * the model records one {@code touch SIGSEGV} and the touch ends there, as
     * in a program that catches the signal and leaves its loop (the probe
     * does); the task lives on. So a touch costs at most the pages it reaches.
     */
    void touch(Mm mm, long addr, long len, boolean write) {
        for (long vp = addr; vp < addr + len; vp++) {
            if (!access(mm, vp, write)) {
                m.error("touch", "SIGSEGV");
                return;
            }
        }
    }

    /** One user access: a fault when the PTE does not allow it (handle_mm_fault). False: SIGSEGV. */
    boolean access(Mm mm, long vp, boolean write) {
        Vma vma = mm.find(vp);
        if (vma == null) {
            vma = expandStack(mm, vp);
            if (vma == null) return false;
        }
        // access_error (arch/x86/mm/fault.c): a write needs VM_WRITE; a read, any of VM_READ, VM_WRITE, VM_EXEC
        // (vma_is_accessible), as x86 cannot map a page writable or executable but not readable
        if (write ? (vma.flags & VmFlags.VM_WRITE) == 0 : (vma.flags & VmFlags.VM_ACCESS_FLAGS) == 0) return false;
        PageTable pt = mm.pt;
        long pte = pt.get(vp);
        if (pte != 0 && (!write || Pte.writable(pte))) return true; // no fault
        m.faults++;
        if (pte == 0) {
            if (vma.shared()) { // do_shared_fault / do_read_fault on shmem or a shared file
                int page = m.pageCache.page(vma.file, vma.linearPageIndex(vp));
                m.pageCache.map(page);
                pt.set(vp, Pte.file(page, write));
            } else if (vma.file != null) {
                if (write) newAnon(vma, vp); // do_cow_fault
                else { // do_read_fault
                    int page = m.pageCache.page(vma.file, vma.linearPageIndex(vp));
                    m.pageCache.map(page);
                    pt.set(vp, Pte.file(page, false));
                }
            } else if (!write && m.config.zeroPage()) {
                pt.set(vp, Pte.ZERO_PAGE); // do_anonymous_page: the zero page
            } else {
                newAnon(vma, vp); // do_anonymous_page: a new exclusive folio
            }
            return true;
        }
        // a write to a present, write-protected PTE: do_wp_page
        if (vma.shared()) {
            pt.set(vp, Pte.mkwrite(pte)); // wp_page_shared
            return true;
        }
        switch (Pte.type(pte)) {
            case Pte.ZERO -> {
                pt.set(vp, 0);
                newAnon(vma, vp);
            }
            case Pte.FILE -> { // CoW of a private file page
                pt.set(vp, 0);
                m.pageCache.unmap(Pte.id(pte));
                newAnon(vma, vp);
            }
            default -> {
                int f = Pte.id(pte);
                if (m.folios.exclusive(f)) {
                    pt.set(vp, Pte.mkwrite(pte)); // PageAnonExclusive: reuse at once
                } else if (m.folios.mapcount(f) == 1) {
                    // wp_can_reuse_anon_folio: a small folio with no other reference is reused
                    // and moved to this VMA's anon_vma (folio_move_anon_rmap)
                    m.design.reuseAnonFolio(f, vma, vp);
                    m.folios.exclusive(f, true);
                    pt.set(vp, Pte.mkwrite(pte));
                } else { // wp_page_copy
                    pt.set(vp, 0);
                    m.folios.mapcount(f, m.folios.mapcount(f) - 1);
                    m.design.pteUnmapped(f, vma, vp);
                    newAnon(vma, vp);
                }
            }
        }
        return true;
    }

    /** vmf_anon_prepare + folio_add_new_anon_rmap (RMAP_EXCLUSIVE) + set_pte. */
    void newAnon(Vma vma, long vp) {
        prepare(vma);
        int f = m.folios.alloc();
        m.folios.mapcount(f, 1);
        m.folios.exclusive(f, true);
        m.design.newAnonFolio(f, vma, vp, true);
        boolean writable = (vma.flags & VmFlags.VM_WRITE) != 0;
        vma.mm.pt.set(vp, Pte.anon(f, writable));
        m.design.pteMapped(f, vma, vp);
    }

    /** anon_vma_prepare. */
    void prepare(Vma vma) {
        if (vma.anonPrepared) return;
        m.design.anonPrepare(vma);
        vma.anonPrepared = true;
    }

    /**
     * expand_downwards for a fault below a VM_GROWSDOWN VMA (lock_mm_and_find_vma):
     * refused within stack_guard_gap of the VMA below or past RLIMIT_STACK.
     */
    Vma expandStack(Mm mm, long vp) {
        Vma v = mm.findVma(vp);
        if (v == null || (v.flags & VmFlags.VM_GROWSDOWN) == 0) return null;
        Vma below = mm.before(v.start);
        if (below != null && (below.flags & VmFlags.VM_GROWSDOWN) == 0
                && (below.flags & VmFlags.VM_ACCESS_FLAGS) != 0 && vp - below.end < m.config.stackGuardGap())
            return null; // vma_is_accessible(prev) within stack_guard_gap
        if (v.end - vp > m.config.stackLimit()) return null;
        prepare(v);
        m.vmas.expandStack(v, vp);
        return v;
    }


}
