/*
 * rmaplab-probe: executes an rmaplab workload (format version 1) with real
 * tasks on the running kernel and counts exactly the anon_vma,
 * anon_vma_chain and vm_area_struct slab objects allocated and freed, with
 * perf counters on the kmem:kmem_cache_alloc/kmem_cache_free tracepoints.
 * At the end it dumps every present page of the workload's range in every
 * live task: frame, mapcount (kpagecount) and kind (kpageflags).
 *
 *   rmaplab-probe FILE              run the workload
 *   rmaplab-probe --skeleton FILE   run only its spawn/fork/vfork/thread/exec/exit lines
 *   rmaplab-probe --detect-zero-page
 *
 * Output and method: probe/README.md. Exit status: 0 ok, 2 bad workload,
 * 3 the kernel cannot be probed here (the reason on stderr), 4 internal error.
 *
 * Plain C99 with Linux calls; built by scripts/build-probe.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#endif
#ifndef MAP_STACK
#define MAP_STACK 0x20000
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0x4000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef PR_SET_THP_DISABLE
#define PR_SET_THP_DISABLE 41
#endif

#define PAGE 4096UL
/* Workload page A lives at BASE + A * PAGE, far from the binary, heap, libraries and mmap area. */
#define BASE 0x200000000000UL
#define SPAN 0x100000000000UL /* the workload may use pages [0, SPAN / PAGE) */

enum { OP_SPAWN, OP_FORK, OP_THREAD, OP_VFORK, OP_EXEC, OP_EXIT, OP_NOFORK, OP_MMAP, OP_MUNMAP,
       OP_MPROTECT, OP_MREMAP, OP_MADVISE, OP_TOUCH, OP_WALK, OP_MIGRATE, OP_COUNT };
static const char *op_names[OP_COUNT] = {"spawn", "fork", "thread", "vfork", "exec", "exit", "nofork", "mmap",
    "munmap", "mprotect", "mremap", "madvise", "touch", "walk", "migrate"};

enum { K_ANON, K_SHARED, K_STACK, K_FILE, K_SHARED_FILE };

struct op {
    int kind, task, child;   /* task and child are slot numbers */
    long line;
    unsigned long addr, len, naddr, nlen, pgoff;
    int prot, mkind, advice, write, file;
    int mflags;              /* extra mmap flags of the line: MAP_NORESERVE, MAP_STACK */
    int fixed;               /* FLAGS has fixed: MAP_FIXED (replace) instead of MAP_FIXED_NOREPLACE */
};

/* One mailbox per task, in shared memory every worker maps. */
struct slot {
    volatile int cmd_seq, done_seq;
    volatile int pid, tid, alive, err;
    struct op op;
};

#define MAX_FILES 64
static char *file_names[MAX_FILES];
static unsigned long file_pages[MAX_FILES];
static int nfiles;
static char tmpdir[256];

static struct slot *slots;
static int nslots, memfd = -1;
static size_t mailbox_bytes;

static void die(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rmaplab-probe: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(status);
}

static long futex(volatile int *addr, int op, int val) {
    return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

/* FUTEX_WAIT for at most one second (the timeout is relative for FUTEX_WAIT). */
static void futex_wait_1s(volatile int *addr, int val) {
    struct timespec t = {1, 0};
    syscall(SYS_futex, (int *)addr, FUTEX_WAIT, val, &t, NULL, 0);
}

/* No single op of a workload takes more than a few milliseconds; a task that has not
   answered after this long is stuck, and the probe says where instead of hanging. */
#define OP_DEADLINE_S 120
static const char *workload_path = "?";

static long seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - t0->tv_sec);
}

/* ------------------------------------------------------------------ parsing */

struct name { char *s; int slot; };
static struct name *names;
static int nnames, cap_names;

static int lookup(const char *s) {
    for (int i = nnames - 1; i >= 0; i--)
        if (names[i].slot >= 0 && strcmp(names[i].s, s) == 0) return i;
    return -1;
}

static int parse_num(const char *s, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *end || !*s || *s == '-') return -1;
    *out = v;
    return 0;
}

static int parse_prot(const char *s) {
    if (!strcmp(s, "---")) return PROT_NONE;
    if (!strcmp(s, "r--")) return PROT_READ;
    if (!strcmp(s, "rw-")) return PROT_READ | PROT_WRITE;
    if (!strcmp(s, "r-x")) return PROT_READ | PROT_EXEC;
    if (!strcmp(s, "rwx")) return PROT_READ | PROT_WRITE | PROT_EXEC;
    if (!strcmp(s, "-w-")) return PROT_WRITE;
    if (!strcmp(s, "-wx")) return PROT_WRITE | PROT_EXEC;
    if (!strcmp(s, "--x")) return PROT_EXEC;
    return -1;
}

static int file_index(const char *n) {
    for (int i = 0; i < nfiles; i++) if (!strcmp(file_names[i], n)) return i;
    if (nfiles == MAX_FILES) die(2, "more than %d files", MAX_FILES);
    file_names[nfiles] = strdup(n);
    return nfiles++;
}

