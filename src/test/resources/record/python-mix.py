import mmap, os, threading, subprocess
m = mmap.mmap(-1, 16 * 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
m[0:4] = b"abcd"
m.resize(64 * 4096)          # mremap
m.madvise(mmap.MADV_DONTFORK, 0, 4096 * 4)
m[60 * 4096] = 1
p = mmap.mmap(-1, 8 * 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE)
m.madvise(mmap.MADV_DONTNEED, 0, 4096)
m.madvise(mmap.MADV_HUGEPAGE, 0, 4096 * 16)
pid = os.fork()
if pid == 0:
    m[8 * 4096] = 2
    os._exit(0)
os.waitpid(pid, 0)
t = threading.Thread(target=lambda: bytearray(300000)); t.start(); t.join()
subprocess.run(["/bin/true"])
