package rlbench.bench.targets;

import rlbench.fs.AddressSpace;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.Mapping;
import rlbench.fs.check.StaleDataOracle;
import rlbench.locks.Design;

/**
 * A file of the simulated filesystem under one lock design: every call goes to {@link FileSystem},
 * and every mapping is made in one shared simulated process, so the threads of a trial contend on
 * its one {@code mmap_lock}, as the threads of a real process do.
 */
public final class SimFile implements TargetFile {

    /** Pages per readahead call when filling a range: short enough not to hog the readahead lock. */
    static final int FILL_CHUNK = 64;

    private final FileSystem fs;
    private final Inode file;
    private final Design design;
    private final AddressSpace process;

    public SimFile(FileSystem fs, Inode file, Design design) {
        this.fs = fs;
        this.file = file;
        this.design = design;
        this.process = fs.newProcess();
    }

    public FileSystem fs() {
        return fs;
    }

    public Inode inode() {
        return file;
    }

    @Override
    public long pages() {
        return file.sizePages();
    }

    /**
     * Blocks for the range as extents, then every page cached clean ({@code DENSE}, by readahead in
     * chunks) or one page in {@value Refill#SPARSE_STRIDE} ({@code SPARSE}). Costs O(extents) for
     * the blocks and O(pages cached) for the cache.
     */
    @Override
    public boolean fill(long first, long count, Refill refill) {
        if (refill == Refill.NONE || count <= 0) {
            return true;
        }
        long last = first + count - 1;
        boolean ok = fs.fallocate(file, first, last);
        if (refill == Refill.DENSE) {
            for (long i = first; i <= last; i += FILL_CHUNK) {
                fs.readahead(file, i, (int) Math.min(FILL_CHUNK, last - i + 1));
            }
        } else {
            fs.dropCache(file, first, last);
            long s = (first + Refill.SPARSE_STRIDE - 1) / Refill.SPARSE_STRIDE * Refill.SPARSE_STRIDE;
            for (; s <= last; s += Refill.SPARSE_STRIDE) {
                fs.readahead(file, s, 1);
            }
        }
        return ok;
    }

    @Override
    public void writeback(long first, long last) {
        fs.writeback(file, first, last);
    }

    @Override
    public void dropCache(long first, long last) {
        fs.dropCache(file, first, last);
    }

    @Override
    public void punch(long first, long last) {
        fs.punch(file, first, last);
    }

    @Override
    public long writeBuffered(long first, int count) {
        return fs.writeBuffered(file, first, count, null, 0);
    }

    @Override
    public int readBuffered(long first, int count, long[] out) {
        return fs.readBuffered(file, first, count, out);
    }

    @Override
    public long writeDirect(long first, int count) {
        return fs.writeDirect(file, first, count);
    }

    @Override
    public int readDirect(long first, int count, long[] out) {
        return fs.readDirect(file, first, count, out);
    }

    /** Each idle mapper is a new simulated process with one mapping of the whole file. */
    @Override
    public void addIdleMappers(int mappers) {
        int whole = Math.toIntExact(file.sizePages());
        for (int k = 1; k < mappers; k++) {
            fs.newProcess().map(file, 0, whole);
        }
    }

    @Override
    public View map(long first, int pages) {
        Mapping m = process.map(file, first, pages);
        return new View() {
            @Override
            public void zap(long page) {
                fs.zap(m, page);
            }

            @Override
            public long read(long page) {
                return fs.readMapped(m, page);
            }

            @Override
            public long write(long page) {
                return fs.writeMapped(m, page);
            }
        };
    }

    /** The stale-data oracle's verdict on this trial, or that it was compiled out. */
    @Override
    public String summary() {
        if (!StaleDataOracle.ENABLED) {
            return "oracle design=" + design.name() + " safe=" + design.safe()
                    + " off (compiled out of benchmarks; rlbench stress checks)";
        }
        long v = fs.oracle().total();
        if (v > 0 && design.safe()) {
            System.err.println("rlbench: design " + design.name() + " showed " + v + " stale-data violations: "
                    + fs.oracle().messages().stream().findFirst().orElse(""));
        }
        return "oracle design=" + design.name() + " safe=" + design.safe() + " violations=" + v;
    }

    /** Nothing to release: the simulation lives on the heap. */
    @Override
    public void close() {
    }
}
