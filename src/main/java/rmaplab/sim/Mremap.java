package rmaplab.sim;


/**
 * mremap(2) (mm/mremap.c): shrink, growth in place (vma_merge_extend), and moves
 * (copy_vma, move_page_tables), one VMA or several (remap_move).
 */
final class Mremap {
    private final Machine m;

    Mremap(Machine m) { this.m = m; }

    /**
     * mremap(2) (mm/mremap.c). In place (newAddr == addr): shrink unmaps the
     * tail; growth expands the VMA when the pages after it are free
     * (vma_merge_extend), else ENOMEM. A move (MREMAP_MAYMOVE|MREMAP_FIXED)
     * unmaps the destination, copies the VMA (copy_vma), moves the PTEs
     * (move_page_tables, folio->index unchanged) and unmaps the source.
     * check_prep_vma comes first: without a VMA at addr, or (for a move or a
     * growth) with a range that crosses that VMA's end, the call fails with
     * EFAULT before anything is unmapped. A move that keeps the size may
     * span several VMAs: each is moved in turn, gaps kept (remap_move).
     */
    void mremap(Mm mm, long addr, long oldLen, long newAddr, long newLen) {
        // check_mremap_params: a new length past TASK_SIZE, or a new range that leaves it, is EINVAL
        if (newLen > m.config.taskSize() || (newAddr != addr && m.mmaps.beyondTaskSize(newAddr, newLen))) {
            m.error("mremap", "EINVAL");
            return;
        }
        if (newAddr == addr) {
            if (newLen <= oldLen) {
                // check_prep_vma: a shrink too needs a VMA at addr (its tail may then span others)
                if (mm.find(addr) == null) m.error("mremap", "EFAULT");
                else if (newLen < oldLen) m.mmaps.munmap(mm, addr + newLen, addr + oldLen);
                return;
            }
            Vma vma = mm.find(addr);
            if (vma == null || oldLen > vma.end - addr) {
                m.error("mremap", "EFAULT");
                return;
            }
            if (addr + oldLen != vma.end) { // only a VMA's tail can grow in place
                m.error("mremap", "ENOMEM");
                return;
            }
            long newEnd = addr + newLen;
            // vma_expandable: the grown VMA must still pass get_unmapped_area (below TASK_SIZE)
            if (m.mmaps.beyondTaskSize(vma.start, newEnd - vma.start) || m.mmaps.overlaps(mm, vma.end, newEnd)) {
                m.error("mremap", "ENOMEM");
                return;
            }
            // vma_merge_extend: the extension is a new range merged into vma (its prev),
            // and into the next VMA too when it now touches it and may merge
            Vmas.MergeState s = new Vmas.MergeState(mm, vma.end, newEnd, vma.pgoff + vma.pages(), vma.flags, vma.file);
            s.prev = vma;
            s.next = mm.next(vma);
            s.source = vma; // VMG_VMA_STATE: vmg->anon_vma = vma->anon_vma, middle NULL
            if (m.vmas.mergeNewRange(s) == null) m.error("mremap", "ENOMEM");
            return;
        }
        // a move: the two ranges may not overlap
        if (newAddr < addr + oldLen && addr < newAddr + newLen) {
            m.error("mremap", "EINVAL");
            return;
        }
        // check_prep_vma (mm/mremap.c): the source is checked before anything is unmapped
        Vma src = mm.find(addr);
        if (src == null) {
            m.error("mremap", "EFAULT");
            return;
        }
        if (oldLen == newLen) {
            remapMove(mm, addr, oldLen, newAddr);
            return;
        }
        if (oldLen > src.end - addr) { // "We can't remap across vm area boundaries"
            m.error("mremap", "EFAULT");
            return;
        }
        m.mmaps.munmap(mm, newAddr, newAddr + newLen);
        if (oldLen > newLen) {
            m.mmaps.munmap(mm, addr + newLen, addr + oldLen);
            oldLen = newLen;
        }
        Vma vma = mm.find(addr);
        if (vma == null || oldLen > vma.end - addr) {
            m.error("mremap", "EFAULT");
            return;
        }
        moveVma(vma, addr, oldLen, newAddr, newLen);
    }

    /**
     * remap_move (mm/mremap.c, since 6.17: "mm/mremap: permit mremap() move
     * of multiple VMAs"): a move that keeps the size moves every VMA in
     * [addr, addr + len), each by mremap_to (unmap its destination, then
     * move_vma), to the same offset from newAddr, so the gaps between them
     * are kept; the destination's parts facing gaps are left as they are.
     * The range must start in a VMA (checked by the caller). Every kind of
     * VMA the model has may be moved this way (vma_multi_allowed: no
     * userfaultfd, and anonymous, shmem or regular-file mappings).
     */
    void remapMove(Mm mm, long addr, long len, long newAddr) {
        long end = addr + len, pos = addr;
        while (pos < end) {
            Vma v = mm.findVma(pos);
            if (v == null || v.start >= end) break;
            long from = Math.max(v.start, pos), to = Math.min(v.end, end), dst = newAddr + (from - addr);
            m.mmaps.munmap(mm, dst, dst + (to - from));
            moveVma(mm.find(from), from, to - from, dst, to - from);
            pos = to;
        }
    }

    /** move_vma: copy_vma + move_page_tables + unmap of the source range. */
    void moveVma(Vma vma, long addr, long oldLen, long newAddr, long newLen) {
        Mm mm = vma.mm;
        // copy_vma: a faulted VMA keeps its pgoff; an unfaulted anonymous one is re-based at the new address
        long pgoff = vma.pgoff + (addr - vma.start);
        if (vma.anonymous() && !vma.anonPrepared) pgoff = newAddr;
        Vmas.MergeState s = new Vmas.MergeState(mm, newAddr, newAddr + newLen, pgoff, vma.flags, vma.file);
        s.prev = mm.before(newAddr);
        s.next = mm.findVma(newAddr);
        s.copiedFrom = vma;
        s.source = vma;
        Vma dst = m.vmas.mergeNewRange(s);
        if (dst == null) dst = m.vmas.copy(vma, newAddr, newAddr + newLen, pgoff);
        // move_page_tables: the PTEs move; the folios keep their mapping and index
        PageTable pt = mm.pt;
        long[] e = pt.snapshot(addr, addr + oldLen);
        long delta = newAddr - addr;
        for (int i = 0; i < e.length; i += 2) {
            long vp = e[i], pte = e[i + 1];
            pt.set(vp, 0);
            if (Pte.isAnon(pte)) m.design.pteUnmapped(Pte.id(pte), vma, vp);
        }
        for (int i = 0; i < e.length; i += 2) {
            long vp = e[i] + delta, pte = e[i + 1];
            pt.set(vp, pte);
            if (Pte.isAnon(pte)) m.design.pteMapped(Pte.id(pte), dst, vp);
        }
        m.mmaps.munmap(mm, addr, addr + oldLen);
    }


}
