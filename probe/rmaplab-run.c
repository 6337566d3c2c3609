/*
 * rmaplab-run: executes an rmaplab workload (format version 1) with real
 * tasks on the running kernel, as fast as the kernel lets it, and prints how
 * long the kernel took. `rmaplab bench FILE --kernel` runs it beside the
 * simulator (docs/bench.md).
 *
 *   rmaplab-run FILE          run the workload once, print the timing lines
 *   rmaplab-run --handoff N   time N hand-offs between two processes only
 *
 * Unlike rmaplab-probe (probe/README.md), which hands every op to its task
 * through a mailbox and waits for the answer, no coordinator stands between
 * the ops here: every task executes its own ops from a list compiled before
 * the clock starts, and passes a token directly to the task that owns the next
 * op in file order, only when that task is another one. A run of ops by one
 * task costs no synchronisation at all; a change of task costs one futex wake
 * and one futex wait (a "hand-off", counted and timed: docs/bench.md).
 * File order is kept across tasks because it decides the kernel's work: a
 * fork after a child's exit may reuse an anon_vma (anon_vma_fork), a write
 * fault after the other sharer's may find the folio exclusive.
 *
 * The ops do what the probe's do (same addresses, flags, PR_SET_THP_DISABLE,
 * SIGSEGV caught in touch); the parser follows the probe's. An `exit` is
 * complete when the kernel has finished the task (pidfd readable, or the
 * thread gone), so a last user's exit_mmap is inside the timed run.
 *
 * Output (one `key value` per line): rmaplab-run 1, ops, tasks, handoffs,
 * handoff_ns (measured in the same run), run_ns (first op to last op done),
 * teardown_ns (every task still alive told to exit, until all are reaped),
 * error OP ERRNO COUNT, end.
 * Exit status: 0 ok, 2 bad workload (FILE:LINE: ...), 4 an internal error
 * (a task died, or an op did not finish in 120 s).
 *
 * Plain C99 with Linux calls; built by scripts/build-run.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define PAGE 4096UL
/* as in the probe: workload page A lives at BASE + A * PAGE */
#define BASE 0x200000000000UL
#define SPAN 0x100000000000UL

enum { OP_SPAWN, OP_FORK, OP_THREAD, OP_VFORK, OP_EXEC, OP_EXIT, OP_NOFORK, OP_MMAP, OP_MUNMAP,
       OP_MPROTECT, OP_MREMAP, OP_MADVISE, OP_TOUCH, OP_WALK, OP_MIGRATE, OP_COUNT };
static const char *op_names[OP_COUNT] = {"spawn", "fork", "thread", "vfork", "exec", "exit", "nofork", "mmap",
    "munmap", "mprotect", "mremap", "madvise", "touch", "walk", "migrate"};

enum { K_ANON, K_SHARED, K_STACK, K_FILE, K_SHARED_FILE };

struct op {
    int kind, task, child;   /* task and child are slot numbers */
    int next_own;            /* the next op of the same task, or -1 */
    int child_first;         /* fork, thread, vfork: the child's first op, or -1 */
    int last_of_group;       /* exit: the task is the last live one of its process */
    long line;
    unsigned long addr, len, naddr, nlen, pgoff;
    int prot, mkind, advice, write, file;
    int mflags;
    int fixed;               /* FLAGS has fixed: MAP_FIXED (replace) instead of MAP_FIXED_NOREPLACE */
};

#define MAX_ERRNO 200
/* The shared part: one memfd every task maps (also after exec). */
struct shared {
    int nops, nslots, nfiles;
    volatile int go_coord;           /* the coordinator's token: the op it may run next */
    volatile int failed;             /* a task hit an internal error: everyone stops */
    volatile int finish;             /* teardown: every task still alive exits */
    volatile long long progress;     /* ops done: the coordinator's stall check */
    long long handoffs;              /* counted by the task that passes */
    long long errs[OP_COUNT][MAX_ERRNO];
    char tmpdir[256];
    char fail_msg[512];
};
/* after it: int go[nslots]; int pid[nslots]; int tid[nslots]; int wait_exit[nops + 1]; struct op ops[nops] */

