package rlbench.fs.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class BlockDeviceTest {

    private static UnsafeBuffer page(int size, byte fill) {
        UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
        b.setMemory(0, size, fill);
        return b;
    }

    @Test
    void dataModeCopiesWholeBlocksAndStamps() {
        BlockDevice dev = new BlockDevice(8, 4096, BlockDevice.Mode.DATA, 0);
        dev.write(3, Stamp.who(1, 42), 7, page(4096, (byte) 0x5a));
        UnsafeBuffer target = page(4096, (byte) 0);
        assertEquals(Stamp.who(1, 42), dev.read(3, target));
        assertEquals(7, dev.generation(3));
        assertEquals((byte) 0x5a, target.getByte(0));
        assertEquals((byte) 0x5a, target.getByte(4095));
        // Neighbours are untouched.
        assertEquals(Stamp.NOBODY, dev.who(2));
        assertEquals(Stamp.NOBODY, dev.who(4));
        dev.zero(3);
        assertEquals(Stamp.NOBODY, dev.read(3, target));
        assertEquals(0, target.getByte(100));
    }

    @Test
    void stampOnlyModeHoldsMillionsOfBlocksInLittleMemory() {
        BlockDevice dev = new BlockDevice(4_000_000, 4096, BlockDevice.Mode.STAMP_ONLY, 0);
        dev.write(3_999_999, Stamp.who(2, 3_999_998), 1, null);
        assertEquals(Stamp.who(2, 3_999_998), dev.read(3_999_999, null));
    }

    @Test
    void blockNumbersAreCheckedAndZeroIsTheHole() {
        BlockDevice dev = new BlockDevice(8, 4096, BlockDevice.Mode.STAMP_ONLY, 0);
        assertThrows(IllegalArgumentException.class, () -> dev.who(0));
        assertThrows(IllegalArgumentException.class, () -> dev.who(9));
        assertThrows(IllegalArgumentException.class, () -> new BlockDevice(8, 1000, BlockDevice.Mode.DATA, 0));
    }

    @Test
    void readWaitsTheDeviceLatency() {
        BlockDevice dev = new BlockDevice(2, 4096, BlockDevice.Mode.STAMP_ONLY, 5_000_000L);
        long t0 = System.nanoTime();
        dev.read(1, null);
        assertTrue(System.nanoTime() - t0 >= 5_000_000L);
    }

    @Test
    void allocatorReusesTheLastFreedBlockFirstAndTracksOwners() {
        BlockDevice dev = new BlockDevice(4, 4096, BlockDevice.Mode.STAMP_ONLY, 0);
        BlockAllocator alloc = new BlockAllocator(dev);
        int a = alloc.allocate(Stamp.who(1, 0));
        int b = alloc.allocate(Stamp.who(1, 1));
        assertEquals(1, a);
        assertEquals(2, b);
        assertEquals(Stamp.who(1, 1), alloc.owner(b));
        alloc.free(a);
        assertEquals(Stamp.NOBODY, alloc.owner(a));
        // LIFO: the block just freed is the next one handed out, to someone else.
        assertEquals(a, alloc.allocate(Stamp.who(2, 9)));
        assertEquals(Stamp.who(2, 9), alloc.owner(a));
        assertThrows(IllegalStateException.class, () -> {
            alloc.free(b);
            alloc.free(b);
        });
    }

    @Test
    void allocatorReportsAFullDevice() {
        BlockAllocator alloc = new BlockAllocator(new BlockDevice(2, 4096, BlockDevice.Mode.STAMP_ONLY, 0));
        assertTrue(alloc.allocate(Stamp.who(1, 0)) > 0);
        assertTrue(alloc.allocate(Stamp.who(1, 1)) > 0);
        assertEquals(0, alloc.allocate(Stamp.who(1, 2)));
        assertEquals(0, alloc.freeBlocks());
    }

    @Test
    void stampPacksFileAndIndex() {
        long who = Stamp.who(77, (1L << 36) - 1);
        assertEquals(77, Stamp.fileId(who));
        assertEquals((1L << 36) - 1, Stamp.index(who));
        assertEquals("file 77 index 5", Stamp.describe(Stamp.who(77, 5)));
        assertEquals("nobody", Stamp.describe(Stamp.NOBODY));
        assertThrows(IllegalArgumentException.class, () -> Stamp.who(0, 1));
    }
}