static struct op *ops;
static int nops, cap_ops;

static void bad(const char *file, long line, const char *what) { die(2, "%s:%ld: %s", file, line, what); }

static void parse(const char *path, int skeleton) {
    FILE *f = fopen(path, "r");
    if (!f) die(2, "%s: %s", path, strerror(errno));
    char buf[4096];
    long line = 0;
    int header = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        char *h = strchr(buf, '#');
        if (h) *h = 0;
        char *tok[8];
        int nt = 0;
        for (char *p = strtok(buf, " \t\r\n"); p && nt < 8; p = strtok(NULL, " \t\r\n")) tok[nt++] = p;
        if (nt == 0) continue;
        if (!header) {
            if (nt != 2 || strcmp(tok[0], "rmaplab-workload") || strcmp(tok[1], "1")) bad(path, line, "missing header 'rmaplab-workload 1'");
            header = 1;
            continue;
        }
        if (nt < 2) bad(path, line, "missing op");
        struct op o;
        memset(&o, 0, sizeof o);
        o.line = line;
        o.kind = -1;
        for (int k = 0; k < OP_COUNT; k++) if (!strcmp(tok[1], op_names[k])) o.kind = k;
        if (o.kind < 0) bad(path, line, "unknown op");
        int creates = o.kind == OP_SPAWN || o.kind == OP_FORK || o.kind == OP_THREAD || o.kind == OP_VFORK;
        int in_skeleton = creates || o.kind == OP_EXEC || o.kind == OP_EXIT;
        if (skeleton && !in_skeleton) continue;
        if (nnames + 2 > cap_names) {
            cap_names = cap_names ? 2 * cap_names : 64;
            names = realloc(names, cap_names * sizeof *names);
        }
        if (o.kind == OP_SPAWN) {
            if (nt != 2) bad(path, line, "spawn takes no argument");
            if (lookup(tok[0]) >= 0) bad(path, line, "task already exists");
            names[nnames].s = strdup(tok[0]);
            names[nnames].slot = nslots++;
            o.task = names[nnames++].slot;
        } else {
            int i = lookup(tok[0]);
            if (i < 0) bad(path, line, "task does not exist");
            o.task = names[i].slot;
            if (o.kind == OP_EXIT) names[i].slot = -1;
        }
        if (o.kind == OP_FORK || o.kind == OP_THREAD || o.kind == OP_VFORK) {
            if (nt != 3) bad(path, line, "missing or extra argument");
            if (lookup(tok[2]) >= 0) bad(path, line, "task already exists");
            names[nnames].s = strdup(tok[2]);
            names[nnames].slot = nslots++;
            o.child = names[nnames++].slot;
        }
        int need = 0;
        switch (o.kind) {
        case OP_MMAP: need = 4; break;
        case OP_MUNMAP: case OP_WALK: case OP_MIGRATE: need = 2; break;
        case OP_MPROTECT: case OP_MADVISE: case OP_TOUCH: need = 3; break;
        case OP_MREMAP: need = 4; break;
        default: break;
        }
        if (need) {
            /* mmap may carry one more token: its FLAGS */
            if (nt != 2 + need && !(o.kind == OP_MMAP && nt == 3 + need)) bad(path, line, "wrong number of arguments");
            if (parse_num(tok[2], &o.addr) || parse_num(tok[3], &o.len) || o.len == 0) bad(path, line, "bad ADDR or LEN");
            if (o.addr + o.len > SPAN / PAGE) bad(path, line, "address beyond the probe's span");
        }
        if (o.kind == OP_MMAP) {
            if ((o.prot = parse_prot(tok[4])) < 0) bad(path, line, "bad PROT");
            char *k = tok[5];
            if (!strcmp(k, "anon")) o.mkind = K_ANON;
            else if (!strcmp(k, "shared")) o.mkind = K_SHARED;
            else if (!strcmp(k, "stack")) o.mkind = K_STACK;
            else {
                int shared = !strncmp(k, "shared-file=", 12);
                if (!shared && strncmp(k, "file=", 5)) bad(path, line, "bad KIND");
                char *n = strchr(k, '=') + 1, *at = strrchr(n, '@');
                if (!at) bad(path, line, "bad KIND");
                *at = 0;
                if (parse_num(at + 1, &o.pgoff)) bad(path, line, "bad PGOFF");
                o.mkind = shared ? K_SHARED_FILE : K_FILE;
                o.file = file_index(n);
                if (o.pgoff + o.len > file_pages[o.file]) file_pages[o.file] = o.pgoff + o.len;
            }
            if (nt == 7) { /* FLAGS: a comma-separated list of noreserve, stack and fixed, each at most once */
                /* strtok skips empty elements: refuse them first, as the Java reader does */
                size_t n6 = strlen(tok[6]);
                if (tok[6][0] == ',' || tok[6][n6 - 1] == ',' || strstr(tok[6], ",,")) bad(path, line, "bad FLAGS");
                for (char *fl = strtok(tok[6], ","); fl; fl = strtok(NULL, ",")) {
                    if (!strcmp(fl, "fixed")) {
                        if (o.fixed) bad(path, line, "bad FLAGS");
                        o.fixed = 1;
                        continue;
                    }
                    int bit = !strcmp(fl, "noreserve") ? MAP_NORESERVE : !strcmp(fl, "stack") ? MAP_STACK : 0;
                    if (!bit || (o.mflags & bit)) bad(path, line, "bad FLAGS");
                    o.mflags |= bit;
                }
            }
        } else if (o.kind == OP_MPROTECT) {
            if ((o.prot = parse_prot(tok[4])) < 0) bad(path, line, "bad PROT");
        } else if (o.kind == OP_MREMAP) {
            if (parse_num(tok[4], &o.naddr) || parse_num(tok[5], &o.nlen) || o.nlen == 0) bad(path, line, "bad NEWADDR or NEWLEN");
            if (o.naddr + o.nlen > SPAN / PAGE) bad(path, line, "address beyond the probe's span");
        } else if (o.kind == OP_MADVISE) {
            const char *a = tok[4];
            if (!strcmp(a, "dontfork")) o.advice = MADV_DONTFORK;
            else if (!strcmp(a, "dofork")) o.advice = MADV_DOFORK;
            else if (!strcmp(a, "wipeonfork")) o.advice = MADV_WIPEONFORK;
            else if (!strcmp(a, "keeponfork")) o.advice = MADV_KEEPONFORK;
            else if (!strcmp(a, "dontneed")) o.advice = MADV_DONTNEED;
            else if (!strcmp(a, "hugepage")) o.advice = MADV_HUGEPAGE;
            else if (!strcmp(a, "nohugepage")) o.advice = MADV_NOHUGEPAGE;
            else bad(path, line, "bad ADVICE");
        } else if (o.kind == OP_TOUCH) {
            if (!strcmp(tok[4], "write")) o.write = 1;
            else if (strcmp(tok[4], "read")) bad(path, line, "bad access");
        }
        if (nops == cap_ops) {
            cap_ops = cap_ops ? 2 * cap_ops : 1024;
            ops = realloc(ops, cap_ops * sizeof *ops);
        }
        ops[nops++] = o;
    }
    fclose(f);
    if (!header) bad(path, line, "missing header 'rmaplab-workload 1'");
}