static struct shared *sh;
static volatile int *go, *tpid, *ttid, *wait_exit;
static struct op *ops;
static int memfd = -1;
static char self_exe[4096];
static const char *workload_path = "?";

static void die(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rmaplab-run: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(status);
}

static long futex(volatile int *addr, int op, int val, const struct timespec *t) {
    return syscall(SYS_futex, (int *)addr, op, val, t, NULL, 0);
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* ------------------------------------------------------------------ parsing (as rmaplab-probe's) */

struct name { char *s; int slot; int group; };
static struct name *names;
static int nnames, cap_names, nslots;
#define MAX_FILES 64
static char *file_names[MAX_FILES];
static unsigned long file_pages[MAX_FILES];
static int nfiles;
static struct op *pops;
static int nops, cap_ops;
static int *slot_group, cap_groups, ngroups;
static int *group_live;

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

static void bad(long line, const char *what) { die(2, "%s:%ld: %s", workload_path, line, what); }

/* a new slot in process group g (g < 0: a new process) */
static int new_slot(const char *name, int g) {
    if (nnames + 1 > cap_names) {
        cap_names = cap_names ? 2 * cap_names : 64;
        names = realloc(names, (size_t)cap_names * sizeof *names);
    }
    if (nslots + 1 > cap_groups) {
        cap_groups = cap_groups ? 2 * cap_groups : 64;
        slot_group = realloc(slot_group, (size_t)cap_groups * sizeof *slot_group);
        group_live = realloc(group_live, (size_t)cap_groups * sizeof *group_live);
    }
    if (g < 0) { g = ngroups++; group_live[g] = 0; }
    group_live[g]++;
    slot_group[nslots] = g;
    names[nnames].s = strdup(name);
    names[nnames].slot = nslots;
    nnames++;
    return nslots++;
}

static void parse(const char *path) {
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
            if (nt != 2 || strcmp(tok[0], "rmaplab-workload") || strcmp(tok[1], "1")) bad(line, "missing header 'rmaplab-workload 1'");
            header = 1;
            continue;
        }
        if (nt < 2) bad(line, "missing op");
        struct op o;
        memset(&o, 0, sizeof o);
        o.line = line;
        o.kind = -1;
        o.next_own = -1;
        for (int k = 0; k < OP_COUNT; k++) if (!strcmp(tok[1], op_names[k])) o.kind = k;
        if (o.kind < 0) bad(line, "unknown op");
        if (o.kind == OP_SPAWN) {
            if (nt != 2) bad(line, "spawn takes no argument");
            if (lookup(tok[0]) >= 0) bad(line, "task already exists");
            o.task = new_slot(tok[0], -1);
        } else {
            int i = lookup(tok[0]);
            if (i < 0) bad(line, "task does not exist");
            o.task = names[i].slot;
            if (o.kind == OP_EXIT) {
                names[i].slot = -1;
                o.last_of_group = --group_live[slot_group[o.task]] == 0;
            }
        }
        if (o.kind == OP_FORK || o.kind == OP_THREAD || o.kind == OP_VFORK) {
            if (nt != 3) bad(line, "missing or extra argument");
            if (lookup(tok[2]) >= 0) bad(line, "task already exists");
            o.child = new_slot(tok[2], o.kind == OP_THREAD ? slot_group[o.task] : -1);
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
            if (nt != 2 + need && !(o.kind == OP_MMAP && nt == 3 + need)) bad(line, "wrong number of arguments");
            if (parse_num(tok[2], &o.addr) || parse_num(tok[3], &o.len) || o.len == 0) bad(line, "bad ADDR or LEN");
            if (o.addr + o.len > SPAN / PAGE) bad(line, "address beyond the runner's span");
        }
        if (o.kind == OP_MMAP) {
            if ((o.prot = parse_prot(tok[4])) < 0) bad(line, "bad PROT");
            char *k = tok[5];
            if (!strcmp(k, "anon")) o.mkind = K_ANON;
            else if (!strcmp(k, "shared")) o.mkind = K_SHARED;
            else if (!strcmp(k, "stack")) o.mkind = K_STACK;
            else {
                int shared = !strncmp(k, "shared-file=", 12);
                if (!shared && strncmp(k, "file=", 5)) bad(line, "bad KIND");
                char *n = strchr(k, '=') + 1, *at = strrchr(n, '@');
                if (!at) bad(line, "bad KIND");
                *at = 0;
                if (parse_num(at + 1, &o.pgoff)) bad(line, "bad PGOFF");
                o.mkind = shared ? K_SHARED_FILE : K_FILE;
                o.file = file_index(n);
                if (o.pgoff + o.len > file_pages[o.file]) file_pages[o.file] = o.pgoff + o.len;
            }
            if (nt == 7) {
                size_t n6 = strlen(tok[6]);
                if (tok[6][0] == ',' || tok[6][n6 - 1] == ',' || strstr(tok[6], ",,")) bad(line, "bad FLAGS");
                for (char *fl = strtok(tok[6], ","); fl; fl = strtok(NULL, ",")) {
                    if (!strcmp(fl, "fixed")) {
                        if (o.fixed) bad(line, "bad FLAGS");
                        o.fixed = 1;
                        continue;
                    }
                    int bit = !strcmp(fl, "noreserve") ? MAP_NORESERVE : !strcmp(fl, "stack") ? MAP_STACK : 0;
                    if (!bit || (o.mflags & bit)) bad(line, "bad FLAGS");
                    o.mflags |= bit;
                }
            }
        } else if (o.kind == OP_MPROTECT) {
            if ((o.prot = parse_prot(tok[4])) < 0) bad(line, "bad PROT");
        } else if (o.kind == OP_MREMAP) {
            if (parse_num(tok[4], &o.naddr) || parse_num(tok[5], &o.nlen) || o.nlen == 0) bad(line, "bad NEWADDR or NEWLEN");
            if (o.naddr + o.nlen > SPAN / PAGE) bad(line, "address beyond the runner's span");
        } else if (o.kind == OP_MADVISE) {
            const char *a = tok[4];
            if (!strcmp(a, "dontfork")) o.advice = MADV_DONTFORK;
            else if (!strcmp(a, "dofork")) o.advice = MADV_DOFORK;
            else if (!strcmp(a, "wipeonfork")) o.advice = MADV_WIPEONFORK;
            else if (!strcmp(a, "keeponfork")) o.advice = MADV_KEEPONFORK;
            else if (!strcmp(a, "dontneed")) o.advice = MADV_DONTNEED;
            else if (!strcmp(a, "hugepage")) o.advice = MADV_HUGEPAGE;
            else if (!strcmp(a, "nohugepage")) o.advice = MADV_NOHUGEPAGE;
            else bad(line, "bad ADVICE");
        } else if (o.kind == OP_TOUCH) {
            if (!strcmp(tok[4], "write")) o.write = 1;
            else if (strcmp(tok[4], "read")) bad(line, "bad access");
        }
        if (nops == cap_ops) {
            cap_ops = cap_ops ? 2 * cap_ops : 1024;
            pops = realloc(pops, (size_t)cap_ops * sizeof *pops);
        }
        pops[nops++] = o;
    }
    fclose(f);
    if (!header) bad(line, "missing header 'rmaplab-workload 1'");
    if (nops == 0) die(2, "%s: no ops", path);
}

