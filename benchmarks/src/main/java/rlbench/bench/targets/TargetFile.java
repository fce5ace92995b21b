package rlbench.bench.targets;

/**
 * The file a workload runs against, and every call its threads make on it: a file of the
 * simulated filesystem under one lock design ({@link SimFile}), or a real file on this machine's
 * own kernel ({@link KernelFile}). The workloads reach their file through this alone, so one
 * workload code measures both, and their rows sit side by side. Offsets and lengths are in 4 KiB
 * pages.
 *
 * <p>A file is shared by the threads of a trial, and every method may be called from any of them
 * at once, as the calls of a filesystem may; a {@link View} belongs to the thread that made it.
 * The calls a workload times ({@link #punch}, {@link #writeBuffered}, {@link #readBuffered},
 * {@link View#read}, {@link View#write}) allocate nothing of their own.
 */
public interface TargetFile extends AutoCloseable {

    /** The file's size in pages. */
    long pages();

    /**
     * Untimed: gives pages {@code [first, first + count)} blocks (fallocate, reading as zeroes) and
     * leaves them in the {@code refill} state. Returns false if the device ran out of blocks.
     */
    boolean fill(long first, long count, Refill refill);

    /** Untimed: writes back the dirty cached pages of {@code [first, last]}. */
    void writeback(long first, long last);

    /** Untimed: drops the clean, unmapped cached pages of {@code [first, last]}. */
    void dropCache(long first, long last);

    /** fallocate(PUNCH_HOLE | KEEP_SIZE) of {@code [first, last]}. */
    void punch(long first, long last);

    /** A buffered write() of {@code count} pages from {@code first}; returns what the write left (a generation, or a byte). */
    long writeBuffered(long first, int count);

    /**
     * A buffered read() of {@code count} pages from {@code first}, with readahead; writes one
     * value per page read into {@code out} and returns how many pages were read.
     */
    int readBuffered(long first, int count, long[] out);

    /**
     * A direct write ({@code O_DIRECT}) of {@code count} pages from {@code first}, bypassing the
     * page cache; returns what it left (a generation, or the pages written).
     */
    long writeDirect(long first, int count);

    /**
     * A direct read ({@code O_DIRECT}) of {@code count} pages from {@code first}; writes one value
     * per page into {@code out} and returns how many pages were read.
     */
    int readDirect(long first, int count, long[] out);

    /**
     * Untimed setup: makes {@code mappers - 1} more processes (address spaces) that each map the
     * whole file and do nothing else, beside the one the workload's threads fault in, so a punch
     * has {@code mappers} of them to unmap (and, under {@code mmap-write}, to lock).
     *
     * @throws IllegalArgumentException when the target cannot make more address spaces
     */
    void addIdleMappers(int mappers);

    /** A mapping of {@code [first, first + pages)} for the calling thread alone. */
    View map(long first, int pages);

    /**
     * Setup, on the thread that will make the timed calls: whatever per-thread state calls of up
     * to {@code pages} pages need, made now rather than on the first timed call. Nothing by default.
     */
    default void prepareThread(int pages) {
    }

    /** One line for the histogram logs' comments: what checked this trial, or what it ran on. */
    String summary();

    /** Releases what the file holds (a real file's descriptor, mappings and blocks). */
    @Override
    void close();

    /** One thread's mapping of part of the file: loads and stores through page tables. */
    interface View {

        /** Untimed: clears this mapping's page-table entry for {@code page} (madvise(MADV_DONTNEED)), so the next access faults. */
        void zap(long page);

        /** A load from {@code page}: a read fault when its entry was zapped. */
        long read(long page);

        /** A store to {@code page}: a write fault (and page_mkwrite) when its entry was zapped. */
        long write(long page);
    }
}
