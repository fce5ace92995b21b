package rlbench.fs.block;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A simulated block device of fixed-size blocks numbered from 1 (0 stands for "no block", a hole).
 *
 * <p>Each block carries a {@link Stamp} ({@code who}, {@code generation}) in an off-heap table.
 * In {@link Mode#DATA} the block's whole contents also live off-heap, in Agrona buffers, and a
 * read or write really copies the block size. In {@link Mode#STAMP_ONLY} only the stamps exist,
 * so a file of millions of pages fits a small heap.
 *
 * <p>A read can wait a configurable device latency (0 = ramdisk, as Kara measured); the wait
 * parks the thread, like a sleeping I/O wait, not a spin.
 *
 * <p>Memory ordering: block contents are written by one writer at a time (the filesystem holds
 * the page lock of the page being written back) and read by readers that may race with it on an
 * unsafe design; that race is exactly what the oracle is there to see. Stamps are published with
 * release stores and read with acquire loads so that a reader that sees a stamp sees the contents
 * written before it.
 */
public final class BlockDevice {

    /** Where block contents live. */
    public enum Mode {
        /** Contents off-heap, copied in full on every read and write. */
        DATA,
        /** Only the stamps: for files of millions of pages. */
        STAMP_ONLY
    }

    /** Largest off-heap chunk: direct buffers are int-indexed. */
    private static final int CHUNK_BYTES = 1 << 30;

    private final int blockSize;
    private final int blockCount;
    private final Mode mode;
    private final long readLatencyNanos;
    /** who and generation per block, at 2b and 2b+1; accessed with acquire/release. */
    private final UnsafeBuffer stamps;
    private final UnsafeBuffer[] chunks;
    private final int blocksPerChunk;

    public BlockDevice(int blockCount, int blockSize, Mode mode, long readLatencyNanos) {
        if (blockSize < 64 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two >= 64: " + blockSize);
        }
        if (blockCount < 1) {
            throw new IllegalArgumentException("block count must be positive: " + blockCount);
        }
        if (readLatencyNanos < 0) {
            throw new IllegalArgumentException("negative device latency: " + readLatencyNanos);
        }
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.mode = mode;
        this.readLatencyNanos = readLatencyNanos;
        this.stamps = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.multiplyExact(blockCount + 1, 16)));
        if (mode == Mode.DATA) {
            blocksPerChunk = CHUNK_BYTES / blockSize;
            int n = (blockCount + 1 + blocksPerChunk - 1) / blocksPerChunk;
            chunks = new UnsafeBuffer[n];
            for (int i = 0; i < n; i++) {
                int blocksHere = Math.min(blocksPerChunk, blockCount + 1 - i * blocksPerChunk);
                chunks[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(blocksHere * blockSize));
            }
        } else {
            blocksPerChunk = 0;
            chunks = new UnsafeBuffer[0];
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockCount() {
        return blockCount;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Writes a page's contents to {@code block}: its stamp and, in {@link Mode#DATA}, the
     * {@code source} bytes (one block's worth; null is allowed in {@link Mode#STAMP_ONLY}).
     */
    public void write(int block, long who, long generation, UnsafeBuffer source) {
        check(block);
        if (mode == Mode.DATA) {
            UnsafeBuffer chunk = chunks[block / blocksPerChunk];
            chunk.putBytes(offset(block), source, 0, blockSize);
        }
        stamps.putLong(block * 16 + 8, generation);
        stamps.putLongOrdered(block * 16, who);
    }

    /**
     * Reads {@code block}, waiting the device latency first. Copies the contents into
     * {@code target} in {@link Mode#DATA} (it may be null in {@link Mode#STAMP_ONLY}) and returns
     * the stamp's {@code who}; {@link #generation} gives the rest of the stamp.
     */
    public long read(int block, UnsafeBuffer target) {
        check(block);
        if (readLatencyNanos > 0) {
            LockSupport.parkNanos(readLatencyNanos);
        }
        if (mode == Mode.DATA) {
            chunks[block / blocksPerChunk].getBytes(offset(block), target, 0, blockSize);
        }
        return stamps.getLongVolatile(block * 16);
    }

    /** The stamp's {@code who} of a block, without the device latency. */
    public long who(int block) {
        check(block);
        return stamps.getLongVolatile(block * 16);
    }

    /** The stamp's generation of a block. */
    public long generation(int block) {
        check(block);
        return stamps.getLongVolatile(block * 16 + 8);
    }

    /** Zeroes a block's stamp (and contents): what a discard or a fresh allocation leaves. */
    public void zero(int block) {
        check(block);
        if (mode == Mode.DATA) {
            chunks[block / blocksPerChunk].setMemory(offset(block), blockSize, (byte) 0);
        }
        stamps.putLong(block * 16 + 8, 0);
        stamps.putLongOrdered(block * 16, Stamp.NOBODY);
    }

    /**
     * Zeroes {@code length} blocks from {@code first}: what a fresh allocation of an extent leaves
     * (ext4's unwritten extents read as zeroes). One bulk store over the stamps (and, in
     * {@link Mode#DATA}, the contents), then a release store so a reader sees the zeroes complete.
     */
    public void zero(int first, int length) {
        check(first);
        check(first + length - 1);
        if (mode == Mode.DATA) {
            for (int b = first; b < first + length; b++) {
                chunks[b / blocksPerChunk].setMemory(offset(b), blockSize, (byte) 0);
            }
        }
        stamps.setMemory(first * 16, length * 16, (byte) 0);
        stamps.putLongOrdered(first * 16, Stamp.NOBODY);
    }

    private int offset(int block) {
        return (block % blocksPerChunk) * blockSize;
    }

    private void check(int block) {
        if (block < 1 || block > blockCount) {
            throw new IllegalArgumentException("no block " + block + " on a device of " + blockCount);
        }
    }
}