/* ------------------------------------------------------------------ workers */

static sigjmp_buf segv_env;
static volatile int in_touch;
static char self_exe[4096];
static char vfork_stacks[32][64 * 1024] __attribute__((aligned(64)));
static int next_vfork_stack;

static void on_segv(int sig) {
    (void)sig;
    if (in_touch) siglongjmp(segv_env, 1);
    _exit(99);
}

static void worker_setup(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

static void serve(int slot);

static void *thread_main(void *arg) {
    int s = (int)(long)arg;
    slots[s].pid = getpid();
    slots[s].tid = (int)syscall(SYS_gettid);
    slots[s].alive = 1;
    serve(s);
    return NULL;
}

static int vfork_child(void *arg) {
    serve((int)(long)arg);
    return 0;
}

static char env_dir[300] = "RMAPLAB_PROBE_DIR=";

static void do_exec(int s, int seq) {
    char a1[32], a2[32], a3[32];
    snprintf(a1, sizeof a1, "%d", memfd);
    snprintf(a2, sizeof a2, "%d", s);
    snprintf(a3, sizeof a3, "%d", seq);
    char *argv[] = {self_exe, "--worker", a1, a2, a3, NULL};
    char *envp[] = {"LC_ALL=C", env_dir, NULL};
    execve(self_exe, argv, envp);
    slots[s].err = errno;
    slots[s].done_seq = seq;
    futex(&slots[s].done_seq, FUTEX_WAKE, 1);
}

static int run_op(int s, struct op *o) {
    unsigned long a = BASE + o->addr * PAGE, l = o->len * PAGE;
    switch (o->kind) {
    case OP_FORK: {
        pid_t p = fork();
        if (p < 0) return errno;
        if (p == 0) {
            slots[o->child].pid = getpid();
            slots[o->child].tid = (int)syscall(SYS_gettid);
            slots[o->child].alive = 1;
            serve(o->child); /* never returns */
        }
        /* wait until the child has announced itself */
        while (!slots[o->child].alive) sched_yield();
        return 0;
    }
    case OP_THREAD: {
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        int r = pthread_create(&t, &at, thread_main, (void *)(long)o->child);
        pthread_attr_destroy(&at);
        if (r) return r;
        while (!slots[o->child].alive) sched_yield();
        return 0;
    }
    case OP_VFORK: {
        if (next_vfork_stack == 32) return EAGAIN;
        char *stack = vfork_stacks[next_vfork_stack++] + sizeof vfork_stacks[0];
        int pid = clone(vfork_child, stack, CLONE_VM | SIGCHLD, (void *)(long)o->child);
        if (pid < 0) return errno;
        slots[o->child].pid = pid;
        slots[o->child].tid = pid;
        slots[o->child].alive = 1;
        return 0;
    }
    case OP_MMAP: {
        int flags = (o->fixed ? MAP_FIXED : MAP_FIXED_NOREPLACE) | o->mflags, fd = -1;
        switch (o->mkind) {
        case K_ANON: flags |= MAP_PRIVATE | MAP_ANONYMOUS; break;
        case K_SHARED: flags |= MAP_SHARED | MAP_ANONYMOUS; break;
        case K_STACK: flags |= MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN; break;
        default: {
            char path[512];
            snprintf(path, sizeof path, "%s/f%d", tmpdir, o->file);
            fd = open(path, O_RDWR);
            if (fd < 0) return errno;
            flags |= o->mkind == K_FILE ? MAP_PRIVATE : MAP_SHARED;
        }
        }
        void *r = mmap((void *)a, l, o->prot, flags, fd, (off_t)(o->pgoff * PAGE));
        int e = r == MAP_FAILED ? errno : 0;
        if (fd >= 0) close(fd);
        if (!e && r != (void *)a) return EEXIST;
        return e;
    }
    case OP_MUNMAP: return munmap((void *)a, l) ? errno : 0;
    case OP_MPROTECT: return mprotect((void *)a, l, o->prot) ? errno : 0;
    case OP_MADVISE: return madvise((void *)a, l, o->advice) ? errno : 0;
    case OP_MREMAP: {
        unsigned long na = BASE + o->naddr * PAGE, nl = o->nlen * PAGE;
        void *r = na == a ? mremap((void *)a, l, nl, 0) : mremap((void *)a, l, nl, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)na);
        return r == MAP_FAILED ? errno : 0;
    }
    case OP_TOUCH: {
        /* ascending pages; the first SIGSEGV ends the touch (one error), as the model does */
        int faults = 0;
        for (unsigned long p = 0; p < o->len && !faults; p++) {
            volatile char *c = (volatile char *)(a + p * PAGE);
            in_touch = 1;
            if (sigsetjmp(segv_env, 1) == 0) {
                if (o->write) *c = 1;
                else (void)*c;
            } else {
                faults = 1;
            }
            in_touch = 0;
        }
        return faults ? -faults : 0;
    }
    default: return 0; /* walk, migrate, nofork: nothing to do on Linux */
    }
}

