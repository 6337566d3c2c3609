/**
 * The {@code linux} design: anonymous reverse mapping with {@code anon_vma}
 * and {@code anon_vma_chain} exactly as Linux 6.18 does it (the kernel these
 * machines run, 6.18.44), object for object, so that its counts can be
 * checked against the live kernel's slab allocations.
 *
 * <h2>What is modelled</h2>
 * <ul>
 * <li>{@code struct anon_vma} ({@link rmaplab.design.linux.AnonVma}): root,
 *     parent, refcount, num_children, num_active_vmas and the interval tree;
 *     {@code struct anon_vma_chain} ({@link rmaplab.design.linux.Avc}); per VMA
 *     (a {@code PerVma} table of {@link rmaplab.design.linux.VmaAnon}) vma->anon_vma
 *     and the anon_vma_chain list as a literal list, newest first.</li>
 * <li>The interval tree ({@link rmaplab.design.linux.AnonVmaTree}) is a port of
 *     lib/rbtree.c and include/linux/interval_tree_generic.h: equal starts go
 *     right on insert, so a walk visits VMAs with equal vm_pgoff in insertion
 *     order, and a VMA whose range changes is removed and re-inserted
 *     (vma_prepare / vma_complete, expand_downwards) and so moves behind the
 *     others with its start. A walk's steps are the tree nodes that
 *     anon_vma_interval_tree_iter_first/next dereference.</li>
 * <li>Kernel functions, mm/rmap.c: __anon_vma_prepare (the AVC is allocated
 *     first; find_mergeable_anon_vma, next before prev, with
 *     anon_vma_compatible and list_is_singular), anon_vma_clone, anon_vma_fork,
 *     unlink_anon_vmas, put_anon_vma / __put_anon_vma, __folio_set_anon,
 *     folio_move_anon_rmap, rmap_walk_anon. mm/vma.c: is_mergeable_anon_vma,
 *     can_vma_merge_right's prev/next check, dup_anon_vma, __split_vma,
 *     vma_prepare/vma_complete, copy_vma. kernel/fork → mm/mmap.c dup_mmap
 *     (VM_WIPEONFORK gets no anon_vma_fork). mm/migrate.c
 *     folio_migrate_mapping (mapping and index copied).</li>
 * <li>Every slab allocation and free of both caches is one ledger entry at
 *     the moment it happens (types "anon_vma" and "anon_vma_chain").</li>
 * <li>Locks (class "anon_vma.rwsem", instance = the root anon_vma's serial
 *     number): WRITE for __anon_vma_prepare, each anon_vma_clone with a
 *     non-empty source chain (split, dup_anon_vma, copy_vma, fork), anon_vma_fork's
 *     own link, each unlink_anon_vmas of a faulted VMA, each vma_prepare of a
 *     faulted VMA (split, merge, expand or shrink in place, stack growth; the
 *     two VMAs changed by one partial merge share one); READ for each
 *     rmap_walk_anon.</li>
 * </ul>
 *
 * <h2>Version choices (6.18, not 7.0)</h2>
 * <ul>
 * <li>anon_vma_clone walks the source chain in reverse (root first) and
 *     list_adds at the head, so every chain stays newest first, and fork reuse
 *     looks at candidates oldest first. v7.0 walks forward, reversing the
 *     inherited part at every generation, and may pick another candidate.</li>
 * <li>anon_vma_fork allocates its anon_vma and AVC only when no ancestor is
 *     reused (v7.0 allocates up front and frees them again on reuse).</li>
 * <li>unlink_anon_vmas locks per chain entry with lock_anon_vma_root (one
 *     acquisition per call, as all share one root) and runs for unfaulted VMAs
 *     too, doing nothing.</li>
 * <li>is_mergeable_anon_vma has the 6.16 three-case form (879bca0a2c4f) with
 *     the January 2026 fixes backported to 6.18.8 (61f67c230a5e: vma_expand
 *     always dups from the copied-from VMA; 3b617fd3d317: Case 1 refuses a
 *     fork-child copied_from).</li>
 * </ul>
 *
 * <h2>Not modelled</h2>
 * KSM (rmap_items pinning anon_vmas, rmap_walk_ksm), THP and large folios,
 * swap (non-exclusive new folios that go to the root), userfaultfd moves,
 * MREMAP_DONTUNMAP, the transient anon_vma references of migration,
 * compaction and THP split (folio_get_anon_vma; they change no slab counts),
 * allocation failures and the races __anon_vma_prepare guards against, the
 * read lock of the second walk of a migration (remove_migration_ptes), and
 * the root write locks that move_ptes takes when mremap merges the moved
 * range into a neighbour (need_rmap_locks). The tree's shape can differ from
 * the kernel's in one case: a partial merge re-inserts the two VMAs one after
 * the other rather than both after both removals; the in-order sequence is
 * the same.
  *
 * <h2>Locking, for concurrent runs (rmaplab.race, docs/races.md)</h2>
 * The step hooks mark where 6.18 holds the root anon_vma's rwsem:
 * __anon_vma_prepare, anon_vma_clone (lock_anon_vma_root), anon_vma_fork,
 * unlink_anon_vmas, a VMA change from vma_prepare to vma_complete, and the
 * walk's folio_lock_anon_vma_read (rcu_read_lock, down_read_trylock and the
 * folio_mapped revalidation, or the refcount and a sleeping down_read);
 * writes to an anon_vma's interval tree are declared as protected by it.
 * Under a scheduler a freed anon_vma is handed out again by the next
 * anon_vma_alloc (SLAB_TYPESAFE_BY_RCU), keeping its slot and so its lock.
 * {@link rmaplab.design.linux.LinuxBug} puts three rules back to before
 * their fix: own-lock (012f18004da3), prepare-unlocked (d9d332e0874f) and
 * degree (2555283eb40d, CVE-2022-42703).
 */
package rmaplab.design.linux;