/* ------------------------------------------------------------------ the token */

#define COORD (-1)
#define DEADLINE_NS (120LL * 1000000000LL)

static int owner(int i) { return i >= sh->nops || ops[i].kind == OP_SPAWN ? COORD : ops[i].task; }
static volatile int *go_of(int s) { return s == COORD ? &sh->go_coord : &go[s]; }

/* Op i is done: let the owner of op i+1 run it (no call when that is the caller itself). */
static void pass(int me, int i) {
    int j = i + 1, t = owner(j);
    volatile int *w = go_of(t);
    if (t == me) { /* the same task goes on: no system call */
        __atomic_store_n(w, j, __ATOMIC_RELAXED);
        return;
    }
    if (j < sh->nops) __atomic_add_fetch(&sh->handoffs, 1, __ATOMIC_RELAXED);
    __atomic_store_n(w, j, __ATOMIC_SEQ_CST);
    futex(w, FUTEX_WAKE, 1, NULL);
}

/* Waits until the token says op i; FUTEX_WAIT gets the value just tested (probe/README.md: a second read
   could see the new value and sleep for a wake-up already spent). 0 = go, -1 = teardown or failure. */
static int await(int me, int i) {
    volatile int *w = go_of(me);
    long long start = now_ns(), seen = -1;
    for (;;) {
        int v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
        if (v == i) return 0;
        if (sh->failed || (sh->finish && me != COORD)) return -1;
        struct timespec t = {me == COORD ? 1 : 10, 0};
        futex(w, FUTEX_WAIT, v, &t);
        if (me == COORD) { /* no op done for 120 s: a task died or hangs */
            long long p = __atomic_load_n(&sh->progress, __ATOMIC_RELAXED);
            if (p != seen) { seen = p; start = now_ns(); }
            else if (now_ns() - start > DEADLINE_NS) return -1;
        }
    }
}