static void serve(int s) {
    int seen = slots[s].done_seq;
    for (;;) {
        int seq = __atomic_load_n(&slots[s].cmd_seq, __ATOMIC_ACQUIRE); /* the op is read after this */
        if (seq == seen) {
            futex(&slots[s].cmd_seq, FUTEX_WAIT, seq);
            continue;
        }
        struct op *o = &slots[s].op;
        if (o->kind == OP_EXEC) {
            do_exec(s, seq);
            seen = seq;
            continue; /* exec failed: the error was reported */
        }
        if (o->kind == OP_EXIT) {
            slots[s].alive = 0;
            slots[s].done_seq = seq;
            futex(&slots[s].done_seq, FUTEX_WAKE, 1);
            syscall(SYS_exit, 0); /* this task only; the process goes with its last thread */
        }
        slots[s].err = run_op(s, o);
        seen = seq;
        slots[s].done_seq = seq;
        futex(&slots[s].done_seq, FUTEX_WAKE, 1);
    }
}

static void map_mailbox(int fd) {
    struct stat st;
    if (fstat(fd, &st)) die(4, "mailbox: %s", strerror(errno));
    mailbox_bytes = (size_t)st.st_size;
    slots = mmap(NULL, mailbox_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (slots == MAP_FAILED) die(4, "mailbox: %s", strerror(errno));
}

static int worker_main(int fd, int s, int seq) {
    memfd = fd;
    const char *d = getenv("RMAPLAB_PROBE_DIR");
    if (d) {
        snprintf(tmpdir, sizeof tmpdir, "%s", d);
        snprintf(env_dir, sizeof env_dir, "RMAPLAB_PROBE_DIR=%s", d);
    }
    map_mailbox(fd);
    worker_setup();
    slots[s].pid = getpid();
    slots[s].tid = (int)syscall(SYS_gettid);
    slots[s].alive = 1;
    if (seq > 0) { /* an exec that has now completed */
        slots[s].err = 0;
        slots[s].done_seq = seq;
        futex(&slots[s].done_seq, FUTEX_WAKE, 1);
    }
    serve(s);
    return 0;
}

/* ------------------------------------------------------------------ perf counters */

/* C_BG_F: anon_vma frees done by kernel threads, counted system-wide (not in
   the cgroup).  A kernel thread's rmap walk (kdamond, kswapd, kcompactd, ...)
   may hold a transient anon_vma reference (folio_lock_anon_vma_read falls back
   to get_anon_vma when the trylock fails) and drop the last one, freeing one
   of our anon_vmas outside the cgroup.  Non-zero means the anon_vma frees
   counted in the cgroup may be short by at most that many. */
enum { C_AV_A, C_AV_F, C_AVC_A, C_AVC_F, C_VMA_A, C_VMA_F, C_OTHER_A, C_OTHER_F, C_BG_F, NCOUNT };
#define KTHREAD_COMMS "(comm ~ \"kdamond*\" || comm ~ \"kswapd*\" || comm ~ \"kcompactd*\" || " \
                      "comm ~ \"khugepaged*\" || comm ~ \"ksmd*\" || comm ~ \"kworker*\")"

#define MAX_CPUS 256
static int count_fd[NCOUNT][MAX_CPUS];
static int ncpus;
static const char *method = "?";
static char tracing[64];

static long read_long_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long v = -1;
    if (fscanf(f, "%ld", &v) != 1) v = -1;
    fclose(f);
    return v;
}

