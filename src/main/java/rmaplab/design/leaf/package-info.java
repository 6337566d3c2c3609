/**
 * The leaf-process designs: {@code linux-nofork} and {@code leaf-bound}.
 *
 * <h2>The idea and where it comes from</h2>
 * A folio mapped only by a process that will never fork again can never be
 * mapped by anyone else, so it needs no anon_vma to find its mappings: its
 * address space and its address are enough. On linux-mm in 2026 Barry Song
 * asked whether knowing that a process is such a "leaf" could replace the
 * anon_vma for its exclusive folios, and proposed that a process promise it
 * (PR_SET_NOFORK); the ANON_VMA_LAZY series (wangtao, May 2026) is built on
 * the same observation — "the optimization would apply only to the case where
 * B never forks", which "holds for most applications"
 * (https://lkml.iu.edu/2606.0/04656.html, https://lkml.iu.edu/hypermail/linux/kernel/2606.0/07662.html;
 * notes/anon_vma_lazy.md). The text of the PR_SET_NOFORK mail itself was not
 * in the archives consulted; what follows is our reading of the idea, not a
 * model of a posted patch. The workload op {@code nofork} is the promise.
 *
 * <h2>Which mms are leaves</h2>
 * The rmap needs a property of the address space, not of a process: "no fork
 * will copy this mm again" (dup_mmap copies the forking task's mm).
 * <ul>
 * <li>{@code linux-nofork}: the mm's owner (the process that made it by spawn,
 *     fork or exec) promised nofork and every user of the mm is one of the
 *     owner's tasks. Threads share the promise (it belongs to the process; a
 *     thread's fork after it is an error). A vfork child still sharing the mm
 *     may fork it whatever the owner promised, so while one is there the mm
 *     is not a leaf; once it execs or exits, it is. A promise is never taken
 *     back for an mm: exec gives the process a new mm (and drops the promise
 *     for it), a nofork process cannot vfork, so no new user can come.</li>
 * <li>{@code leaf-bound}: the runner's first pass ({@link rmaplab.sim.ForkSchedule})
 *     knows the op of the last fork that copies each mm, whoever runs it (a
 *     thread, or a vfork child before its exec); from the op after it the mm is
 *     a leaf — from its birth when no fork ever copies it. This is the promise
 *     made as early as any promise could be true, for every mm, including
 *     processes that go on calling vfork/posix_spawn (vfork copies nothing), so
 *     no leaf-process optimisation of this kind can save more: the figures of
 *     leaf-bound bound what PR_SET_NOFORK can save.</li>
 * </ul>
 * A leaf stays a leaf until its mm is destroyed (the design remembers it in
 * a per-mm table).
 *
 * <h2>Folios</h2>
 * <ul>
 * <li>A new anonymous folio (fault or CoW copy, folio_add_new_anon_rmap) in a
 *     leaf mm: folio->mapping names the mm and folio->index is the virtual
 *     page. No anon_vma_prepare work: no anon_vma, no anon_vma_chain, no lock.
 *     The brief of this design allowed naming the VMA; we name the mm because
 *     a VMA "is subject to change ... and rmap needs something that doesn't go
 *     away across VMA merging, split, etc." (Harry Yoo on ANON_VMA_LAZY,
 *     https://lkml.iu.edu/2606.0/04013.html): with the mm and the address,
 *     split, merge, mprotect, madvise and stack growth change nothing.</li>
 * <li>The walk of such a folio finds the VMA at the address (find_vma under
 *     RCU: one lock record of class "rcu", one step) and visits that one
 *     place.</li>
 * <li>A folio the leaf still shares with relatives (inherited before it became
 *     a leaf) keeps its anon_vma key, and the leaf's VMAs keep their anon_vma
 *     and chains, so the relatives' walks find the leaf's mappings and the
 *     leaf's walks find theirs. When the leaf reuses such a folio on a write
 *     fault (folio_move_anon_rmap: it is now mapped only here) it moves to the
 *     address key.</li>
 * <li>mremap moving an address-keyed folio's PTE updates folio->index to the
 *     new address: move_ptes already visits every PTE, and the folio is
 *     exclusive (Lorenzo Stoakes's MREMAP_RELOCATE_ANON RFC of March 2025,
 *     cover.1742478846.git.lorenzo.stoakes@oracle.com, re-keys exclusive
 *     folios during a move in the same way — from memory, not re-read here).
 *     Migration copies mapping and index (folio_migrate_mapping).</li>
 * </ul>
 *
 * <h2>VMAs</h2>
 * A VMA of a leaf mm is in one of four states: unprepared; "keyed by address"
 * (prepared in the leaf: no anon_vma, no chain); linux (an anon_vma and a
 * chain, made before the mm became a leaf); "chain-only" (leaf-bound only: a
 * child VMA linked to its parent's anon_vmas by anon_vma_clone but without an
 * anon_vma of its own).
 * <ul>
 * <li>fork: a leaf mm is never copied (checked: the design throws). In
 *     leaf-bound a child that is a leaf from its birth gets anon_vma_clone's
 *     links — the folios it shares with its parent must be found in it — but
 *     not anon_vma_fork's own anon_vma and AVC, which only its own folios and
 *     children would use (it reuses an idle ancestor when 6.18 would, which
 *     allocates nothing); the ANON_VMA_TREE_PARENT state of ANON_VMA_LAZY does
 *     the same. In linux-nofork the child has promised nothing at its fork, so
 *     the fork is Linux's.</li>
 * <li>split (__split_vma), mremap copy (copy_vma), dup in a merge: the new VMA
 *     takes the old one's anon_vma (if any) and a copy of its chain, as in
 *     Linux; a keyed-by-address VMA has neither, so nothing is made.</li>
 * <li>merge (is_mergeable_anon_vma): the survivor must still let every folio
 *     of the merged range be found. A keyed-by-address target absorbs only
 *     unprepared or keyed-by-address ranges (it has no anon_vma to give one
 *     that carries one: {@code LeafDesignTest} pins the mremap case that
 *     would lose a mapping); a keyed-by-address range may join a target with
 *     an anon_vma that is not a fork child (Linux's Case 2). A chain-only VMA
 *     merges with nothing but itself (mremap growing it in place): its links
 *     are its own. All else is Linux. So a leaf can end with more VMAs than
 *     Linux would have; the report counts them.</li>
 * <li>munmap, exit, exec: the PTEs go first (address-keyed folios are freed
 *     with their last PTE, which is in this mm), then unlink_anon_vmas of
 *     whatever chain the VMA has, as in Linux.</li>
 * </ul>
 *
 * <h2>What the bound bounds</h2>
 * leaf-bound bounds what knowing "this mm will never be copied again" can
 * save on top of linux: LeafRandomTest checks on every random sequence that
 * it allocates no more anon_vmas and chains than linux-nofork, which
 * allocates no more than linux. It does not bound other ideas: a design that
 * defers the anon_vma of each VMA until that VMA is forked (ANON_VMA_LAZY,
 * rmaplab.design.lazy) also saves on VMAs of processes that do fork later —
 * VMAs unmapped, or never faulted, before the fork — which a leaf rule never
 * sees. On {@code gen:random} lazy-fixed's peak of anon_vma and chain bytes is
 * lower than leaf-bound's (-10 % vs -5 % against linux), while the two agree
 * exactly on the fork-server, pipeline, linux-mm, snapshot and realloc
 * families. A per-VMA clairvoyant bound ("no fork will copy this range")
 * would bound both; it is not built.
 *
 * <h2>Not done</h2>
 * A leaf keeps the anon_vmas and chains it had before it became a leaf even
 * once no folio uses them (dropping them would need a count of anon_vma-keyed
 * folios per VMA); leaf-bound's savings are therefore those of this scheme,
 * not of any conceivable one. The locks a kernel would need to keep an mm and
 * its VMA alive during the walk of an address-keyed folio beyond RCU are not
 * modelled. THP, KSM and swap are not modelled (as for linux).
 */
package rmaplab.design.leaf;
