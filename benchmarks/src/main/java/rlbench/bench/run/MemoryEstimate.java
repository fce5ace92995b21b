package rlbench.bench.run;

import rlbench.bench.workloads.SimulationState;
import rlbench.fs.block.BlockDevice;

import java.util.Map;

/**
 * About how much heap and direct (off-heap) memory one benchmark's simulated filesystem needs,
 * from its parameters and thread count, so that {@code rlbench run} can refuse a file that will
 * not fit the benchmark JVM before anything runs, instead of failing every fork with an
 * {@code OutOfMemoryError}.
 *
 * <p>The per-item sizes follow the filesystem's data structures and were checked by filling a
 * file with readahead and measuring the heap after a full GC (OpenJDK 17, compressed oops): a
 * cached page cost 77 to 81 bytes in {@code STAMP_ONLY} mode (the page object and its index
 * slot) and 4,247 in {@code DATA} mode (the same plus its 4 KiB frame); the allocator 8 bytes a
 * block; a mapping 4 bytes a page. The estimate rounds up from these.
 *
 * @param heapBytes          everything on the heap, the JVM's own base included
 * @param directBytes        the block device: stamps, and contents in {@code DATA} mode
 * @param framePoolHeapBytes the part of {@code heapBytes} that the free page-frame pool holds
 * @param perThreadHeapBytes the part of {@code heapBytes} that grows with the thread count:
 *                           mappings and each thread's own frames
 */
public record MemoryEstimate(long heapBytes, long directBytes, long framePoolHeapBytes, long perThreadHeapBytes) {


    static final int PAGE_BYTES = 4096;
    /** The page object and its slot in the page index, per cached page; measured 77 to 81. */
    static final int PAGE_OBJECT_BYTES = 90;
    /** A DATA page's frame: 4 KiB of contents, the array header and its buffer wrapper. */
    static final int FRAME_DATA_BYTES = PAGE_BYTES + 64;
    /** Per block, off-heap, in both modes: owner and generation. */
    static final int STAMP_BYTES = 16;
    /** Per block, on the heap: the allocator's owner word. */
    static final int ALLOCATOR_BYTES = 8;
    /** Per page per mapping: one page-table entry, a compressed reference. */
    static final int PTE_BYTES = 4;
    /** Frames each thread keeps for itself beside the shared pool (PageFrames' magazine). */
    static final int MAGAZINE_FRAMES = 64;
    /** The pool's queue: a reference and a sequence number per slot, slots a power of two. */
    static final int POOL_SLOT_BYTES = 12;
    /** What a benchmark JVM holds before the file: JMH, the histograms, class data on the heap. */
    static final long BASE_HEAP_BYTES = 32L << 20;

    /**
     * The estimate for one benchmark of workload {@code w}.
     *
     * @param params  one value per parameter of the benchmark, as the plan holds them, each
     *                already checked against its declaration ({@link Preflight})
     * @param threads the workers asked for; a group's puncher is added here
     */
    public static MemoryEstimate of(Workload w, Workload.Variant v, int threads, Map<String, String> params) {
        Workload.Footprint.Pages pages = w.footprint.pages(params, v, threads);
        if (pages == null) {
            return new MemoryEstimate(BASE_HEAP_BYTES, 0, 0, 0);
        }
        boolean data = BlockDevice.Mode.DATA.name().equals(params.get("deviceMode"));
        long framePool = params.containsKey("framePoolPages") ? longParam(params, "framePoolPages") : 0;
        long blocks = SimulationState.blocksFor(pages.filePages());
        long frameBytes = PAGE_OBJECT_BYTES + (data ? FRAME_DATA_BYTES : 0);
        long poolHeap = framePool * frameBytes + Long.highestOneBit(Math.max(1, framePool * 2 - 1)) * POOL_SLOT_BYTES;
        long perThread = pages.mappedPages() * PTE_BYTES + (long) v.totalThreads(threads) * MAGAZINE_FRAMES * frameBytes;
        long heap = BASE_HEAP_BYTES
                + pages.cachedPages() * frameBytes
                + blocks * ALLOCATOR_BYTES
                + perThread
                + poolHeap;
        long direct = blocks * (STAMP_BYTES + (data ? PAGE_BYTES : 0));
        return new MemoryEstimate(heap, direct, poolHeap, perThread);
    }

    /**
     * A whole-number parameter.
     *
     * @throws IllegalArgumentException naming it when it is missing or not a whole number
     */
    static long longParam(Map<String, String> params, String name) {
        String s = params.get(name);
        if (s == null) {
            throw new IllegalArgumentException("the benchmark has no parameter " + name);
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + s + " is not a whole number");
        }
    }
}
