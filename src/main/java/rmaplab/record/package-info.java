/**
 * {@code rmaplab record} and {@code rmaplab import}: real programs recorded
 * with perf, turned into workloads, with the kernel's own count of
 * anon_vma, anon_vma_chain and vm_area_struct objects beside them.
 *
 * <p>What a recording holds and lacks on this kernel is measured in
 * docs/notes/recording.md; {@link rmaplab.record.EventSet} is the
 * one place that says which events are recorded.
 *
 * <p>The importer's parts: {@link rmaplab.record.TraceImporter} reads the
 * text and hands each line, parsed by {@link rmaplab.record.PerfLineParser}
 * into a {@link rmaplab.record.PerfEvent}, to {@link rmaplab.record.TaskTracker}
 * (tasks, address spaces, faults, mappings made without a syscall),
 * {@link rmaplab.record.SyscallDecoder} (syscalls to ops) and
 * {@link rmaplab.record.Attribution} (kmem events to ops);
 * {@link rmaplab.record.DamageCheck} and {@link rmaplab.record.ObjectLifetimes}
 * tell a whole recording from a damaged one (docs/recording.md, "Damaged
 * recordings"); {@link rmaplab.record.Truth} is the truth file, written here
 * and read by kernel-check, run and compare.
 *
 * <h2>From events to ops</h2>
 * <ul>
 * <li>Tasks: one per tid, named {@code pPID} for a thread-group leader and
 * {@code tTID} for another thread ({@code _2}, {@code _3} when a tid comes
 * back). {@code PERF_RECORD_FORK} plus {@code task:task_newtask}'s
 * clone_flags make {@code thread} (CLONE_THREAD), {@code vfork} (CLONE_VM
 * without CLONE_THREAD: vfork, posix_spawn) or {@code fork}.
 * {@code PERF_RECORD_EXIT} makes {@code exit}. The first task is a
 * {@code spawn}.</li>
 * <li>{@code PERF_RECORD_COMM exec} makes {@code exec}; other live threads of
 * the process exit first (de_thread). The mappings the kernel makes after it
 * (the stack, the ELF segments, the bss, vdso/vvar) come as MMAP2 lines
 * without a syscall and are written as {@code mmap}. elf_map
 * (fs/binfmt_elf.c) maps the whole image with the first segment and unmaps
 * the rest of it; a later segment over that reservation is written as a
 * {@code munmap} from its start to the reservation's end, then its
 * {@code mmap}. The exec stack is written as an {@code mmap stack} plus a
 * {@code touch ... write} of its top page, because exec writes the
 * arguments and environment there without a fault event; when the first
 * fault in that stack is a kernel one (create_elf_tables) within 64 pages of
 * the top, the pages between it and the top are written too.</li>
 * <li>{@code sys_enter_mmap} then its MMAP2 line: {@code mmap} of the pages
 * the call asked for (the MMAP2 range can be larger when the kernel merged
 * the new VMA with a neighbour); kind from the flags (MAP_ANONYMOUS,
 * MAP_SHARED, MAP_GROWSDOWN) and the path; {@code file=NAME@PGOFF} with a
 * NAME made of the path's safe characters and the inode, stable per
 * (device, inode). Over a known mapping (MAP_FIXED) it is {@code munmap}
 * then {@code mmap}. MAP_POPULATE and MAP_LOCKED pages are written as a
 * {@code touch} of the range (write for private writable mappings, as
 * populate_vma_page_range does). An mmap with no MMAP2 line before the
 * task's next event failed and writes nothing.</li>
 * <li>brk: the break from {@code sys_exit_brk}; growth is an {@code mmap} of
 * the new heap pages, shrinking a {@code munmap}.</li>
 * <li>munmap, mprotect, madvise (dontneed, dontfork, dofork, wipeonfork,
 * keeponfork; MADV_POPULATE_READ/WRITE as touches; any other advice is
 * counted as unrepresented), mremap from its enter and exit events (a
 * failed one writes nothing; a target over other mappings is unmapped
 * first).</li>
 * <li>Page faults ({@code page_fault_user} and {@code page_fault_kernel}):
 * {@code touch PAGE 1 read|write}, write from bit 1 of error_code. A fault
 * just below a grows-down stack grows it as expand_downwards does; a fault
 * in no known mapping is counted, not written.</li>
 * <li>Byte addresses become 4 KiB pages. An address the kernel requires to
 * be aligned (munmap, mprotect, madvise, MAP_FIXED, mremap, MMAP2 ranges and
 * file offsets) that is not is an import error: {@code FILE:LINE}.</li>
 * </ul>
 * The importer runs the runner's validation machine op by op as it writes,
 * so the workload it writes is one the runner accepts (an mmap over pages
 * the model still maps is unmapped first and counted).
 *
 * <h2>Attribution of kmem events (the truth's byOp)</h2>
 * The model (ObjectLedger.byOp) counts each allocation under the workload op
 * that made it. The truth counts each kmem event under the op the importer
 * wrote for the trace event that caused it, so that a correct model agrees
 * op by op. A kmem event waits in its task's queue until the task's next
 * other event, which decides:
 * <ul>
 * <li>By default it belongs to the op most recently started by the same task
 * (a syscall enter starts its op, a page fault starts touch).</li>
 * <li>A page fault's own allocations (__anon_vma_prepare, first after the
 * fault) stay with its touch even when the next event is a mapping.</li>
 * <li>A mapping the kernel made without a syscall (MMAP2 line): its
 * vm_area_alloc came just before the line, and goes to that mmap; when the
 * importer wrote a munmap first, the splits and frees go to munmap.</li>
 * <li>mmap written as munmap + mmap: vm_area_alloc and vma_complete go to
 * mmap; splits (vm_area_dup, anon_vma_clone) and frees, which the kernel
 * does after announcing the new mapping (vms_complete_munmap_vmas), go to
 * munmap.</li>
 * <li>brk and mremap: the events between the enter and the exit go to the op
 * written at the exit (mmap or munmap for brk); for an mremap onto other
 * mappings, written as munmap then mremap, the events up to the first
 * vm_area_dup after a free (copy_vma, after mremap_to unmapped the target)
 * go to munmap.</li>
 * <li>fork: dup_mmap runs in the parent before task_newtask and after
 * copy_fs_struct (an fs_struct in the anon_vma_chain cache); the events after
 * the last copy_fs_struct (or the trailing run of vm_area_dup / anon_vma_fork
 * / anon_vma_clone allocations when there is none) go to fork, the earlier
 * ones to the op before.</li>
 * <li>exec: its events come before the COMM exec line (bprm_mm_init's new
 * stack VMA, copy_strings' anon_vma for it, exec_mmap's teardown of the old
 * address space). From the first vm_area_alloc on: that vm_area_alloc goes to
 * mmap (the stack is written as an mmap), __anon_vma_prepare to touch (its
 * top page is written as a touch), the rest to exec; the events before it to
 * the op before.</li>
 * <li>exit: frees from the first exit_mmap free on go to exit (they are not
 * recorded on this kernel: exitFreesRecorded says whether any were).</li>
 * <li>An event of a task whose creation was not recorded: "unattributed".</li>
 * </ul>
 * Objects sharing the anon_vma_chain cache (fs_struct: copy_fs_struct and
 * its free in do_exit; eventpoll: ep_ptable_queue_proc, ep_remove,
 * eventpoll_release_file, ...) go to "excluded" by call site.
 *
 * <p>Known, measured differences with a correct model: the first exec's
 * stack was made before the recording started (the model has one
 * vm_area_struct under mmap, one anon_vma and one anon_vma_chain under touch
 * more); frees at process exit are not recorded; an op the format cannot
 * say (advice outside the format that splits VMAs, e.g. MADV_MERGEABLE)
 * shows in "unrepresented" and can shift the counts of later ops. MAP_STACK
 * (VM_NOHUGEPAGE) and MAP_NORESERVE (VM_NORESERVE, no VM_ACCOUNT) are written
 * as mmap FLAGS and MADV_HUGEPAGE/MADV_NOHUGEPAGE as the advices hugepage and
 * nohugepage: they decide merges (do_mmap, calc_vm_flag_bits,
 * accountable_mapping, mprotect_fixup, hugepage_madvise). The truth's zeroPage is "off" when a read
 * fault made an anon_vma (the recorded kernel made a folio, not a zero-page mapping), else "unknown";
 * run, compare and kernel-check follow it unless the command line says otherwise.
 */
package rmaplab.record;
