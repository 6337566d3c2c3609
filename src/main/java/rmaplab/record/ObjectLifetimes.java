package rmaplab.record;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The lifetime of every anon_vma, anon_vma_chain and vm_area_struct the recording shows, by its
 * cache and {@code ptr=}, in the order of the lines: a slab object is not allocated again while it
 * is in use, and a free is of an object in use. A line missing breaks one or the other: an
 * allocation missing leaves a free of an object never allocated, a free missing an allocation of
 * an object still in use. Both are counted as damage at the line that shows them.
 *
 * <p>An address space owns its VMAs and their anon_vma_chains: exit_mmap frees them all when it
 * goes (mm/mmap.c: free_pgtables unlinks the chains, remove_vma frees the VMAs). At an exec those
 * frees are recorded, so any left over lost its free line; at an exit perf has switched the task's
 * events off first, so they go unseen, certainly. Knowing every VMA of an address space, the count
 * of a fork's copies is known too: dup_mmap copies every VMA but those MADV_DONTFORK marks. An
 * anon_vma goes when the last chain to it does (__put_anon_vma): the address spaces that may hold
 * one are the one it was made for and those forked from it since (anon_vma_fork clones every chain
 * of the parent's VMA), so it may go unseen at an exit of any of them, and is no longer checked
 * then. Objects of other kinds in the anon_vma_chain cache (fs_struct, eventpoll) and of tasks not
 * seen being created are not followed. The recorded command's exec made its stack's VMA, anon_vma
 * and anon_vma_chain before perf switched the events on: one free of each of those, in the
 * command's first address space, shows no allocation, and that space has one VMA more than shown.
 */
final class ObjectLifetimes {
    private final ImportContext ctx;
    /**
     * Objects in use, by cache and ptr, with the address space that owns them: the allocating task's
     * when the line comes, the child's or the new one's when a fork or an exec settles its events.
     */
    private final Map<String, Layout> live = new HashMap<>();
    /** VMAs in use per address space (the vm_area_struct objects of {@link #live} it owns). */
    private final Map<Layout, Integer> vmas = new HashMap<>();
    /** Objects that may have been freed without a line (anon_vmas after an exit, objects not followed): not checked. */
    private final Set<String> unseen = new HashSet<>();
    /** The command's first address space, and the frees of its objects made before the recording, by cache. */
    private Layout firstMm;
    private final Set<String> stackObjectsFreed = new HashSet<>();
    /** Per address space, the anon_vmas it may hold a chain to. */
    private final Map<Layout, Set<String>> anonVmas = new HashMap<>();

    ObjectLifetimes(ImportContext ctx) { this.ctx = ctx; }

    private static String key(String cache, String ptr) { return cache + " " + ptr; }

    private static boolean isVma(String key) { return key.startsWith("vm_area_struct "); }

    private static boolean isAnonVma(String key) { return key.startsWith("anon_vma "); }

    /** The recorded command's first address space (the one exec made before the events were on). */
    void commandStarted(Layout mm) { firstMm = mm; }

    private void put(String key, Layout owner) {
        Layout old = live.put(key, owner);
        if (isVma(key)) {
            if (old != null) vmas.merge(old, -1, Integer::sum);
            vmas.merge(owner, 1, Integer::sum);
        }
        if (isAnonVma(key)) anonVmas.computeIfAbsent(owner, m -> new HashSet<>()).add(key);
    }

    private Layout remove(String key) {
        Layout old = live.remove(key);
        if (old != null && isVma(key)) vmas.merge(old, -1, Integer::sum);
        return old;
    }

    /** A kmem event of task t at this line; an object whose owner is not followed has t null or foreign true. */
    void event(TracedTask t, PerfEvent.Kmem k, boolean foreign) {
        if (k.ptr() == null) return;
        String key = key(k.cache(), k.ptr());
        if (k.alloc()) {
            if (remove(key) != null)
                ctx.damage(k.cache() + " objects allocated again while in use (the line that freed them missing)");
            unseen.remove(key);
            if (t == null || foreign) unseen.add(key);
            else put(key, t.mm);
            return;
        }
        if (remove(key) != null || unseen.remove(key) || t == null || foreign) return;
        if (t.mm == firstMm && stackObjectsFreed.add(k.cache())) return;
        ctx.damage(k.cache() + " objects freed without having been allocated (the line that allocated them missing)");
    }

    /** An object allocated by a settled kmem event belongs to {@code owner} (when it is still in use). */
    void own(String cache, String ptr, Layout owner) {
        if (ptr == null) return;
        String key = key(cache, ptr);
        Layout now = live.get(key);
        if (now != null && now != owner) put(key, owner);
    }

    /**
     * A fork, its events settled: the child's VMAs got chains to every anon_vma the parent's had, and
     * it has a copy of every VMA of the parent (dup_mmap), unless MADV_DONTFORK left some out.
     */
    void forked(Layout parent, Layout child, boolean dontfork) {
        Set<String> held = anonVmas.get(parent);
        if (held != null) anonVmas.computeIfAbsent(child, m -> new HashSet<>()).addAll(held);
        int had = vmas.getOrDefault(parent, 0) + (parent == firstMm && !stackObjectsFreed.contains("vm_area_struct") ? 1 : 0);
        int copied = vmas.getOrDefault(child, 0);
        if (!dontfork && copied != had)
            ctx.damage("forks that copied another number of VMAs than the parent had (a vm_area_dup line, or a line "
                    + "of the parent's VMAs, missing)");
    }

    /**
     * Address space {@code mm} went at an exit of its last user, its frees not recorded: what it owned
     * is freed, and any anon_vma it held a chain to may be.
     */
    void exited(Layout mm) {
        for (String key : anonVmas.getOrDefault(mm, Set.of()))
            if (remove(key) != null) unseen.add(key);
        anonVmas.remove(mm);
        live.values().removeIf(owner -> owner == mm);
        vmas.remove(mm);
    }

    /**
     * Address space {@code mm} went at an exec of its last user, its frees recorded before the exec line:
     * a VMA or anon_vma_chain it owned and that was not freed lost its free line. An anon_vma still in use
     * is held by an address space forked from it.
     */
    void execed(Layout mm) {
        anonVmas.remove(mm);
        for (Iterator<Map.Entry<String, Layout>> it = live.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Layout> e = it.next();
            if (e.getValue() != mm || isAnonVma(e.getKey())) continue;
            it.remove();
            ctx.damage(e.getKey().substring(0, e.getKey().indexOf(' ')) + " objects of an address space an exec "
                    + "tore down, not freed (the line that freed them missing)");
        }
        vmas.remove(mm);
    }
}