static void find_tracing(void) {
    const char *c[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
    for (int i = 0; i < 2; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/events/kmem/kmem_cache_alloc/id", c[i]);
        if (access(p, R_OK) == 0) { snprintf(tracing, sizeof tracing, "%s", c[i]); return; }
    }
    if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
        access("/sys/kernel/tracing/events/kmem/kmem_cache_alloc/id", R_OK) == 0) {
        snprintf(tracing, sizeof tracing, "/sys/kernel/tracing");
        return;
    }
    die(3, "no tracefs with kmem tracepoints: /sys/kernel/tracing is not mounted and could not be mounted (%s)%s",
        strerror(errno), geteuid() ? "; not root" : "");
}

static unsigned long ksym(const char *name) {
    FILE *f = fopen("/proc/kallsyms", "r");
    if (!f) die(3, "cannot read /proc/kallsyms: %s", strerror(errno));
    char line[512], sym[256], type;
    unsigned long addr, found = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lx %c %255s", &addr, &type, sym) == 3 && !strcmp(sym, name)) { found = addr; break; }
    fclose(f);
    if (!found) die(3, "symbol %s not in /proc/kallsyms (or its addresses are hidden: kptr_restrict, not root)", name);
    return found;
}

static int open_counter(long id, const char *filter, int cpu, int cgroup_fd) {
    struct perf_event_attr pa;
    memset(&pa, 0, sizeof pa);
    pa.type = PERF_TYPE_TRACEPOINT;
    pa.size = sizeof pa;
    pa.config = (unsigned long long)id;
    pa.disabled = 1;
    pa.sample_period = 0;
    int pid = cgroup_fd >= 0 ? cgroup_fd : -1;
    unsigned long flags = cgroup_fd >= 0 ? PERF_FLAG_PID_CGROUP : 0;
    int fd = (int)syscall(SYS_perf_event_open, &pa, pid, cpu, -1, flags);
    if (fd < 0) return -errno;
    if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter)) {
        int e = errno;
        close(fd);
        die(3, "perf tracepoint filter '%s' refused: %s", filter, strerror(e));
    }
    return fd;
}

static char cgroup_path[256];

static int make_cgroup(void) {
    const char *root = "/sys/fs/cgroup/unified";
    char probe_file[300];
    snprintf(probe_file, sizeof probe_file, "%s/cgroup.procs", root);
    if (access(probe_file, W_OK)) {
        root = "/sys/fs/cgroup";
        snprintf(probe_file, sizeof probe_file, "%s/cgroup.controllers", root);
        if (access(probe_file, R_OK)) return -1;
    }
    snprintf(cgroup_path, sizeof cgroup_path, "%s/rmaplab-probe-%d", root, (int)getpid());
    if (mkdir(cgroup_path, 0755)) return -1;
    char procs[300];
    snprintf(procs, sizeof procs, "%s/cgroup.procs", cgroup_path);
    FILE *f = fopen(procs, "w");
    if (!f) { rmdir(cgroup_path); cgroup_path[0] = 0; return -1; }
    fprintf(f, "%d\n", (int)getpid());
    if (fclose(f)) { rmdir(cgroup_path); cgroup_path[0] = 0; return -1; }
    return open(cgroup_path, O_RDONLY | O_DIRECTORY);
}

static void leave_cgroup(void) {
    if (!cgroup_path[0]) return;
    const char *parent = strstr(cgroup_path, "/unified/") ? "/sys/fs/cgroup/unified/cgroup.procs" : "/sys/fs/cgroup/cgroup.procs";
    FILE *f = fopen(parent, "w");
    if (f) { fprintf(f, "%d\n", (int)getpid()); fclose(f); }
    for (int i = 0; i < 50 && rmdir(cgroup_path) && errno == EBUSY; i++) usleep(20000);
}