/* Before op i runs: when op i-1 was an exit, wait until the kernel has finished that task. */
static void wait_for_exit(int i) {
    int who = wait_exit[i];
    if (!who) return;
    const struct op *e = &ops[i - 1];
    if (e->last_of_group) {
        /* the process's pidfd becomes readable at exit_notify(), after exit_mm() has run exit_mmap() */
        int fd = (int)syscall(SYS_pidfd_open, tpid[e->task], 0);
        if (fd < 0) return; /* already reaped: gone */
        struct pollfd p = {fd, POLLIN, 0};
        while (poll(&p, 1, 1000) == 0)
            if (sh->failed) break;
        close(fd);
    } else { /* a thread of a process that lives on: wait until the thread is gone */
        while (syscall(SYS_tgkill, tpid[e->task], ttid[e->task], 0) == 0) sched_yield();
    }
}

/* ------------------------------------------------------------------ tasks */

static sigjmp_buf segv_env;
static volatile int in_touch;
static char vfork_stacks[32][64 * 1024] __attribute__((aligned(64)));
static int next_vfork_stack;

static void on_segv(int sig) {
    (void)sig;
    if (in_touch) siglongjmp(segv_env, 1);
    static const char m[] = "a task died of SIGSEGV or SIGBUS outside a touch";
    memcpy(sh->fail_msg, m, sizeof m);
    __atomic_store_n(&sh->failed, 1, __ATOMIC_SEQ_CST);
    futex(&sh->go_coord, FUTEX_WAKE, 1, NULL);
    _exit(99);
}

static void task_setup(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}

static void serve(int s, int first);
static void serve_from(int s, int i);

static void announce(int s) {
    tpid[s] = getpid();
    ttid[s] = (int)syscall(SYS_gettid);
}

struct thread_arg { int s, first; };
static struct thread_arg thread_args[4096];
static int nthread_args;

static void *thread_main(void *arg) {
    struct thread_arg *ta = arg;
    announce(ta->s);
    serve_from(ta->s, ta->first);
    return NULL;
}

static int vfork_child(void *arg) {
    struct thread_arg *ta = arg;
    serve_from(ta->s, ta->first);
    return 0;
}

static void count_error(int kind, int e) {
    if (e > 0 && e < MAX_ERRNO) __atomic_add_fetch(&sh->errs[kind][e], 1, __ATOMIC_RELAXED);
    else if (e < 0) __atomic_add_fetch(&sh->errs[kind][0], 1, __ATOMIC_RELAXED);
}

static void exec_self(int s, int i) {
    char a1[32], a2[32], a3[32];
    snprintf(a1, sizeof a1, "%d", memfd);
    snprintf(a2, sizeof a2, "%d", s);
    snprintf(a3, sizeof a3, "%d", i);
    char *argv[] = {self_exe, "--task", a1, a2, a3, NULL};
    char *envp[] = {"LC_ALL=C", NULL};
    execve(self_exe, argv, envp);
}

