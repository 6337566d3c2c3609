#!/usr/bin/env python3
"""A known process tree for checking `rmaplab survey` against the kernel's slab counts.

survey-tree.py N K: maps N one-page private anonymous regions (one page apart, so
they cannot merge), writes each, then forks K children that keep them all and
sleep. Every region then has 1 + K anon_vmas and 1 + 2K anon_vma_chains in the
kernel (anon_vma_fork: the child's own anon_vma, linked to it and to the parent's),
so the tree adds about N(1+K) anon_vmas and N(1+2K) chains on top of Python's own.
Prints READY PID when the tree is up; ends (children too) on SIGTERM or SIGINT.
"""
import ctypes
import os
import signal
import sys

N, K = int(sys.argv[1]), int(sys.argv[2])
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
PROT_RW, MAP_PRIVATE, MAP_ANON, MAP_FIXED_NOREPLACE = 3, 0x02, 0x20, 0x100000
BASE, PAGE = 0x300000000000, 4096
for i in range(N):
    a = libc.mmap(BASE + 2 * i * PAGE, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE, -1, 0)
    if a != BASE + 2 * i * PAGE:
        sys.exit("mmap failed at region %d: errno %d" % (i, ctypes.get_errno()))
    ctypes.c_char.from_address(a).value = b"x"
children = []
for k in range(K):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        while True:
            signal.pause()
    children.append(pid)


def stop(*_):
    for c in children:
        os.kill(c, signal.SIGTERM)
    for c in children:
        os.waitpid(c, 0)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
print("READY", os.getpid(), flush=True)
while True:
    signal.pause()