static void setup_counters(void) {
    if (geteuid() != 0) die(3, "not root: reading /proc/kallsyms addresses, /proc/PID/pagemap frames and kpagecount needs root");
    find_tracing();
    char p[128];
    snprintf(p, sizeof p, "%s/events/kmem/kmem_cache_alloc/id", tracing);
    long alloc_id = read_long_file(p);
    snprintf(p, sizeof p, "%s/events/kmem/kmem_cache_free/id", tracing);
    long free_id = read_long_file(p);
    if (alloc_id < 0 || free_id < 0) die(3, "cannot read the kmem tracepoint ids under %s", tracing);
    /* true anon_vma_chain objects are allocated and freed from mm/rmap.c's anon_vma functions,
       which lie between __anon_vma_prepare and the next function after anon_vma_fork */
    unsigned long lo = ksym("__anon_vma_prepare"), hi = ksym("__pfx_folio_get_anon_vma");
    const char *inside[] = {"anon_vma_clone", "anon_vma_fork", "unlink_anon_vmas"};
    for (int i = 0; i < 3; i++) {
        unsigned long a = ksym(inside[i]);
        if (a < lo || a >= hi) die(3, "%s is outside [__anon_vma_prepare, folio_get_anon_vma): this kernel's layout differs", inside[i]);
    }
    char filt[NCOUNT][256];
    snprintf(filt[C_AV_A], 256, "name == \"anon_vma\"");
    snprintf(filt[C_AV_F], 256, "name == \"anon_vma\"");
    snprintf(filt[C_AVC_A], 256, "name == \"anon_vma_chain\" && call_site >= 0x%lx && call_site < 0x%lx", lo, hi);
    snprintf(filt[C_AVC_F], 256, "name == \"anon_vma_chain\" && call_site >= 0x%lx && call_site < 0x%lx", lo, hi);
    snprintf(filt[C_VMA_A], 256, "name == \"vm_area_struct\"");
    snprintf(filt[C_VMA_F], 256, "name == \"vm_area_struct\"");
    snprintf(filt[C_OTHER_A], 256, "name == \"anon_vma_chain\" && (call_site < 0x%lx || call_site >= 0x%lx)", lo, hi);
    snprintf(filt[C_OTHER_F], 256, "name == \"anon_vma_chain\" && (call_site < 0x%lx || call_site >= 0x%lx)", lo, hi);
    snprintf(filt[C_BG_F], 256, "name == \"anon_vma\" && " KTHREAD_COMMS);
    ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
    if (ncpus > MAX_CPUS) ncpus = MAX_CPUS;
    int cg = make_cgroup();
    method = cg >= 0 ? "cgroup" : "system-wide";
    for (int c = 0; c < NCOUNT; c++)
        for (int cpu = 0; cpu < ncpus; cpu++) {
            int fd = open_counter(c % 2 == 0 && c != C_BG_F ? alloc_id : free_id, filt[c], cpu, c == C_BG_F ? -1 : cg);
            if (fd == -ENODEV && cpu > 0) { count_fd[c][cpu] = -1; continue; } /* CPU not present */
            if (fd < 0 && cg >= 0 && c == 0 && cpu == 0) { /* cgroup events refused: count system-wide */
                leave_cgroup();
                cg = -1;
                method = "system-wide";
                fd = open_counter(alloc_id, filt[c], cpu, -1);
            }
            if (fd < 0) die(3, "perf_event_open on kmem tracepoints refused: %s (perf_event_paranoid=%ld)", strerror(-fd),
                            read_long_file("/proc/sys/kernel/perf_event_paranoid"));
            count_fd[c][cpu] = fd;
        }
    if (cg >= 0) close(cg);
}

static void counters(int on) {
    for (int c = 0; c < NCOUNT; c++)
        for (int cpu = 0; cpu < ncpus; cpu++)
            if (count_fd[c][cpu] >= 0) ioctl(count_fd[c][cpu], on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

static long long total(int c) {
    long long sum = 0;
    for (int cpu = 0; cpu < ncpus; cpu++) {
        unsigned long long v = 0;
        if (count_fd[c][cpu] >= 0 && read(count_fd[c][cpu], &v, sizeof v) == sizeof v) sum += (long long)v;
    }
    return sum;
}

/* ------------------------------------------------------------------ controller */

static char **slot_names;

/* Whether a task has ended: no /proc entry, or a zombie / dead entry. */
static int task_gone(int s) {
    char p[64], buf[4096];
    snprintf(p, sizeof p, "/proc/%d/task/%d/stat", slots[s].pid, slots[s].tid);
    int fd = open(p, O_RDONLY);
    if (fd < 0) return 1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 1;
    buf[n] = 0;
    char *rp = strrchr(buf, ')');
    return rp && (rp[2] == 'Z' || rp[2] == 'X');
}

static void wait_gone(int s) {
    /* The task acknowledged its exit; wait until the kernel has finished it (zombie or reaped),
       so that a last user's exit_mmap has run before the next op or the measurement. */
    for (int i = 0; i < 200000; i++) {
        if (task_gone(s)) return;
        usleep(50);
    }
    die(4, "task %s did not finish its exit", slot_names[s]);
}

static long long err_count[OP_COUNT][200];

static void spawn_worker(int slot) {
    char a1[32], a2[32];
    snprintf(a1, sizeof a1, "%d", memfd);
    snprintf(a2, sizeof a2, "%d", slot);
    char *argv[] = {self_exe, "--worker", a1, a2, "0", NULL};
    char *envp[] = {"LC_ALL=C", env_dir, NULL};
    pid_t p = vfork(); /* no copy of the controller's address space */
    if (p == 0) {
        execve(self_exe, argv, envp);
        _exit(127);
    }
    if (p < 0) die(4, "spawn: %s", strerror(errno));
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!slots[slot].alive) {
        if (seconds_since(&t0) >= OP_DEADLINE_S)
            die(4, "%s: task %s (pid %d) did not start in %d s", workload_path, slot_names[slot], (int)p, OP_DEADLINE_S);
        sched_yield();
    }
}

/* Waits until a task has acknowledged command seq.  FUTEX_WAIT is given the value
   just tested: reading done_seq again for the call would sleep for ever when the
   task answers in between (its wake-up would already have been spent). */
static void wait_done(const struct op *o, int seq) {
    volatile int *done = &slots[o->task].done_seq;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int v = __atomic_load_n(done, __ATOMIC_SEQ_CST);
        if (v == seq) return;
        futex_wait_1s(done, v);
        if (__atomic_load_n(done, __ATOMIC_SEQ_CST) == seq) return;
        /* (not during an exec: a non-leader thread that execs takes the leader's pid) */
        if (o->kind != OP_EXEC && task_gone(o->task))
            die(4, "%s:%ld: task %s died while running '%s'", workload_path, o->line, slot_names[o->task],
                op_names[o->kind]);
        if (seconds_since(&t0) >= OP_DEADLINE_S)
            die(4, "%s:%ld: task %s did not finish '%s' in %d s", workload_path, o->line, slot_names[o->task],
                op_names[o->kind], OP_DEADLINE_S);
    }
}

