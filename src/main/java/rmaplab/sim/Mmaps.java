package rmaplab.sim;

import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;

import java.util.List;
import java.util.Set;
import rmaplab.workload.Advice;
import rmaplab.workload.MapFlag;
import rmaplab.workload.MapKind;
import rmaplab.workload.Prot;

/**
 * mmap and munmap (mm/mmap.c, mm/vma.c do_vmi_munmap), zap (mm/memory.c), mprotect
 * (mm/mprotect.c) and madvise (mm/madvise.c).
 */
final class Mmaps {
    private final Machine m;

    Mmaps(Machine m) { this.m = m; }

    /** Whether any VMA of mm overlaps [start, end). */
    boolean overlaps(Mm mm, long start, long end) { return !mm.overlapping(start, end).isEmpty(); }

    /**
     * Whether [start, start + len) leaves the user address space (TASK_SIZE),
     * as __get_unmapped_area and do_vmi_munmap test it: no overflow is
     * possible, since the reader refuses what lies beyond the largest one.
     */
    boolean beyondTaskSize(long start, long len) {
        long ts = m.config.taskSize();
        return len > ts || start > ts - len;
    }

    /**
     * do_mmap and __mmap_region (mm/mmap.c, mm/vma.c). Without {@code fixed}
     * the range must be free (MAP_FIXED_NOREPLACE). With it, the mapping
     * replaces what lies there, in the kernel's phases (__mmap_prepare,
     * __mmap_complete): gather the old VMAs (split at the edges), charge the
     * new mapping (a refusal is ENOMEM with the old VMAs put back, the edge
     * splits staying), zap and detach the old VMAs, merge the range with its
     * neighbours or map a new VMA, and only then free the old VMAs.
     */
    void mmap(Mm mm, long addr, long len, Prot prot, MapKind kind, Set<MapFlag> mapFlags) {
        long end = addr + len;
        boolean fixed = mapFlags.contains(MapFlag.FIXED);
        // __get_unmapped_area with MAP_FIXED: a range past TASK_SIZE is ENOMEM
        if (beyondTaskSize(addr, len)) {
            m.error("mmap", "ENOMEM");
            return;
        }
        if (!fixed && overlaps(mm, addr, end)) {
            if (!m.strict) {
                m.error("mmap", "EEXIST");
                return;
            }
            throw new WorkloadError("mmap [0x" + Long.toHexString(addr) + ",0x" + Long.toHexString(end)
                    + ") overlaps an existing mapping (MAP_FIXED_NOREPLACE would fail with EEXIST;"
                    + " the FLAG fixed replaces it)");
        }
        int flags = VmFlags.of(prot);
        String file;
        long pgoff;
        switch (kind.type()) {
            case ANON, STACK -> {
                file = null;
                pgoff = addr; // do_mmap: private anonymous pgoff = addr >> PAGE_SHIFT
            }
            case SHARED -> {
                file = null; // shmem_zero_setup gives it a file of its own when its VMA is made (below)
                pgoff = 0;
            }
            default -> {
                file = kind.file();
                pgoff = kind.pgoff();
                // file_mmap_ok (mm/mmap.c): the last byte must fit in MAX_LFS_FILESIZE (LLONG_MAX here), else EOVERFLOW
                if (pgoff < 0 || pgoff > (Long.MAX_VALUE - len * 4096) >>> 12) {
                    m.error("mmap", "EOVERFLOW");
                    return;
                }
            }
        }
        if (kind.isShared()) flags |= VmFlags.VM_SHARED;
        // calc_vm_flag_bits (include/linux/mman.h): MAP_GROWSDOWN -> VM_GROWSDOWN; MAP_STACK ->
        // VM_NOHUGEPAGE on kernels built with transparent huge pages (6.7 and later; the live one is)
        if (kind.type() == MapKind.Type.STACK) flags |= VmFlags.VM_GROWSDOWN;
        if (mapFlags.contains(MapFlag.STACK)) flags |= VmFlags.VM_NOHUGEPAGE;
        // do_mmap: MAP_NORESERVE -> VM_NORESERVE unless vm.overcommit_memory is 2 (it is 0 here)
        if (mapFlags.contains(MapFlag.NORESERVE)) flags |= VmFlags.VM_NORESERVE;

        // __mmap_prepare: vms_gather_munmap_vmas splits the VMAs at the edges of the range and collects
        // what lies inside; they stay mapped until the charge below is granted
        List<Vma> old = fixed ? gather(mm, addr, end) : List.of();
        // accountable_mapping() (mm/vma.c): only writable, private, reserving mappings are charged, and only
        // for the pages the replaced VMAs did not have charged already (vms->nr_accounted)
        if ((flags & (VmFlags.VM_NORESERVE | VmFlags.VM_SHARED | VmFlags.VM_WRITE)) == VmFlags.VM_WRITE) {
            long charged = len;
            for (Vma v : old) if ((v.flags & VmFlags.VM_ACCOUNT) != 0) charged -= v.pages();
            if (charged > 0 && !m.config.enoughMemory(charged)) {
                // vms_abort_munmap_vmas: the PTEs are not cleared yet, so the old VMAs are reattached
                // (reattach_vmas); the splits vms_gather_munmap_vmas made are not undone
                m.error("mmap", "ENOMEM");
                return;
            }
            flags |= VmFlags.VM_ACCOUNT;
        }
        // vms_clean_up_area: zap the old PTEs, then the old VMAs leave the tree with their rmap state
        for (Vma v : old) zap(v, v.start, v.end);
        m.vmas.detach(mm, old);
        if (kind.type() == MapKind.Type.SHARED) file = "shmem#" + (++m.shmemCount);
        Vmas.MergeState s = new Vmas.MergeState(mm, addr, end, pgoff, flags, file);
        s.prev = mm.before(addr);
        s.next = mm.findVma(addr);
        // a shared anonymous mapping gets a shmem file of its own: it never merges
        if (kind.type() == MapKind.Type.SHARED || m.vmas.mergeNewRange(s) == null)
            m.vmas.map(mm, addr, end, pgoff, flags, file);
        // __mmap_complete → vms_complete_munmap_vmas: remove_vma frees the old VMAs
        for (Vma v : old) m.freeVma(v);
    }

