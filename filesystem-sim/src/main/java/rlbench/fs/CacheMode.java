package rlbench.fs;

import java.util.Locale;

/**
 * How a filesystem keeps file data in memory: through the page cache, or with DAX (direct access:
 * file data lives in byte-addressable persistent memory, faults map the block itself and reads and
 * writes copy straight to and from it; fs/dax.c). Lower-case names are the command line's.
 */
public enum CacheMode {
    /** Pages in the page cache, read from and written back to blocks. */
    PAGECACHE,
    /**
     * No page cache pages: the index holds DAX entries, each with its lock bit and the block it
     * maps; a fault maps the block, read() and write() copy to and from blocks.
     */
    DAX;

    /** The command line's name: {@code pagecache} or {@code dax}. */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode called {@code s}.
     *
     * @throws IllegalArgumentException naming the known modes
     */
    public static CacheMode parse(String s) {
        for (CacheMode m : values()) {
            if (m.lowerName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown cache mode '" + s + "' (known: pagecache, dax)");
    }
}