static void run_all(void) {
    for (int i = 0; i < nops; i++) {
        struct op *o = &ops[i];
        if (o->kind == OP_SPAWN) {
            spawn_worker(o->task);
            continue;
        }
        struct slot *sl = &slots[o->task];
        sl->op = *o;
        int seq = sl->cmd_seq + 1;
        __atomic_store_n(&sl->cmd_seq, seq, __ATOMIC_SEQ_CST);
        futex(&sl->cmd_seq, FUTEX_WAKE, 1);
        wait_done(o, seq);
        if (o->kind == OP_EXIT) wait_gone(o->task);
        if (o->kind == OP_TOUCH && sl->err < 0) err_count[OP_TOUCH][0] += -sl->err;
        else if (sl->err > 0 && sl->err < 200) err_count[o->kind][sl->err]++;
    }
}

static const char *errno_name(int e) {
    switch (e) {
    case EPERM: return "EPERM"; case ENOENT: return "ENOENT"; case EAGAIN: return "EAGAIN"; case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT"; case EBUSY: return "EBUSY"; case EEXIST: return "EEXIST"; case EINVAL: return "EINVAL";
    case EACCES: return "EACCES"; default: return "E?";
    }
}

static void dump_pages(FILE *out) {
    int kc = open("/proc/kpagecount", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
    if (kc < 0 || kf < 0) die(3, "cannot read /proc/kpagecount or /proc/kpageflags: %s", strerror(errno));
    for (int s = 0; s < nslots; s++) {
        if (!slots[s].alive) continue;
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/task/%d/maps", slots[s].pid, slots[s].tid);
        FILE *m = fopen(p, "r");
        snprintf(p, sizeof p, "/proc/%d/task/%d/pagemap", slots[s].pid, slots[s].tid);
        int pm = open(p, O_RDONLY);
        if (!m || pm < 0) die(4, "cannot read the maps or pagemap of task %s", slot_names[s]);
        char line[512];
        while (fgets(line, sizeof line, m)) {
            unsigned long st, en;
            if (sscanf(line, "%lx-%lx", &st, &en) != 2 || st < BASE || st >= BASE + SPAN) continue;
            for (unsigned long va = st; va < en; va += PAGE) {
                uint64_t e = 0, cnt = 0, fl = 0;
                if (pread(pm, &e, 8, (off_t)(va / PAGE * 8)) != 8 || !(e >> 63 & 1)) continue;
                uint64_t pfn = e & ((1ULL << 55) - 1);
                if (pread(kc, &cnt, 8, (off_t)(pfn * 8)) != 8 || pread(kf, &fl, 8, (off_t)(pfn * 8)) != 8)
                    die(4, "cannot read kpagecount/kpageflags of frame 0x%llx", (unsigned long long)pfn);
                const char *kind = (fl >> 24 & 1) ? "zero" : (fl >> 12 & 1) ? "anon" : "file";
                fprintf(out, "page %s 0x%lx 0x%llx %llu %s%s%s\n", slot_names[s], (va - BASE) / PAGE,
                        (unsigned long long)pfn, (unsigned long long)cnt, kind, (fl >> 22 & 1) ? " thp" : "",
                        (fl >> 21 & 1) ? " ksm" : "");
            }
        }
        fclose(m);
        close(pm);
    }
    close(kc);
    close(kf);
}

static void cleanup(void) {
    for (int s = 0; s < nslots; s++)
        if (slots && slots[s].alive && slots[s].pid > 0) kill(slots[s].pid, SIGKILL);
    while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR) { }
    leave_cgroup();
    if (tmpdir[0]) {
        for (int i = 0; i < nfiles; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/f%d", tmpdir, i);
            unlink(path);
        }
        rmdir(tmpdir);
    }
}