    /** munmap(2): do_vmi_munmap refuses a range past TASK_SIZE with EINVAL. */
    void munmapOp(Mm mm, long start, long len) {
        if (beyondTaskSize(start, len)) m.error("munmap", "EINVAL");
        else munmap(mm, start, start + len);
    }

    /** do_vmi_munmap: gather (split at the edges), zap, unlink and free what lies inside. */
    void munmap(Mm mm, long start, long end) {
        List<Vma> gone = gather(mm, start, end);
        for (Vma v : gone) zap(v, v.start, v.end);
        m.vmas.remove(mm, gone);
    }

    /**
     * vms_gather_munmap_vmas (mm/vma.c): split the first VMA at start (the
     * new VMA takes the part below) and the last at end (the new VMA takes the
     * part above); returns the VMAs inside [start, end), in address order.
     */
    List<Vma> gather(Mm mm, long start, long end) {
        List<Vma> in = mm.overlapping(start, end);
        if (in.isEmpty()) return in;
        Vma first = in.get(0);
        if (first.start < start) m.vmas.split(first, start, true); // first now starts at start
        Vma last = in.get(in.size() - 1);
        if (last.end > end) m.vmas.split(last, end, false);
        return mm.overlapping(start, end);
    }

    /** zap_page_range: drop every PTE in [start, end) of v; folios whose last mapping goes are freed. */
    void zap(Vma v, long start, long end) {
        PageTable pt = v.mm.pt;
        Steps.lock(LockClass.PTL, v.mm.id, StepObserver.Mode.WRITE, "zap_pte_range"); // a step of a concurrent run
        pt.forEachChunk(start, end, e -> {
            for (int i = 0; i < e.length; i += 2) {
                pt.set(e[i], 0);
                dropPte(v, e[i], e[i + 1]);
            }
        });
        Steps.unlock(LockClass.PTL, v.mm.id, "zap_pte_range");
    }

    void dropPte(Vma v, long vp, long pte) {
        switch (Pte.type(pte)) {
            case Pte.ANON -> {
                int f = Pte.id(pte);
                m.folios.mapcount(f, m.folios.mapcount(f) - 1);
                m.design.pteUnmapped(f, v, vp);
                if (m.folios.mapcount(f) == 0) {
                    m.design.folioFreed(f);
                    m.folios.release(f);
                }
            }
            case Pte.FILE -> m.pageCache.unmap(Pte.id(pte));
            default -> { }
        }
    }