static int run_op(struct op *o) {
    unsigned long a = BASE + o->addr * PAGE, l = o->len * PAGE;
    switch (o->kind) {
    case OP_FORK: {
        pid_t p = fork();
        if (p < 0) return errno;
        if (p == 0) {
            announce(o->child);
            serve_from(o->child, o->child_first); /* never returns */
        }
        return 0;
    }
    case OP_THREAD: {
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        if (nthread_args == 4096) return EAGAIN;
        struct thread_arg *ta = &thread_args[nthread_args++];
        ta->s = o->child;
        ta->first = o->child_first;
        int r = pthread_create(&t, &at, thread_main, ta);
        pthread_attr_destroy(&at);
        return r;
    }
    case OP_VFORK: {
        if (next_vfork_stack == 32) return EAGAIN;
        char *stack = vfork_stacks[next_vfork_stack++] + sizeof vfork_stacks[0];
        if (nthread_args == 4096) return EAGAIN;
        struct thread_arg *ta = &thread_args[nthread_args++];
        ta->s = o->child;
        ta->first = o->child_first;
        int pid = clone(vfork_child, stack, CLONE_VM | SIGCHLD, ta);
        if (pid < 0) return errno;
        tpid[o->child] = pid;
        ttid[o->child] = pid;
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
            snprintf(path, sizeof path, "%s/f%d", sh->tmpdir, o->file);
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
        return faults ? -1 : 0;
    }
    default: return 0; /* walk, migrate, nofork: nothing to do on Linux */
    }
}

/* A task's life: its ops in file order, each after the token reaches it. first >= 0: op first
   (a spawn or an exec) is already done by this image, so the task starts by passing the token. */
static void serve(int s, int first) {
    int i = -1;
    if (first >= 0) {
        i = ops[first].next_own;
        pass(s, first);
    }
    serve_from(s, i);
}

static void serve_from(int s, int i) {
    for (; i >= 0; i = ops[i].next_own) {
        if (await(s, i)) break;
        wait_for_exit(i);
        struct op *o = &ops[i];
        if (o->kind == OP_EXEC) {
            exec_self(s, i);
            count_error(OP_EXEC, errno); /* only when the exec failed */
            pass(s, i);
            continue;
        }
        if (o->kind == OP_EXIT) {
            wait_exit[i + 1] = 1;
            pass(s, i);
            syscall(SYS_exit, 0); /* this task only; the process goes with its last thread */
        }
        int e = run_op(o);
        if (e) count_error(o->kind, e);
        __atomic_add_fetch(&sh->progress, 1, __ATOMIC_RELAXED);
        pass(s, i);
    }
    /* no more ops: stay alive (the measurement point is the end of the workload) until teardown */
    while (!sh->finish && !sh->failed) {
        int v = sh->finish;
        struct timespec t = {10, 0};
        futex(&sh->finish, FUTEX_WAIT, v, &t);
    }
    syscall(SYS_exit_group, 0);
}

static void map_shared(int fd) {
    struct stat st;
    if (fstat(fd, &st)) die(4, "shared memory: %s", strerror(errno));
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) die(4, "shared memory: %s", strerror(errno));
    sh = m;
    char *p = (char *)m + sizeof(struct shared);
    go = (volatile int *)p; p += sizeof(int) * (size_t)sh->nslots;
    tpid = (volatile int *)p; p += sizeof(int) * (size_t)sh->nslots;
    ttid = (volatile int *)p; p += sizeof(int) * (size_t)sh->nslots;
    wait_exit = (volatile int *)p; p += sizeof(int) * (size_t)(sh->nops + 1);
    p = (char *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
    ops = (struct op *)p;
}

static int task_main(int fd, int s, int first) {
    memfd = fd;
    map_shared(fd);
    task_setup();
    announce(s);
    serve(s, first);
    return 0;
}

/* ------------------------------------------------------------------ the coordinator */

static void teardown(void) {
    if (!sh) return;
    __atomic_store_n(&sh->finish, 1, __ATOMIC_SEQ_CST);
    futex(&sh->finish, FUTEX_WAKE, 1 << 30, NULL);
    for (int s = 0; s < sh->nslots; s++) futex(&go[s], FUTEX_WAKE, 1 << 30, NULL);
    while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR) { }
}