static void on_term(int sig) {
    (void)sig;
    exit(5); /* runs cleanup(): workers killed, the cgroup and the files removed */
}

static int detect_zero_page(void) {
    if (geteuid() != 0) die(3, "not root: reading frame numbers from /proc/self/pagemap needs root");
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    volatile char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die(4, "mmap: %s", strerror(errno));
    (void)p[0];
    int pm = open("/proc/self/pagemap", O_RDONLY), kf = open("/proc/kpageflags", O_RDONLY);
    if (pm < 0 || kf < 0) die(3, "cannot read /proc/self/pagemap or /proc/kpageflags: %s", strerror(errno));
    uint64_t e = 0, fl = 0;
    if (pread(pm, &e, 8, (off_t)((unsigned long)p / PAGE * 8)) != 8) die(4, "pagemap: %s", strerror(errno));
    if (!(e >> 63 & 1)) { printf("zero-page unknown (the read left no page present)\n"); return 0; }
    uint64_t pfn = e & ((1ULL << 55) - 1);
    if (pread(kf, &fl, 8, (off_t)(pfn * 8)) != 8) die(4, "kpageflags: %s", strerror(errno));
    printf("zero-page %s\n", (fl >> 24 & 1) ? "on" : "off");
    return 0;
}

int main(int argc, char **argv) {
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0) die(4, "cannot find my own executable");
    self_exe[n] = 0;
    if (argc == 5 && !strcmp(argv[1], "--worker")) return worker_main(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    if (argc == 2 && !strcmp(argv[1], "--detect-zero-page")) return detect_zero_page();
    int skeleton = argc == 3 && !strcmp(argv[1], "--skeleton");
    if (argc != 2 + skeleton || argv[1 + skeleton][0] == '-') {
        fprintf(stderr, "usage: rmaplab-probe [--skeleton] FILE | --detect-zero-page\n");
        return 2;
    }
    workload_path = argv[1 + skeleton];
    parse(workload_path, skeleton);
    if (nslots == 0) die(2, "%s: no tasks", argv[1 + skeleton]);
    struct rlimit rl = {65536, 65536};
    setrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_NPROC, &rl);

    /* names of slots, for the page dump: names are appended in slot order */
    slot_names = calloc((size_t)nslots, sizeof *slot_names);
    for (int i = 0; i < nnames; i++) slot_names[i] = names[i].s;
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); /* orphaned workers come back here to be reaped */

    /* files for file mappings, big enough for every mapping of them */
    if (nfiles) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/rmaplab-probe-XXXXXX");
        if (!mkdtemp(tmpdir)) die(4, "mkdtemp: %s", strerror(errno));
        for (int i = 0; i < nfiles; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/f%d", tmpdir, i);
            int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
            if (fd < 0 || ftruncate(fd, (off_t)(file_pages[i] * PAGE))) die(4, "%s: %s", path, strerror(errno));
            close(fd);
        }
    }
    snprintf(env_dir, sizeof env_dir, "RMAPLAB_PROBE_DIR=%s", tmpdir);
    memfd = (int)syscall(SYS_memfd_create, "rmaplab-mailbox", 0);
    if (memfd < 0) die(4, "memfd_create: %s", strerror(errno));
    size_t bytes = ((size_t)nslots * sizeof(struct slot) + PAGE - 1) / PAGE * PAGE;
    if (ftruncate(memfd, (off_t)bytes)) die(4, "ftruncate: %s", strerror(errno));
    map_mailbox(memfd);
    memset(slots, 0, bytes);

    atexit(cleanup);
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    signal(SIGHUP, on_term);
    setup_counters();
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    counters(1);
    run_all();
    counters(0);
    long long v[NCOUNT];
    for (int c = 0; c < NCOUNT; c++) v[c] = total(c);
    printf("rmaplab-probe 1\n");
    printf("method %s\n", method);
    printf("mode %s\n", skeleton ? "skeleton" : "workload");
    printf("objects anon_vma alloc %lld free %lld\n", v[C_AV_A], v[C_AV_F]);
    printf("objects anon_vma_chain alloc %lld free %lld\n", v[C_AVC_A], v[C_AVC_F]);
    printf("objects vm_area_struct alloc %lld free %lld\n", v[C_VMA_A], v[C_VMA_F]);
    printf("excluded anon_vma_chain_other alloc %lld free %lld\n", v[C_OTHER_A], v[C_OTHER_F]);
    printf("background anon_vma free %lld\n", v[C_BG_F]);
    if (err_count[OP_TOUCH][0]) printf("error touch SIGSEGV %lld\n", err_count[OP_TOUCH][0]);
    for (int k = 0; k < OP_COUNT; k++)
        for (int e = 1; e < 200; e++)
            if (err_count[k][e]) printf("error %s %s %lld\n", op_names[k], errno_name(e), err_count[k][e]);
    dump_pages(stdout);
    printf("end\n");
    fflush(stdout);
    return 0;
}
