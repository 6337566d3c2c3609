/**
 * ANON_VMA_LAZY, "mm: introduce ANON_VMA_LAZY for deferred anon_vma creation"
 * (wangtao, linux-mm, 27 May 2026, 15 patches, not merged), in three readings
 * ({@link rmaplab.design.lazy.Reading}) of the one rule its public parts leave
 * open, and one corrected variant: {@code lazy} (reading (a)), {@code lazy-mm}
 * (reading (b)), {@code lazy-repoint} (reading (c)) and {@code lazy-fixed}
 * (reading (a) upgraded before split and copy_vma).
 *
 * <p>What this rests on is docs/designs/lazy.md, with every source: the cover
 * letter, patches 01, 03, 04, 05, 08 and 10 (their first hunks), the review
 * thread, and the code of the series in the mm development tree's mirror
 * (linux-mm/linux-mm @ 1aff34ad202e: include/linux/mm_types.h, mm/mmap.c,
 * mm/vma.c, mm/vma_init.c; mm/rmap.c, where the walk and the upgrade live, is
 * not stored there). Where the text and the code are silent, the choice made
 * here is listed below. Built on {@link rmaplab.design.linux.LinuxDesign}
 * (regular and tree-parent VMAs use its anon_vma and anon_vma_chain objects
 * and rules, unchanged: the series keeps the classic topology for them).
 *
 * <h2>What every reading shares</h2>
 * <ul>
 * <li>The tagged vma->anon_vma (anon_vma_tree_t, patch 03) as four VMA states:
 *   none (NULL); lazy (ANON_VMA_TREE_VMA: the tag names a "root VMA"; no
 *   anon_vma, no AVC); tree-parent (ANON_VMA_TREE_PARENT: a fork child's VMA,
 *   linked by anon_vma_clone to its parent's chain, with the parent's anon_vma
 *   as its vma->anon_vma and none of its own); regular (anon_vma + AVC, as
 *   linux).</li>
 * <li>First fault (patch 10, anon_vma_prepare / __vmf_anon_prepare):
 *   vma_prepare_anon_vma_lazy tags the VMA lazy with itself as root. Nothing
 *   is allocated, no anon_vma lock is taken, and no neighbour's anon_vma is
 *   reused (find_mergeable_anon_vma is in __anon_vma_prepare, which the lazy
 *   path skips). Stack growth calls anon_vma_prepare too: the same.</li>
 * <li>Folios (patches 01, 05, 08): a new folio (a fault or a CoW copy) in a
 *   lazy VMA gets folio->mapping = the tag's root VMA
 *   (FOLIO_MAPPING_ANON_VMA_LAZY) and folio->index = linear_page_index, as a
 *   regular one would; folio_move_anon_rmap does the same. Migration copies
 *   both.</li>
 * <li>fork (patch 10, anon_vma_fork): "ANON_VMA_LAZY VMAs are first upgraded
 *   to a regular anon_vma in the parent"; the upgrade is __anon_vma_prepare
 *   (one AVC; a regular compatible neighbour's anon_vma when reusable, else
 *   a new one; the root lock for write), then every folio mapped in the VMA
 *   whose mapping is the VMA's lazy tag is re-pointed to the anon_vma under
 *   its folio lock (folio->index unchanged; "fixed in try_dup_anon_rmap()",
 *   wangtao, 2 Jun 2026). Then anon_vma_clone as in linux; when it reuses an
 *   ancestor's anon_vma (6.18's rule) the child is regular, else it is
 *   tree-parent: "Child VMAs are created as ANON_VMA_TREE_PARENT and do not
 *   allocate anon_vma". A tree-parent VMA whose process forks is upgraded to
 *   regular first: an anon_vma of its own, child of the parent's in its tree,
 *   linked by one AVC (Barry Song: "we need to upgrade B to a regular
 *   anon_vma when B becomes a parent"). VM_WIPEONFORK VMAs get no
 *   anon_vma_fork, so a lazy one stays lazy (dup_mmap @ 1aff34ad202e).</li>
 * <li>Merging (mm/vma.c @ 1aff34ad202e): is_mergeable_anon_vma compares the
 *   tagged values with ==, and vma_is_fork_child is mainline's,
 *   {@code anon_vma && !list_is_singular(&anon_vma_chain)}: a lazy VMA has a
 *   tag and an empty chain, so it counts as a fork child. So a lazy VMA
 *   merges only with one carrying the same tag (the two parts of a split),
 *   never takes an unfaulted range (Case 2) nor gives its tag to an unfaulted
 *   neighbour (Case 1, dup_anon_vma), and copy_vma never merges a lazy copy
 *   into an unfaulted VMA. The model refuses a dup_anon_vma from a lazy VMA
 *   loudly, and the random sequences never reach one. (The model first read
 *   a lazy VMA as not a fork child; under that reading a fourth finding, a
 *   merge through dup_anon_vma, appeared. The code contradicts it.)</li>
 * <li>Sizes: anon_vma and anon_vma_chain as linux (the slab sizes of the
 *   running kernel). vm_area_struct keeps its size: the series' one new
 *   field, {@code rcuref_t vm_rcuref} (4 bytes, right after vm_lock_seq),
 *   fills the 4-byte hole 6.18 has there (offsets 44 to 47 on x86-64, read
 *   from BTF; the same on arm64). The cover letter's +1.0 % and +0.2 % of
 *   vm_area_struct kilobytes are therefore more VMAs, not larger ones; the
 *   merge rule above is one cause.</li>
 * <li>Locks: "anon_vma.rwsem" as linux wherever a regular or tree-parent VMA
 *   is involved (a lazy VMA has no anon_vma, so its split, merge, move and
 *   unmap take none); "rcu" (mode RCU, one instance) and
 *   "vm_area_struct.vm_refcnt" (READ, instance = the root VMA) for each walk of
 *   a lazy folio ("For ANON_VMA_LAZY, there is only one vma, so the anon_vma
 *   lock is not needed; we only need to ensure the vma is valid", wangtao, 28
 *   May 2026); "folio.lock" (WRITE, instance = the folio) for each folio an
 *   upgrade or a re-point changes. Not recorded (as in linux):
 *   mm->page_table_lock. Every re-point is also counted in the walk ledger
 *   (PTEs examined, folios re-pointed).</li>
 * </ul>
 *
 * <h2>The readings</h2>
 * The rule left open is how a walk reaches a lazy folio after the VMA its
 * mapping names was split, merged away or moved. split and copy_vma copy the
 * tag through vm_area_dup (mm/vma.c @ 1aff34ad202e); nothing visible re-points
 * folios there; the walk's body (anon_rmap_for_each_vma, patch 08) and
 * anon_vma_clone's lazy case (mm/rmap.c) are unread.
 * <ul>
 * <li>(a) {@code lazy}: the walk looks in the named VMA only, at
 *   vma_address(vma, folio->index), under RCU and a reference on the VMA;
 *   nothing is visited when that VMA is no longer attached or no longer
 *   covers the address. One step, no structure entered. Rests on "there is
 *   only one vma" (wangtao, 28 May 2026), patch 05's comment (the mapping
 *   "points to the ANON_VMA_LAZY root VMA"), and the reviewers' reading (Harry
 *   Yoo: "rmap needs something that doesn't go away across VMA merging, split,
 *   etc."). A removed root is freed at once: this walk needs it only
 *   attached.</li>
 * <li>(b) {@code lazy-mm}: the walk goes from the root VMA to its mm and looks
 *   the folio's address, vma_mapping_base(root) + folio->index (base =
 *   vm_start − vm_pgoff, in pages), up in that mm's VMA tree, then visits the
 *   VMA covering it. One step, one mm entered. Rests on the author's own
 *   description of the walk (wangtao, 3 Jun 2026: "The folio uses
 *   vma->root_vma to compute folio_address", "once folio_address is obtained,
 *   the VMA can be found through mm_mt"; and 2 Jun: vma_mapping_base "stays
 *   the same" while the VMA changes and after it leaves the maple tree). This
 *   walk reads a removed root's fields, so the root must stay allocated: the
 *   code's vm_rcuref and vma_put() (where mainline calls vm_area_free) give
 *   the means; who holds references is unread, so the model takes the least
 *   this reading needs, one per folio naming the root and one per other VMA
 *   whose tag names it, and charges a removed root still referenced as
 *   "vm_area_struct.held" ({@link rmaplab.design.lazy.HeldRoots}).</li>
 * <li>(c) {@code lazy-repoint}: reading (a)'s walk, kept correct by never
 *   letting a VMA carry another VMA's tag: a split's new part and an mremap
 *   copy get a tag of their own (themselves as root), and their folios are
 *   re-pointed under their folio locks (the split part's after a walk of its
 *   page tables; a moved folio as move_ptes maps it in the copy). No public
 *   text proposes this (the series re-points only at fork); it is the cost of
 *   making (a) correct without anon_vmas. Merges need no re-point: with the
 *   code's merge rule a lazy VMA merges only with one of the same tag, and
 *   here no two VMAs share one, so the parts of a split no longer merge
 *   again (more VMAs).</li>
 * </ul>
 *
 * <h2>Other choices where the series is silent</h2>
 * <ul>
 * <li>CoW faults and write reuse in a tree-parent child: the new folio goes to
 *   the VMA's vma->anon_vma, which is the parent's (the child stays tree-parent
 *   until it forks; the -92 % anon_vma figure leaves no room for an anon_vma per
 *   CoW-ing child). A walk of such a folio therefore visits the parent and every
 *   sibling linked to that anon_vma: more visits than linux, where the copy is in
 *   the child's own anon_vma.</li>
 * <li>The upgrade of a tree-parent VMA re-points nothing: its folios stay in the
 *   parent's anon_vma, which it remains linked to. The upgrade of a lazy VMA
 *   may reuse a regular neighbour's anon_vma (it is __anon_vma_prepare) but
 *   never a tree-parent neighbour's, whose vma->anon_vma is its parent's, not
 *   its own (LinuxDesign's mayShareAnonVmaOf hook).</li>
 * <li>A tree-parent child counts in its parent anon_vma's num_active_vmas (its
 *   vma->anon_vma decodes to it), so linux's reuse rule in anon_vma_clone sees
 *   it as in use.</li>
 * <li>Not modelled: the runtime switch (always on), KSM, THP and large folios
 *   (mm/huge_memory.c, mm/khugepaged.c hunks; reading (b) would have to look
 *   up a large folio's whole range), swap, the migration versus
 *   free_pgtables() exclusion, and races (the lazy path "cannot fail").</li>
 * </ul>
 *
 * <h2>Findings: what the oracle finds in each reading</h2>
 * RandomSequenceTest fails {@code lazy} and {@code lazy-mm} at their first
 * seed and passes {@code lazy-repoint} and {@code lazy-fixed} (2,000 seeds each
 * by default). The cause is one: a lazy folio names one VMA, and two kernel
 * paths give the tag to another VMA while the folio stays where it is or
 * moves.
 * <ol>
 * <li>Split (mprotect, madvise, partial munmap or mremap): the part that
 *   __split_vma makes new carries the tag; its folios name the other part.
 *   Missed in reading (a); found in (b) (both parts have the root's base) and
 *   (c) (re-pointed). The shortest, examples/lazy-split.rmw:
 *   <pre>
 * P spawn
 * P mmap 0x1000 2 rw- anon
 * P touch 0x1000 1 write
 * P mprotect 0x1001 1 r--     # new VMA [0x1000]; the root keeps [0x1001]
 *   </pre></li>
 * <li>mremap move: copy_vma's copy carries the tag, the old VMA (the root) is
 *   freed (a) or kept (b). {@code P mmap 0x1000 1 rw- anon / P touch 0x1000 1
 *   write / P mremap 0x1000 1 0x2000 1}. Missed in (a) (the root is gone) and
 *   in (b) (the root's address is 0x1000, where nothing is mapped now); found
 *   in (c).</li>
 * <li>A part of a private file mapping moved away, written (a lazy CoW folio)
 *   and moved back beside the unfaulted part it came from: copy_vma may not
 *   merge it there (the copied-from VMA is a fork child), so this is a move
 *   like finding 2. Missed in (a) and (b).</li>
 * </ol>
 * LazyFindingsTest pins these for reading (a), LazyReadingsTest those of (b)
 * (findings 2 and 3, and the random sequences' seed 1: a VMA grown in place,
 * written, then moved). Before the process forks, these folios are invisible
 * to reclaim, migration, compaction and NUMA balancing (a migration leaves the
 * PTE on the old frame). A fork repairs them: every VMA that holds a lazy folio
 * carries the folio's tag (the paths copy it, merges need equal tags), so the
 * upgrade of each copied VMA re-points them, even those naming a freed root.
 * VMAs that fork does not copy (VM_DONTCOPY, VM_WIPEONFORK) are not upgraded
 * and stay missed.
 *
 * <h2>lazy-fixed</h2>
 * Reading (a) with {@link rmaplab.design.lazy.Fixes#ALL}: the upgrade that the
 * series does at fork, done also before __split_vma of a lazy VMA (re-pointing
 * the folios of both parts) and before copy_vma of one, so that no second VMA
 * ever carries a lazy tag. Each of the two is needed (taking either out brings
 * its counterexample back). Cost: the linux objects (an anon_vma and AVCs) for
 * every lazy VMA that is split or moved; nothing where that does not happen.
 * {@code lazy-repoint} is the cheaper correction the earlier version of this
 * documentation called for: it re-keys the folios instead of upgrading, and
 * keeps the saving.
  *
 * <h2>Locking in concurrent runs (rmaplab.race, docs/races.md)</h2>
 * Where a VMA has an anon_vma, linux's hooks. A lazy folio's walk takes no
 * anon_vma lock, as the series says ("we only need to ensure the vma is
 * valid"): the root VMA is read and handed to rmap_one in one step, its
 * vm_refcnt reference standing for what keeps it valid. A re-point (the
 * upgrade at fork, reading (c)'s split and copy, lazy-fixed's upgrade) takes
 * each folio's lock as a step and, as the series does not say otherwise,
 * does not recheck the PTE after it; a migration that replaced the folio
 * meanwhile leaves the new folio with the lazy tag (found on
 * examples/race/migrate-vs-fork.rmw). The alternative, a recheck under the
 * folio lock as page_vma_mapped_walk does, is not modelled.
 */
package rmaplab.design.lazy;