static void on_term(int sig) {
    (void)sig;
    if (sh) {
        for (int s = 0; s < sh->nslots; s++) if (tpid[s] > 0) kill(tpid[s], SIGKILL);
    }
    _exit(5);
}

static int spawn_task(int s, int i) {
    char a1[32], a2[32], a3[32];
    snprintf(a1, sizeof a1, "%d", memfd);
    snprintf(a2, sizeof a2, "%d", s);
    snprintf(a3, sizeof a3, "%d", i);
    char *argv[] = {self_exe, "--task", a1, a2, a3, NULL};
    char *envp[] = {"LC_ALL=C", NULL};
    pid_t p = vfork(); /* no copy of the coordinator's address space */
    if (p == 0) {
        execve(self_exe, argv, envp);
        _exit(127);
    }
    return p < 0 ? errno : 0;
}

/* Two processes pass a token back and forth n times through the same futex calls as pass()/await(). */
static long long handoff_ns(int n) {
    volatile int *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED) die(4, "mmap: %s", strerror(errno));
    w[0] = w[1] = -1;
    pid_t p = fork();
    if (p < 0) die(4, "fork: %s", strerror(errno));
    if (p == 0) {
        for (int k = 0; k < n; k++) {
            int v;
            while ((v = __atomic_load_n(&w[1], __ATOMIC_SEQ_CST)) != 2 * k) futex(&w[1], FUTEX_WAIT, v, NULL);
            __atomic_store_n(&w[0], 2 * k + 1, __ATOMIC_SEQ_CST);
            futex(&w[0], FUTEX_WAKE, 1, NULL);
        }
        _exit(0);
    }
    long long t0 = now_ns();
    for (int k = 0; k < n; k++) {
        __atomic_store_n(&w[1], 2 * k, __ATOMIC_SEQ_CST);
        futex(&w[1], FUTEX_WAKE, 1, NULL);
        int v;
        while ((v = __atomic_load_n(&w[0], __ATOMIC_SEQ_CST)) != 2 * k + 1) futex(&w[0], FUTEX_WAIT, v, NULL);
    }
    long long t = now_ns() - t0;
    waitpid(p, NULL, 0);
    munmap((void *)w, PAGE);
    return t / (2LL * n);
}

static const char *errno_name(int e) {
    switch (e) {
    case 0: return "SIGSEGV";
    case ENOMEM: return "ENOMEM";
    case EINVAL: return "EINVAL";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    default: return strerror(e);
    }
}

