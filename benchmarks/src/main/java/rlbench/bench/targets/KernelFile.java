package rlbench.bench.targets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import sun.misc.Unsafe;

/**
 * A real file on this machine's kernel, the {@code linux} target: the workloads' calls become the
 * system calls a program makes, and their page faults are the kernel's own.
 * <ul>
 *   <li>A fault is a load or store through a shared {@code mmap} of the file, per thread, as the
 *       simulation maps per thread. Each mapping is {@code MADV_RANDOM}, so a miss reads its one
 *       page (no fault-path readahead), as the simulated fault does. A zap is
 *       {@code madvise(MADV_DONTNEED)} of the page and its neighbours: the kernel's fault-around
 *       maps up to 16 cached neighbours of a faulting page ({@code fault_around_bytes}, 64 KiB by
 *       default), so zapping the page alone would leave them mapped and make their next access
 *       no fault at all.</li>
 *   <li>A miss is made by writing the page back ({@code sync_file_range}) and dropping it
 *       ({@code posix_fadvise(POSIX_FADV_DONTNEED)}), with no mapping left on it.</li>
 *   <li>A punch is {@code fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)}; a fill is
 *       {@code fallocate} (unwritten extents, reading as zeroes) and reads to cache the range.</li>
 *   <li>A buffered write is {@code pwrite}, a buffered read {@code pread} with the kernel's own
 *       readahead.</li>
 * </ul>
 * The file is created in the directory given, opened and unlinked at once, so it disappears with
 * the process however it ends. Two descriptors: one for the workloads' reads and writes, with
 * the default readahead, and one for the untimed fills, {@code POSIX_FADV_RANDOM}, so that a
 * fill caches single-page folios, which a later miss can drop one at a time (a large folio is
 * dropped whole or not at all).
 *
 * <p>Memory ordering: the mappings' addresses are written before the view is handed to its
 * thread and never change; the list of mappings to unmap is guarded by its own monitor.
 */
public final class KernelFile implements TargetFile {

    public static final int PAGE = 4096;
    /** Pages zapped either side of a page, to cover the kernel's fault-around window (16 pages). */
    static final int ZAP_AROUND = 16;
    /** Pages read at a time when filling a range. */
    private static final int FILL_CHUNK = 64;

    /** Loads and stores at a mapping's addresses: the page faults themselves. */
    static final Unsafe UNSAFE = unsafe();
    private static final AtomicLong SEQ = new AtomicLong();

    private final int fd;
    private final int fillFd;
    /** The file opened {@code O_DIRECT}, or -1 where its filesystem refused that flag. */
    private final int directFd;
    private final long pages;
    private final Path dir;
    /** Every mapping made, {addr, length}, for {@link #close}. Guarded by itself. */
    private final List<long[]> mappings = new ArrayList<>();
    /** Per-thread native buffers, grown when a call needs more: what writes copy from (a pattern, never read into), and what reads fill. */
    private final ThreadLocal<Memory[]> writeBuffers = ThreadLocal.withInitial(() -> new Memory[1]);
    private final ThreadLocal<Memory[]> readBuffers = ThreadLocal.withInitial(() -> new Memory[1]);
    /** Per-thread page-aligned buffers for {@code O_DIRECT}, which needs aligned memory. */
    private final ThreadLocal<Memory[]> directBuffers = ThreadLocal.withInitial(() -> new Memory[1]);
    private volatile boolean closed;

    private KernelFile(int fd, int fillFd, int directFd, long pages, Path dir) {
        this.fd = fd;
        this.fillFd = fillFd;
        this.directFd = directFd;
        this.pages = pages;
        this.dir = dir;
    }

