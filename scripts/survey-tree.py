#!/usr/bin/env python3
"""A known process tree for checking `rmaplab survey` against the kernel's slab counts.

survey-tree.py N K [MODE]: maps N one-page private anonymous regions (one page apart,
so they cannot merge) and writes each, then makes K processes that inherit them:
  flat      (default) K children of the first process, each keeping every region
  chain     a chain: the first process forks a child, which forks the next, K deep
  keep-one  K children (K <= N); child k unmaps every region but region k
            (the case from the linux-mm thread)
Prints READY PID when the tree is up; ends, with every process of it, on SIGTERM or
SIGINT to PID.
"""
import ctypes
import os
import signal
import sys

N, K = int(sys.argv[1]), int(sys.argv[2])
MODE = sys.argv[3] if len(sys.argv) > 3 else "flat"
if MODE not in ("flat", "chain", "keep-one") or (MODE == "keep-one" and K > N):
    sys.exit("usage: survey-tree.py N K [flat|chain|keep-one]   (keep-one needs K <= N)")
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
PROT_RW, MAP_PRIVATE, MAP_ANON, MAP_FIXED_NOREPLACE = 3, 0x02, 0x20, 0x100000
BASE, PAGE = 0x300000000000, 4096
for i in range(N):
    a = libc.mmap(BASE + 2 * i * PAGE, PAGE, PROT_RW, MAP_PRIVATE | MAP_ANON | MAP_FIXED_NOREPLACE, -1, 0)
    if a != BASE + 2 * i * PAGE:
        sys.exit("mmap failed at region %d: errno %d" % (i, ctypes.get_errno()))
    ctypes.c_char.from_address(a).value = b"x"

children = []


def stop(*_):
    for c in children:
        os.kill(c, signal.SIGTERM)
    for c in children:
        os.waitpid(c, 0)
    os._exit(0)


def fork():
    """A child that will end its own children on SIGTERM; returns the pid in the parent, 0 in the child."""
    pid = os.fork()
    if pid == 0:
        children.clear()
    else:
        children.append(pid)
    return pid


def sleep_forever():
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        signal.pause()


root = os.getpid()
r, w = os.pipe()
if MODE == "chain":
    for depth in range(K):
        if fork() != 0:
            break  # this process stays at its depth; the child goes on
    if os.getpid() != root:
        if len(children) == 0:
            os.write(w, b"x")  # the deepest one is up: the whole chain is
        sleep_forever()
else:
    for k in range(K):
        if fork() == 0:
            if MODE == "keep-one":
                for i in range(N):
                    if i != k:
                        libc.munmap(BASE + 2 * i * PAGE, PAGE)
            os.write(w, b"x")
            sleep_forever()
ups = 1 if MODE == "chain" and K > 0 else K
got = 0
while got < ups:
    got += len(os.read(r, ups - got))
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
print("READY", os.getpid(), flush=True)
while True:
    signal.pause()
