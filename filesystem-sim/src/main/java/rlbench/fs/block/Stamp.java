package rlbench.fs.block;

/**
 * What the stale-data oracle writes into every block: which file wrote it, at which page index, and
 * the generation of that write. Two longs: {@code who} packs the file id and the page index
 * ({@code 0} means "never written", the zero page), {@code generation} counts writes per index
 * and never wraps in a run.
 */
public final class Stamp {

    /** Bits for the page index in {@link #who}; matches the page index space of the lock SPI. */
    public static final int INDEX_BITS = 36;
    /** The largest file id; id 0 is reserved so that a zero stamp never names a file. */
    public static final int MAX_FILE_ID = (1 << (63 - INDEX_BITS)) - 1;

    /** The stamp of a block or page nobody has written: all zeroes. */
    public static final long NOBODY = 0L;

    private Stamp() {
    }

    /** Packs a file id (1..{@link #MAX_FILE_ID}) and a page index into one long. */
    public static long who(int fileId, long index) {
        if (fileId <= 0 || fileId > MAX_FILE_ID) {
            throw new IllegalArgumentException("file id out of range: " + fileId);
        }
        if (index < 0 || index >= (1L << INDEX_BITS)) {
            throw new IllegalArgumentException("page index out of range: " + index);
        }
        return ((long) fileId << INDEX_BITS) | index;
    }

    public static int fileId(long who) {
        return (int) (who >>> INDEX_BITS);
    }

    public static long index(long who) {
        return who & ((1L << INDEX_BITS) - 1);
    }

    /** "file 3 index 17", or "nobody" for the zero stamp. */
    public static String describe(long who) {
        return who == NOBODY ? "nobody" : "file " + fileId(who) + " index " + index(who);
    }
}