    /**
     * A new file of {@code pages} pages, all holes, in {@code dir}: created, opened twice and
     * unlinked.
     *
     * @throws KernelException naming the call and the error when the file cannot be made
     */
    public static KernelFile create(Path dir, long pages) {
        Path path = dir.resolve("rlbench-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".data");
        int fd = call("cannot create " + path, () -> LibC.open(path.toString(),
                LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0600));
        int fillFd = -1;
        int directFd = -1;
        try {
            fillFd = call("cannot open " + path + " again", () -> LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC, 0));
            try {
                directFd = LibC.open(path.toString(), LibC.O_RDWR | LibC.O_DIRECT | LibC.O_CLOEXEC, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINVAL) {
                    throw failed("cannot open " + path + " O_DIRECT", e);
                }
                // this filesystem has no direct IO; only the dio workload needs it, and says so
            }
            call("cannot unlink " + path, () -> LibC.unlink(path.toString()));
            call("cannot size " + path + " to " + pages + " pages", () -> LibC.ftruncate(fd, pages * PAGE));
            int advice = LibC.posix_fadvise(fillFd, 0, 0, LibC.POSIX_FADV_RANDOM);
            if (advice != 0) {
                throw new KernelException(LibC.describe("posix_fadvise(POSIX_FADV_RANDOM) on " + path, advice), advice);
            }
            return new KernelFile(fd, fillFd, directFd, pages, dir);
        } catch (RuntimeException e) {
            quietClose(fd);
            if (fillFd >= 0) {
                quietClose(fillFd);
            }
            if (directFd >= 0) {
                quietClose(directFd);
            }
            try {
                LibC.unlink(path.toString()); // if the unlink above was not reached
            } catch (LastErrorException gone) {
                // already unlinked
            }
            throw e;
        }
    }

