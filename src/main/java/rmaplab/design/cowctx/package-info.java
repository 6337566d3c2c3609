/**
 * The COW context ("scalable CoW") proof of concept by Lorenzo Stoakes (2026):
 * design {@code cowctx}, the PoC as published, {@code cowctx-fixed}, the same
 * with the corrections the oracle's counterexamples call for, and
 * {@code cowctx-fixed-mapping} and {@code cowctx-fixed-page}, the same with the
 * two other costs of the context pointer (below).
 *
 * <p>What this rests on, with every source, is docs/designs/cowctx.md. The
 * model follows one snapshot of the branch {@code project/cow-context} of
 * git.kernel.org/pub/scm/linux/kernel/git/ljs/linux.git, read through its
 * GitHub mirror kernelorg-mirror/linux_kernel_git_ljs_linux: mm/cow_context.c
 * @ a4ac19665445 (read again line by line for this model), mm/rmap.c @
 * d91a1a12c587 (__folio_set_anon, folio_move_anon_rmap, rmap_walk_anon), and
 * mm/vma.c @ 3459185e for remove_vma, __split_vma, commit_merge, vma_complete,
 * copy_vma and is_mergeable_anon_vma. The PoC is a sketch by its author's own
 * comments ("TODO: Races?", "Sketchy GFP_ATOMIC", "VMA not locked so unsafe to
 * access", "We shouldn't be holding the RCU lock here :) need to change how
 * rmap walks work"); the findings below are against that snapshot, not against
 * a design its author considers finished. The project's research notes
 * ("the notes", cited by section below) are copied in part to docs/notes/;
 * what decides a verdict was re-read for docs/designs/cowctx.md.
 *
 * <h2>What is modelled</h2>
 * <ul>
 * <li>{@code struct cow_context} ({@link rmaplab.design.cowctx.CowContext}): one per mm
 *   (a per-mm table of the design), made by mm_init_cow_context when the mm is made (spawn, exec, fork);
 *   refcount = 1 for the mm + 1 per child + 1 per folio whose context it is; the mm pointer
 *   is cleared by drop_cow_context when the mm goes; at refcount 0, __put_cow_context frees
 *   it, unlinks it from its parent under the parent's list_write_lock and drops the parent's
 *   reference, cascading iteratively. Dead contexts are never re-parented or compacted.</li>
 * <li>Fork: dup_cow_context after all VMAs are copied (the child's parent is the
 *   parent's context, list_add_rcu at the head: newest child first);
 *   cow_context_do_fork per copied VMA: add the child VMA's remap entry when it is
 *   tracked, and add the parent's MAP_PRIVATE file entry again.</li>
 * <li>Remap entries ({@link rmaplab.design.cowctx.RemapTree}): a maple tree from pgoff
 *   ranges to a simple offset or a dynarray of offsets; offset = vm_start page − vm_pgoff;
 *   offset 0 is never stored; should_track_remap: an anonymous faulted VMA, or a faulted
 *   MAP_PRIVATE file VMA, with offset ≠ 0. add_new_remap splits the entries at the
 *   range's edges and appends to or fills each part; find_and_unmap_existing and
 *   find_and_remap_existing act on every stored entry that overlaps their range, whole
 *   (notes §2.2), faithfully. The encoding's costs are kept too: adding a
 *   simple entry's own offset again turns it into a heap array holding one offset, and a
 *   full array doubles before its duplicate check (both from append_remap_offset).</li>
 * <li>__dynarray_append_value exactly as written, including the shifting loop that stops
 *   at {@code i <= insert_idx} (finding 5). Uninitialised memory it exposes is read as the
 *   slot's last value, zero if never written (the walk's on-stack array is
 *   zero-initialised in the PoC, so there zero is exact).</li>
 * <li>Folios: folio->cow_context = the faulting mm's context (a reference), folio->index =
 *   linear_page_index; folio_move_anon_rmap on the reuse of an exclusive folio by another
 *   mm (a dead context's mm is NULL, so a folio always leaves a dead context there).</li>
 * <li>The walk: rcu_read_lock; traverse_contexts from folio->cow_context: the root, then its
 *   descendants in post-order, each children list from its head; walk_context: skip a dead
 *   context but go on into its descendants; the offset-0 pass; the exclusive early stop
 *   (folio_maybe_mapped_shared of a small folio: mapcount > 1) which ends the whole walk
 *   when the folio was and is not mapped shared, even if the pass found nothing; the remap
 *   entries over [index, index] collected into a sorted, deduplicated on-stack array of 16
 *   (the same insertion routine); walk_context_remap per offset: the VMA at index + offset
 *   whose own offset equals it. The sink's stop (all mappings found) ends the walk, as
 *   rmap_one returning false or rwc->done do.</li>
 * </ul>
 *
 * <h2>Choices where the PoC's call sites were not read</h2>
 * The notes (§4) list the call sites nobody read; each is decided here:
 * <ul>
 * <li>mm_init_cow_context at every new mm, drop_cow_context when the mm's last user is
 *   gone (after exit_mmap removed every VMA); exec gives a root context with no parent
 *   (notes §2.4 [INF]); vfork and threads share the mm and so the context.</li>
 * <li>cow_context_do_fork runs for each copied VMA next to anon_vma_fork, before its PTEs
 *   are copied (notes §2.4 [INF]); dup_cow_context runs once, after the last VMA (notes
 *   §2.4, read in dup_mmap).</li>
 * <li>cow_context_do_remap(new_vma, orig_addr) runs when copy_vma makes a new VMA
 *   (notes §2.4 [INF] "probably in copy_vma"); orig_addr is the old address of the moved
 *   range. When copy_vma merges the moved range into a neighbour instead, it is not called:
 *   with new_vma the merged neighbour, its vm_pgoff would give a wrong old offset, and the
 *   neighbour's cow_context_vma_adjust (next item) adds the moved range at its new offset.</li>
 * <li>cow_context_vma_adjust(vma, start, end) runs for every in-place change of an existing
 *   VMA's range (merge expand and shrink, mremap resize in place, stack growth), with the VMA
 *   at its old range (notes §2.4 [INF]), in the simulated kernel's order: in a merge the
 *   shrunk middle or next VMA first, the expanded target last. Note: if the PoC called it from
 *   vma_set_range, commit_merge would adjust the target first and the shrunk middle after; with
 *   whole-entry unmapping, the middle's unmap would then take the offset from the target's
 *   freshly added entry, which overlaps the middle's old range. This model cannot tell which.</li>
 * <li>cow_context_vma_unmap for every removed VMA, merge removals included (notes §2.4). In
 *   vma.c @ 3459185e a merge frees removed VMAs in vma_complete with vm_area_free, not
 *   remove_vma; here it makes no difference, since the target's adjust that follows adds
 *   their whole range back.</li>
 * <li>__split_vma: nothing (read in vma.c; the (pgoff, offset) pairs do not change).
 *   dup_anon_vma only copies the marker: nothing.</li>
 * <li>The folio's context reference is dropped when the folio is freed and taken by the new
 *   folio on migration, which also takes folio->index (notes §2.3 [INF]).</li>
 * <li>Merging: is_mergeable_anon_vma is unchanged in vma.c @ 3459185e and compares
 *   anon_vma pointers, all DUMMY_ANON_VMA or NULL. No anon_vma_chain is ever linked, so
 *   vma_is_fork_child() ({@code anon_vma && !list_is_singular(&anon_vma_chain)}) is true
 *   for every faulted VMA, an empty list not being singular. Hence: a faulted and an
 *   unfaulted VMA never merge (case 1 fails on the source, case 2 on the target), whatever
 *   their history — an mmap or brk next to a faulted heap makes a new VMA — while two
 *   faulted VMAs always may (case 3, DUMMY == DUMMY), fork children included, where Linux
 *   refuses different anon_vmas. can_vma_merge_right's prev/next check always passes.
 *   (A side effect: a workload that pv validates can be invalid here, since an mremap across
 *   two unmerged VMAs fails with EFAULT and leaves a different address space; e.g.
 *   {@code P mmap 0x10f 2 r-- anon / P touch 0x110 1 read} (no zero page) {@code / P mmap
 *   0x111 2 r-- anon / P mremap 0x10f 4 0x108 4 / P mmap 0x111 3 rw- anon} overlaps under
 *   cowctx only.)</li>
 * </ul>
 *
 * <h2>Sizes (x86_64)</h2>
 * <ul>
 * <li>"cow_context", 96 bytes: refcount_t 4 (+4 padding), mm 8, struct maple_tree 16
 *   (a union of spinlock_t 4 / lockdep_map_p, unsigned int ma_flags 4, void *ma_root 8;
 *   without lockdep), parent 8, children 16, siblings 16, rcu_head 16, list_write_lock 4,
 *   concurrent_unmap_lock 4 = 92 bytes of fields, 96 with 8-byte alignment in any field
 *   order; kzalloc serves it from kmalloc-96.</li>
 * <li>"maple_node", 256 bytes: ceil(entries / 16) per remap tree (a maple_range_64 node
 *   has 16 slots), changed as the tree grows and shrinks. An approximation: a real tree
 *   also spends slots on the NULL gaps between entries, keeps nodes partly empty, and needs
 *   parent nodes past 16 leaves; so this undercounts.</li>
 * <li>"remap_offsets", 8 + 8 × capacity bytes per multi entry (the dynarray: int nr, int cap,
 *   then the slots), capacity 2 when made, doubled (krealloc) when full, never shrunk; freed
 *   when the entry goes back to one offset or none. kmalloc rounding (24 → 32) is not applied.
 *   The walk's own array, on the stack up to 16 offsets and briefly on the heap past that, is
 *   not charged.</li>
 * <li>folio->cow_context, as a stated parameter ({@link rmaplab.design.cowctx.ContextCost}),
 *   because where the PoC keeps the field was not found: {@code cowctx} and
 *   {@code cowctx-fixed} charge "folio_ctx_ptr", 8 bytes per live anonymous folio;
 *   {@code cowctx-fixed-mapping} nothing (the pointer in folio->mapping, which the PoC
 *   leaves holding only FOLIO_MAPPING_ANON); {@code cowctx-fixed-page}
 *   "struct_page.cow_context", 8 bytes per page frame (struct page from 64 to 72 bytes),
 *   charged for as many frames as the most anonymous folios live at once and never given
 *   back: a lower bound, since the kernel pays it for every frame of RAM.</li>
 * <li>vm_area_struct unchanged ({@code SlabSizes.vmAreaStruct()}); no anon_vma or
 *   anon_vma_chain exists.</li>
 * </ul>
 *
 * <h2>Locks</h2>
 * A walk takes RCU only (class "rcu", one instance, mode RCU). A change of a children list
 * (fork; unlinking a freed context) takes the parent's "cow_context.list_write_lock"
 * (instance: the context's id, a per-machine counter). Each remap change (do_fork, do_remap,
 * map_private_cow, vma_unmap, vma_adjust that passes should_track_remap) is recorded under
 * "mmap_lock" (instance: the mm id), mode WRITE, once per call; munmap(2) really runs
 * remove_vma under the downgraded (read) lock, which is why shrink_remaps takes
 * "cow_context.concurrent_unmap_lock" (recorded too, per shrink). The maple tree's own lock
 * is not recorded.
 *
 * <h2>Walk cost</h2>
 * Visits are the (VMA, page) pairs handed to the sink. Structural steps: 1 per context
 * entered (dead ones too), 1 per VMA-tree lookup (one per offset tried), 1 per VMA found and
 * skipped by the offset filter, 1 per remap entry and 1 per offset read, and in cowctx-fixed
 * 1 per page-table check of its early stop. The linux-mm case (N regions × K children, child
 * k keeps region k), P walking every region: no folio ever moves, so region i (i &lt; K) is
 * walked from P through C(K−1) … Ci: 1 + K − i contexts, 2 visits. N = K = 100: 5,150
 * contexts, 200 visits, 10,300 steps; N = K = 1000: 501,500 contexts, 2,000 visits,
 * 1,003,000 steps (pv: 2,000 visits). cowctx-fixed is the same there (all shared).
 *
 * <h2>Findings: what the oracle finds in cowctx</h2>
 * Each is pinned in CowCtxFindingsTest: it misses a mapping under cowctx, passes under
 * cowctx-fixed (and under pv), and fails again when only its correction is taken out. The
 * forms below fail under cowctx because of that gap alone (a fork keeps the folio shared, so
 * the early stop cannot hide it); the forms in brackets are the smallest that fail under
 * cowctx-fixed without that correction.
 * <ol>
 * <li>The exclusive early stop misses a mapping in a descendant (notes §3 item 3): the
 *   folio's context is an ancestor that no longer maps it, and only folio_move_anon_rmap
 *   (a write reuse) would have moved it down. Smallest (each line needed):
 *   <pre>
 * rmaplab-workload 1
 * P spawn
 * P mmap 0x1000 1 rw- anon
 * P touch 0x1000 1 write
 * P fork C
 * P munmap 0x1000 1
 *   </pre>
 *   Likewise with {@code P touch 0x1000 1 write} (P CoW-copies) for the munmap.</li>
 * <li>The early stop comes before the remap pass, so an exclusive folio mapped at a
 *   non-zero offset in its own context is never found: every CoW page of a MAP_PRIVATE file
 *   mapped anywhere but at address = file offset, every exclusive page moved by mremap.
 *   {@code P spawn / P mmap 0x1000 1 rw- file=lib@0 / P touch 0x1000 1 write} (3 lines; the
 *   smallest failure of cowctx), or {@code P spawn / P mmap 0x1000 1 rw- anon / P touch
 *   0x1000 1 write / P mremap 0x1000 1 0x2000 1}.</li>
 * <li>find_and_unmap_existing empties whole entries: unmapping part of a tracked range
 *   takes the offset from the rest of its entry. {@code P spawn / P mmap 0x1000 2 rw-
 *   file=lib@0 / P touch 0x1001 1 write / P fork C / P munmap 0x1000 1}: P's mapping of
 *   the page at 0x1001 is missed. [Without the fork, 4 lines.]</li>
 * <li>find_and_remap_existing rewrites whole entries, and over the new VMA's range, which
 *   can reach past what moved: {@code ... / P fork C / P mremap 0x1000 1 0x3000 1} (or
 *   {@code 0x3000 2}, a move that grows) after the same first three lines: the unmoved page
 *   at 0x1001 loses its offset. [Without the fork, 4 lines.]</li>
 * <li>The off-by-one in __dynarray_append_value: inserting an offset below the last one
 *   overwrites the one at the insertion point. {@code P spawn / P mmap 0x1100 1 rw-
 *   file=lib@0 / P touch 0x1100 1 write / P fork C / P mmap 0x1000 1 rw- file=lib@0 / P
 *   touch 0x1000 1 write}: pgoff 0's entry becomes [0x1000, 0], P's mapping at 0x1100 is
 *   missed. The walk's own collection of offsets uses the same routine and loses offsets
 *   the same way. Anonymous memory gets there too: a range moved away, a new VMA made at its
 *   old place and moved below the first (realloc does such things). [Without the fork, 5.]</li>
 * <li>The first fault of a VMA adds a remap entry only for MAP_PRIVATE file mappings, but
 *   an unfaulted anonymous VMA can have a non-zero offset: the MADV_WIPEONFORK copy of a
 *   moved VMA. {@code P spawn / P mmap 0x1000 1 rw- anon / P touch 0x1000 1 write / P mremap
 *   0x1000 1 0x2000 1 / P madvise 0x2000 1 wipeonfork / P fork C / C madvise 0x2000 1
 *   keeponfork / C touch 0x2000 1 write / C fork G}: C's mapping is missed. [Without the
 *   keeponfork and the second fork, 7.]</li>
 * </ol>
 * On seeded random sequences (CowCtxRandomTest) cowctx fails a large share, mostly through
 * 1 and 2; with findings 1–2 corrected, 3–6 remain, each found by the random driver. The
 * simulated kernel was never at fault: pv passes every sequence it can run.
 *
 * <h2>cowctx-fixed</h2>
 * {@link rmaplab.design.cowctx.Fixes#ALL}, five corrections, each needed (taking out any one
 * brings its counterexample back) and each the least change to the PoC's code that removes it:
 * <ol>
 * <li>earlyStopOnlyWhenFound: walk_context takes its early stop only when the offset-0 pass
 *   found the folio mapped in the context's own mm (checked on the page table of each VMA the
 *   pass visited, as page_vma_mapped_walk would). When the mapping is found, the walk already
 *   ends there (the last mapping of an exclusive folio), so in the simulator this equals
 *   dropping the early stop; in the kernel it keeps the early stop for rmap_one callbacks that
 *   do not stop. The alternative of moving folios down the tree when an ancestor drops its
 *   mapping would need a walk at every unmap and CoW. Cost: no visit is added to any walk
 *   cowctx got right; the walks it got wrong go on, through the context's remap entries and
 *   then its descendants, until the mapping is found; and one page-table step per context
 *   entered with an exclusive folio.</li>
 * <li>preciseUnmap: find_and_unmap_existing splits at its range's edges first, as
 *   add_new_remap already does.</li>
 * <li>remapAddsNew: __cow_context_do_remap on mremap adds the new offset instead of
 *   rewriting the old one; the old one goes when move_vma unmaps the source (the move's own
 *   cow_context_vma_unmap), so nothing else changes. Precise rewriting would not do: the new
 *   VMA's range is not the moved range when a move grows. Cost: a transient two-offset
 *   entry per such move (one remap_offsets allocated and freed).</li>
 * <li>correctInsertion: the shifting loop stops at {@code i < insert_idx}.</li>
 * <li>trackAnonFirstFault: __anon_vma_prepare adds the entry whenever should_track_remap(),
 *   not only should_track_map_private_remap().</li>
 * </ol>
 * On the generators, cowctx-fixed makes the same visits as cowctx wherever cowctx was right
 * (linux-mm, fork-chain, fork-server, snapshot; steps grow by the early stop's page-table
 * checks, e.g. fork-chain 20 → 30); on realloc, where cowctx misses 64 of the 128 mappings
 * its walks look for, it finds all 128 in 128 visits.
  *
 * <h2>Locking in concurrent runs (rmaplab.race, docs/races.md)</h2>
 * The walk is one RCU read section, rmap_one included, as the PoC's
 * cow_context_walk is (its author: "We shouldn't be holding the RCU lock
 * here"). try_to_migrate_one may sleep (mmu_notifier_invalidate_range_start),
 * so any migration walk of a mapped folio sleeps in it: found with no switch
 * on examples/race/migrate-*.rmw. The context list locks are not step hooks:
 * concurrent changes of a context's children list are not explored. The
 * alternatives the PoC's TODOs point to (a reference on the VMA or the mm and
 * leaving RCU before rmap_one, as the anon_vma walk does with its refcount)
 * are not modelled.
 */
package rmaplab.design.cowctx;