int main(int argc, char **argv) {
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0) die(4, "cannot find my own executable");
    self_exe[n] = 0;
    if (argc == 5 && !strcmp(argv[1], "--task")) return task_main(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
    if (argc == 3 && !strcmp(argv[1], "--handoff")) {
        printf("handoff_ns %lld\n", handoff_ns(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1000));
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: rmaplab-run FILE | --handoff N\n");
        return 2;
    }
    workload_path = argv[1];
    parse(workload_path);
    /* each task's chain: next_own links its ops in file order (a spawn op heads its task's chain) */
    int *last = malloc(sizeof(int) * (size_t)nslots);
    for (int s = 0; s < nslots; s++) last[s] = -1;
    for (int i = 0; i < nops; i++) {
        int s = pops[i].task;
        if (last[s] >= 0) pops[last[s]].next_own = i;
        last[s] = i;
    }
    free(last);
    /* a created task's first op: the first op with its slot after the one that creates it */
    int *first = malloc(sizeof(int) * (size_t)nslots);
    for (int s = 0; s < nslots; s++) first[s] = -1;
    for (int i = nops - 1; i >= 0; i--) if (pops[i].kind != OP_SPAWN) first[pops[i].task] = i;
    for (int i = 0; i < nops; i++)
        pops[i].child_first = pops[i].kind == OP_FORK || pops[i].kind == OP_THREAD || pops[i].kind == OP_VFORK
                              ? first[pops[i].child] : -1;
    free(first);
    struct rlimit rl = {65536, 65536};
    setrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_NPROC, &rl);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); /* orphaned tasks come back here to be reaped */

    memfd = (int)syscall(SYS_memfd_create, "rmaplab-run", 0);
    if (memfd < 0) die(4, "memfd_create: %s", strerror(errno));
    size_t bytes = sizeof(struct shared) + sizeof(int) * (3 * (size_t)nslots + (size_t)nops + 1) + 16
                   + sizeof(struct op) * (size_t)nops;
    bytes = (bytes + PAGE - 1) / PAGE * PAGE;
    if (ftruncate(memfd, (off_t)bytes)) die(4, "ftruncate: %s", strerror(errno));
    {
        struct shared *h = mmap(NULL, sizeof *h, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
        if (h == MAP_FAILED) die(4, "mmap: %s", strerror(errno));
        h->nops = nops;
        h->nslots = nslots;
        h->nfiles = nfiles;
        munmap(h, sizeof *h);
    }
    map_shared(memfd);
    memcpy(ops, pops, sizeof(struct op) * (size_t)nops);
    free(pops);
    for (int s = 0; s < nslots; s++) go[s] = -1;
    sh->go_coord = -1;
    if (nfiles) {
        snprintf(sh->tmpdir, sizeof sh->tmpdir, "/tmp/rmaplab-run-XXXXXX");
        if (!mkdtemp(sh->tmpdir)) die(4, "mkdtemp: %s", strerror(errno));
        for (int i = 0; i < nfiles; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/f%d", sh->tmpdir, i);
            int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
            if (fd < 0 || ftruncate(fd, (off_t)(file_pages[i] * PAGE))) die(4, "%s: %s", path, strerror(errno));
            close(fd);
        }
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    signal(SIGHUP, on_term);
    long long hns = handoff_ns(2000);

    /* the coordinator owns the spawns and the end (op nops) */
    long long t0 = now_ns(), t1 = 0;
    int ok = 1;
    if (owner(0) == COORD) sh->go_coord = 0;
    else { go[ops[0].task] = 0; futex(&go[ops[0].task], FUTEX_WAKE, 1, NULL); }
    for (int i = 0; i <= nops; i++) {
        if (owner(i) != COORD) continue;
        if (await(COORD, i)) { ok = 0; break; }
        wait_for_exit(i);
        if (i == nops) { t1 = now_ns(); break; }
        int e = spawn_task(ops[i].task, i); /* the new task passes the token on */
        if (e) { count_error(OP_SPAWN, e); pass(COORD, i); }
    }
    if (!ok) {
        int at = -1;
        for (int s = 0; s < nslots; s++) if (go[s] > at && go[s] < nops) at = go[s];
        const char *why = sh->failed ? sh->fail_msg : "no progress in 120 s";
        fprintf(stderr, "rmaplab-run: %s: stopped: %s", workload_path, why);
        if (at >= 0) fprintf(stderr, " (last op handed on: line %ld, '%s')", ops[at].line, op_names[ops[at].kind]);
        fprintf(stderr, "\n");
        for (int s = 0; s < nslots; s++) if (tpid[s] > 0) kill(tpid[s], SIGKILL);
        teardown();
        return 4;
    }
    long long t2 = now_ns();
    teardown();
    long long t3 = now_ns();
    if (nfiles) {
        for (int i = 0; i < nfiles; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/f%d", sh->tmpdir, i);
            unlink(path);
        }
        rmdir(sh->tmpdir);
    }
    printf("rmaplab-run 1\n");
    printf("ops %d\n", nops);
    printf("tasks %d\n", nslots);
    printf("handoffs %lld\n", sh->handoffs);
    printf("handoff_ns %lld\n", hns);
    printf("run_ns %lld\n", t1 - t0);
    printf("teardown_ns %lld\n", t3 - t2);
    for (int k = 0; k < OP_COUNT; k++)
        for (int e = 0; e < MAX_ERRNO; e++)
            if (sh->errs[k][e]) printf("error %s %s %lld\n", op_names[k], errno_name(e), sh->errs[k][e]);
    printf("end\n");
    return 0;
}