    /**
     * Checks, before a run, that the {@code linux} target can work in {@code dir}: a folder that
     * exists and is writable, on a filesystem that punches holes. Makes a two-page file there,
     * allocates it and punches one page, and removes it.
     *
     * @param what how the refusal names the folder, e.g. {@code --kernel-dir /mnt/x}
     * @throws IllegalArgumentException with one line saying what is wrong, EOPNOTSUPP named as such
     */
    public static void probe(Path dir, String what) {
        if (dir.toString().isEmpty()) {
            throw new IllegalArgumentException(what.trim() + " is empty: name a folder");
        }
        if (java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " is a file, not a folder");
        }
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " is not a folder that exists");
        }
        if (!java.nio.file.Files.isWritable(dir)) {
            throw new IllegalArgumentException(what + " is not writable");
        }
        try (KernelFile f = create(dir, 2)) {
            if (!f.fill(0, 2, Refill.DENSE)) {
                throw new IllegalArgumentException(what + ": its filesystem has no room for two pages");
            }
            f.punch(0, 0);
        } catch (KernelException e) {
            String why = e.errno() == LibC.EOPNOTSUPP ? " (its filesystem refuses hole punching, which the linux target needs)" : "";
            throw new IllegalArgumentException(what + ": " + e.getMessage() + why);
        }
    }

    /** The directory the file was made in. */
    public Path dir() {
        return dir;
    }

    @Override
    public long pages() {
        return pages;
    }

    @Override
    public boolean fill(long first, long count, Refill refill) {
        if (refill == Refill.NONE || count <= 0) {
            return true;
        }
        try {
            LibC.fallocate(fd, 0, first * PAGE, count * PAGE);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENOSPC) {
                return false;
            }
            throw failed("fallocate of pages " + first + "+" + count, e);
        }
        long last = first + count - 1;
        if (refill == Refill.DENSE) {
            for (long i = first; i <= last; i += FILL_CHUNK) {
                readFully(fillFd, i, (int) Math.min(FILL_CHUNK, last - i + 1));
            }
        } else {
            dropCache(first, last);
            long s = (first + Refill.SPARSE_STRIDE - 1) / Refill.SPARSE_STRIDE * Refill.SPARSE_STRIDE;
            for (; s <= last; s += Refill.SPARSE_STRIDE) {
                readFully(fillFd, s, 1);
            }
        }
        return true;
    }

    @Override
    public void writeback(long first, long last) {
        try {
            LibC.sync_file_range(fd, first * PAGE, (last - first + 1) * PAGE, LibC.SYNC_FILE_RANGE_WAIT_BEFORE
                    | LibC.SYNC_FILE_RANGE_WRITE | LibC.SYNC_FILE_RANGE_WAIT_AFTER);
        } catch (LastErrorException e) {
            throw failed("sync_file_range of pages " + first + ".." + last, e);
        }
    }

    @Override
    public void dropCache(long first, long last) {
        int err = LibC.posix_fadvise(fd, first * PAGE, (last - first + 1) * PAGE, LibC.POSIX_FADV_DONTNEED);
        if (err != 0) {
            throw new KernelException(LibC.describe("posix_fadvise(POSIX_FADV_DONTNEED) of pages " + first + ".." + last, err), err);
        }
    }

    @Override
    public void punch(long first, long last) {
        try {
            LibC.fallocate(fd, LibC.FALLOC_FL_PUNCH_HOLE | LibC.FALLOC_FL_KEEP_SIZE, first * PAGE, (last - first + 1) * PAGE);
        } catch (LastErrorException e) {
            throw failed("fallocate(PUNCH_HOLE) of pages " + first + ".." + last, e);
        }
    }

    /** pwrite of {@code count} pages of this thread's buffer; returns the pages written. */
    @Override
    public long writeBuffered(long first, int count) {
        pwriteFrom(buffer(writeBuffers, count), first, count);
        return count;
    }

    /** pwrite of {@code count} pages from the native buffer at {@code buf}, whole. */
    void pwriteFrom(long buf, long first, int count) {
        long done = 0;
        long want = (long) count * PAGE;
        while (done < want) {
            try {
                done += LibC.pwrite(fd, buf + done, want - done, first * PAGE + done);
            } catch (LastErrorException e) {
                throw failed("pwrite of pages " + first + "+" + count, e);
            }
        }
    }

    /** pread of {@code count} pages into the native buffer at {@code buf}; returns the whole pages read. */
    int preadInto(long buf, long first, int count) {
        return readInto(fd, buf, first, count);
    }

    /** pwrite of {@code count} pages through the {@code O_DIRECT} descriptor; returns the pages written. */
    @Override
    public long writeDirect(long first, int count) {
        long buf = alignedBuffer(count);
        long done = 0;
        long want = (long) count * PAGE;
        while (done < want) {
            try {
                done += LibC.pwrite(direct(), buf + done, want - done, first * PAGE + done);
            } catch (LastErrorException e) {
                throw failed("O_DIRECT pwrite of pages " + first + "+" + count, e);
            }
        }
        return count;
    }

    /** pread of {@code count} pages through the {@code O_DIRECT} descriptor; each page's first 8 bytes go into {@code out}. */
    @Override
    public int readDirect(long first, int count, long[] out) {
        long buf = alignedBuffer(count);
        int n = readInto(direct(), buf, first, count);
        for (int k = 0; k < n; k++) {
            out[k] = UNSAFE.getLong(buf + (long) k * PAGE);
        }
        return n;
    }

    private int direct() {
        if (directFd < 0) {
            throw new KernelException("the filesystem of " + dir + " refused O_DIRECT (EINVAL): no direct IO there",
                    LibC.EINVAL);
        }
        return directFd;
    }

    /** One process of this JVM cannot be several address spaces: the kernel target has one mapper. */
    @Override
    public void addIdleMappers(int mappers) {
        if (mappers > 1) {
            throw new IllegalArgumentException("mappers=" + mappers + " needs separate address spaces; the "
                    + Targets.LINUX + " target runs in this one process: use mappers=1");
        }
    }

    /** This thread's page-aligned buffer for {@code O_DIRECT}, at least {@code count} pages. */
    private long alignedBuffer(int count) {
        // A page more than asked, so that the first page boundary inside it leaves count pages.
        long at = buffer(directBuffers, count + 1);
        return (at + PAGE - 1) & -(long) PAGE;
    }

    /** pread of {@code count} pages; each page's first 8 bytes go into {@code out}. */
    @Override
    public int readBuffered(long first, int count, long[] out) {
        long buf = buffer(readBuffers, count);
        int n = readInto(fd, buf, first, count);
        for (int k = 0; k < n; k++) {
            out[k] = UNSAFE.getLong(buf + (long) k * PAGE);
        }
        return n;
    }

    @Override
    public View map(long first, int count) {
        long len = (long) count * PAGE;
        long addr;
        try {
            addr = LibC.mmap(0, len, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, first * PAGE);
        } catch (LastErrorException e) {
            throw failed("mmap of pages " + first + "+" + count, e);
        }
        try {
            LibC.madvise(addr, len, LibC.MADV_RANDOM);
        } catch (LastErrorException e) {
            LibC.munmap(addr, len);
            throw failed("madvise(MADV_RANDOM) of pages " + first + "+" + count, e);
        }
        synchronized (mappings) {
            mappings.add(new long[] {addr, len});
        }
        return new Mapped(addr, first, count);
    }

    /** Whether {@code page} is in the page cache now (mincore through a scratch mapping): for tests and checks. */
    public boolean cached(long page) {
        long addr = LibC.mmap(0, PAGE, LibC.PROT_READ, LibC.MAP_SHARED, fd, page * PAGE);
        try {
            byte[] vec = new byte[1];
            LibC.mincore(addr, PAGE, vec);
            return (vec[0] & 1) != 0;
        } finally {
            LibC.munmap(addr, PAGE);
        }
    }

    @Override
    public String summary() {
        return "kernel linux " + System.getProperty("os.version") + " file in " + dir;
    }

    /** Unmaps every view and closes both descriptors; the unlinked file's blocks go back to its filesystem. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            synchronized (mappings) {
                for (long[] m : mappings) {
                    try {
                        LibC.munmap(m[0], m[1]);
                    } catch (LastErrorException e) {
                        System.err.println("rlbench: " + LibC.describe("munmap of a view of the linux target's file", e.getErrorCode()));
                    }
                }
                mappings.clear();
            }
        } finally {
            quietClose(fd);
            quietClose(fillFd);
            if (directFd >= 0) {
                quietClose(directFd);
            }
        }
    }

    /**
     * Makes the calling thread's read and write buffers for calls of up to {@code pages} pages
     * now, in a workload's setup, so that its timed calls allocate nothing, the first included.
     */
    @Override
    public void prepareThread(int pages) {
        buffer(writeBuffers, pages);
        buffer(readBuffers, pages);
        alignedBuffer(pages);
    }

    /** One thread's shared mapping of pages {@code [first, first + count)}. */
    static final class Mapped implements View {
        private final long addr;
        private final long first;
        private final long count;

        Mapped(long addr, long first, long count) {
            this.addr = addr;
            this.first = first;
            this.count = count;
        }

        @Override
        public void zap(long page) {
            long from = Math.max(first, page - ZAP_AROUND);
            long to = Math.min(first + count - 1, page + ZAP_AROUND);
            try {
                LibC.madvise(addr + (from - first) * PAGE, (to - from + 1) * PAGE, LibC.MADV_DONTNEED);
            } catch (LastErrorException e) {
                throw failed("madvise(MADV_DONTNEED) of pages " + from + ".." + to, e);
            }
        }

        @Override
        public long read(long page) {
            return UNSAFE.getLongVolatile(null, address(page));
        }

        @Override
        public long write(long page) {
            long v = page + 1;
            UNSAFE.putLongVolatile(null, address(page), v);
            return v;
        }

        /** Word {@code w} (8 bytes) of {@code page}, loaded through the mapping. */
        long word(long page, int w) {
            return UNSAFE.getLongVolatile(null, address(page) + (long) w * Long.BYTES);
        }

        private long address(long page) {
            if (page < first || page >= first + count) {
                throw new IllegalArgumentException("page " + page + " is outside the mapping");
            }
            return addr + (page - first) * PAGE;
        }
    }

    /** This thread's buffer of {@code which}, at least {@code count} pages, filled with the write pattern when made. */
    private static long buffer(ThreadLocal<Memory[]> which, int count) {
        Memory[] mine = which.get();
        long need = (long) count * PAGE;
        if (mine[0] == null || mine[0].size() < need) {
            mine[0] = new Memory(Math.max(need, 16L * PAGE));
            mine[0].setMemory(0, mine[0].size(), (byte) 0x6b);
        }
        return Pointer.nativeValue(mine[0]);
    }

    private void readFully(int from, long first, int count) {
        readInto(from, buffer(readBuffers, count), first, count);
    }

    /** pread of {@code count} pages into {@code buf}; returns the whole pages read (fewer at end of file). */
    private int readInto(int from, long buf, long first, int count) {
        long done = 0;
        long want = (long) count * PAGE;
        while (done < want) {
            long n;
            try {
                n = LibC.pread(from, buf + done, want - done, first * PAGE + done);
            } catch (LastErrorException e) {
                throw failed("pread of pages " + first + "+" + count, e);
            }
            if (n == 0) {
                break;
            }
            done += n;
        }
        return (int) (done / PAGE);
    }

    private static Unsafe unsafe() {
        try {
            java.lang.reflect.Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FunctionalInterface
    private interface Call {
        int run();
    }

    private static int call(String what, Call c) {
        try {
            return c.run();
        } catch (LastErrorException e) {
            throw failed(what, e);
        }
    }

    private static KernelException failed(String what, LastErrorException e) {
        return new KernelException(LibC.describe(what, e.getErrorCode()), e.getErrorCode());
    }

    private static void quietClose(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException ignored) {
            // closing what is being thrown away; the first error is the one reported
        }
    }
}