    /**
     * do_mprotect_pkey: start must lie in a VMA (else ENOMEM with nothing
     * changed); VMAs are changed in order until a hole, which ends the call
     * with ENOMEM after the earlier ones were changed.
     */
    void mprotect(Mm mm, long start, long end, Prot prot) {
        Vma vma = mm.find(start);
        if (vma == null) {
            m.error("mprotect", "ENOMEM");
            return;
        }
        Vma prev = vma.start < start ? vma : mm.prev(vma);
        long nstart = start;
        while (true) {
            long tmp = Math.min(vma.end, end);
            int newFlags = (vma.flags & ~VmFlags.VM_ACCESS_FLAGS) | VmFlags.of(prot);
            // mprotect_fixup (mm/mprotect.c): making a private mapping writable charges it (VM_ACCOUNT)
            // unless it is charged already, writable already or VM_NORESERVE (never charged: k41);
            // making an anonymous VMA that has no anon_vma yet unwritable un-charges it (checked on the
            // live kernel: examples/kernel/k08, the unfaulted half loses "ac" in smaps and then cannot merge)
            int old = vma.flags;
            if (prot.write) {
                if ((old & (VmFlags.VM_ACCOUNT | VmFlags.VM_WRITE | VmFlags.VM_SHARED | VmFlags.VM_NORESERVE)) == 0) {
                    // the charge comes first (security_vm_enough_memory_mm): a refusal changes nothing of this VMA
                    if (!m.config.enoughMemory(tmp - nstart)) {
                        m.error("mprotect", "ENOMEM");
                        return;
                    }
                    newFlags |= VmFlags.VM_ACCOUNT;
                }
            } else if ((old & VmFlags.VM_ACCOUNT) != 0 && vma.anonymous() && !vma.anonPrepared) {
                newFlags &= ~VmFlags.VM_ACCOUNT;
            }
            Vma changed = vma;
            if (newFlags != vma.flags) {
                changed = m.vmas.modify(prev, vma, nstart, tmp, newFlags);
                if (!prot.write) wrprotect(changed, nstart, tmp);
            }
            prev = changed;
            nstart = tmp;
            if (nstart >= end) return;
            Vma next = mm.findVma(nstart);
            if (next == null || next.start != nstart) {
                m.error("mprotect", "ENOMEM");
                return;
            }
            vma = next;
        }
    }

    void wrprotect(Vma v, long start, long end) {
        PageTable pt = v.mm.pt;
        pt.forEachChunk(start, end, e -> {
            for (int i = 0; i < e.length; i += 2) if (Pte.writable(e[i + 1])) pt.set(e[i], Pte.wrprotect(e[i + 1]));
        });
    }

    /**
     * madvise_walk_vmas: the advice is applied to every mapped part of the
     * range; holes make the call return ENOMEM at the end. A per-VMA error
     * (EINVAL for wipeonfork on a non-anonymous mapping) stops the walk.
     */
    void madvise(Mm mm, long start, long end, Advice advice) {
        boolean hole = false;
        long pos = start;
        Vma prev = null;
        while (pos < end) {
            Vma vma = mm.findVma(pos);
            if (vma == null || vma.start >= end) {
                hole = true;
                break;
            }
            if (vma.start > pos) {
                hole = true;
                pos = vma.start;
            }
            long tmp = Math.min(vma.end, end);
            if (prev == null) prev = vma.start < pos ? vma : mm.prev(vma);
            Vma done = vma;
            switch (advice) {
                case DONTNEED -> zap(vma, pos, tmp);
                case WIPEONFORK -> {
                    if (vma.file != null || vma.shared()) {
                        m.error("madvise", "EINVAL");
                        return;
                    }
                    done = setFlags(prev, vma, pos, tmp, vma.flags | VmFlags.VM_WIPEONFORK);
                }
                case KEEPONFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags & ~VmFlags.VM_WIPEONFORK);
                case DONTFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags | VmFlags.VM_DONTCOPY);
                case DOFORK -> done = setFlags(prev, vma, pos, tmp, vma.flags & ~VmFlags.VM_DONTCOPY);
                // hugepage_madvise (mm/khugepaged.c): each advice sets its flag and clears the other, then
                // madvise_update_vma splits or merges like any flag change. Only the flag is modelled: no
                // huge folio is ever allocated (the probe runs with PR_SET_THP_DISABLE)
                case HUGEPAGE -> done = setFlags(prev, vma, pos, tmp,
                        (vma.flags & ~VmFlags.VM_NOHUGEPAGE) | VmFlags.VM_HUGEPAGE);
                case NOHUGEPAGE -> done = setFlags(prev, vma, pos, tmp,
                        (vma.flags & ~VmFlags.VM_HUGEPAGE) | VmFlags.VM_NOHUGEPAGE);
            }
            prev = done;
            pos = tmp;
        }
        if (hole) m.error("madvise", "ENOMEM");
    }

    Vma setFlags(Vma prev, Vma vma, long start, long end, int flags) {
        return flags == vma.flags ? vma : m.vmas.modify(prev, vma, start, end, flags);
    }


}
