package rmaplab.sim;

import rmaplab.steps.LockClass;
import rmaplab.steps.StepObserver;
import rmaplab.steps.Steps;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks and address spaces: spawn, fork (kernel/fork.c dup_mmap), threads,
 * vfork, exec and exit (mmput → exit_mmap).
 */
final class Forks {
    private final Machine m;

    Forks(Machine m) { this.m = m; }

    private Mm newMm(Process owner) {
        Mm mm = new Mm(m.nextMmId++, owner.pid);
        m.mms.add(mm);
        m.design.mmCreated(mm);
        return mm;
    }

    private Task newTask(String name, Process p, Mm mm) {
        if (m.tasks.containsKey(name)) throw new WorkloadError("task '" + name + "' already exists");
        Task t = new Task(name, p, mm);
        p.threads.add(t);
        mm.users++;
        m.tasks.put(name, t);
        return t;
    }

    private Process newProcess(Process parent) {
        Process p = new Process(m.nextPid++, parent);
        m.processes.add(p);
        return p;
    }

    void spawn(String name) {
        if (m.tasks.containsKey(name)) throw new WorkloadError("task '" + name + "' already exists");
        Process p = newProcess(null);
        m.ledgers.ctx.set("spawn", p.pid);
        newTask(name, p, newMm(p));
    }

    void thread(Task t, String name) { newTask(name, t.process, t.mm); }

    void vfork(Task t, String name) {
        if (t.process.nofork) throw new WorkloadError("'" + t.name + "' forks after nofork");
        t.process.forks++;
        newTask(name, newProcess(t.process), t.mm);
    }

    void exec(Task t) {
        if (t.process.liveThreads() > 1)
            throw new WorkloadError("exec by '" + t.name + "' while its process has other live threads");
        Mm old = t.mm;
        t.mm = newMm(t.process);
        t.mm.users++;
        t.process.nofork = false; // a new program has made no promise
        mmput(old);
    }

    void exit(Task t) {
        t.alive = false;
        m.tasks.remove(t.name);
        mmput(t.mm);
    }

    /** mmput: the mm goes with its last user (exit_mmap). */
    private void mmput(Mm mm) {
        if (--mm.users > 0) return;
        exitMmap(mm);
    }

    /** exit_mmap: zap every PTE, then unlink and free every VMA in address order. */
    private void exitMmap(Mm mm) {
        List<Vma> all = new ArrayList<>(mm.vmas.values());
        for (Vma v : all) m.mmaps.zap(v, v.start, v.end);
        m.vmas.remove(mm, all);
        mm.alive = false;
        m.design.mmDestroyed(mm);
    }

    /** dup_mmap (kernel/fork.c), VMA by VMA in address order. */
    void fork(Task t, String childName) {
        if (t.process.nofork) throw new WorkloadError("'" + t.name + "' forks after nofork");
        if (m.tasks.containsKey(childName)) throw new WorkloadError("task '" + childName + "' already exists");
        t.process.forks++;
        Process cp = newProcess(t.process);
        Mm parent = t.mm;
        Mm child = newMm(cp);
        m.design.forkStart(parent, child);
        for (Vma v : parent.vmas.values()) {
            if ((v.flags & VmFlags.VM_DONTCOPY) != 0) continue;
            Vma c = m.allocVma(child, v.start, v.end, v.pgoff, v.flags, v.file);
            boolean wipe = (v.flags & VmFlags.VM_WIPEONFORK) != 0;
            c.anonPrepared = v.anonPrepared && !wipe;
            child.insert(c);
            m.design.forkVma(v, c);
            // vma_needs_copy(): PTEs are copied only where the parent VMA has an
            // anon_vma (a wiped or file-only VMA is faulted in again later).
            if (!wipe && v.anonPrepared) {
                Steps.lock(LockClass.PTL, parent.id, StepObserver.Mode.WRITE, "copy_pte_range"); // a step of a concurrent run
                copyPageRange(v, c);
                Steps.unlock(LockClass.PTL, parent.id, "copy_pte_range");
            }
        }
        m.design.forkEnd(parent, child);
        newTask(childName, cp, child);
    }

    /** copy_page_range: share every page, write-protecting private anonymous ones (CoW). */
    private void copyPageRange(Vma src, Vma dst) {
        PageTable spt = src.mm.pt, dpt = dst.mm.pt;
        boolean cow = !src.shared();
        Folios folios = m.folios;
        spt.forEachChunk(src.start, src.end, e -> {
            for (int i = 0; i < e.length; i += 2) {
                long vp = e[i], pte = e[i + 1];
                switch (Pte.type(pte)) {
                    case Pte.ANON -> {
                        int f = Pte.id(pte);
                        // folio_try_dup_anon_rmap_pte: the page is no longer exclusive
                        folios.exclusive(f, false);
                        folios.mapcount(f, folios.mapcount(f) + 1);
                        if (cow) {
                            pte = Pte.wrprotect(pte);
                            spt.set(vp, pte);
                        }
                        dpt.set(vp, pte);
                        m.design.pteMapped(f, dst, vp);
                    }
                    case Pte.FILE -> {
                        m.pageCache.map(Pte.id(pte));
                        if (cow) pte = Pte.wrprotect(pte);
                        dpt.set(vp, pte);
                    }
                    default -> dpt.set(vp, pte); // the zero page
                }
            }
        });
    }
}
