package rlbench.fs;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One mapping of a file range into an {@link AddressSpace}: a page table with one entry per page.
 * A present entry lets the process read the page without faulting, as a present PTE does.
 *
 * <p>Memory ordering: entries are installed by a fault under the page lock and cleared by
 * unmapping with CAS, both through an {@link AtomicReferenceArray} (volatile), so a mapped read
 * sees a page only after it was filled.
 */
public final class Mapping {

    final AddressSpace space;
    final Inode inode;
    /** The first file page this mapping maps. */
    final long first;
    final int pages;
    private final AtomicReferenceArray<Page> ptes;

    Mapping(AddressSpace space, Inode inode, long first, int pages) {
        if (first < 0 || pages <= 0) {
            throw new IllegalArgumentException("bad mapping [" + first + ", +" + pages + ")");
        }
        this.space = space;
        this.inode = inode;
        this.first = first;
        this.pages = pages;
        this.ptes = new AtomicReferenceArray<>(pages);
    }

    public Inode inode() {
        return inode;
    }

    public AddressSpace space() {
        return space;
    }

    public boolean covers(long index) {
        return index >= first && index < first + pages;
    }

    Page pte(long index) {
        return ptes.get(slot(index));
    }

    void install(long index, Page page) {
        ptes.set(slot(index), page);
    }

    /** Clears every entry for file pages [from, to] within this mapping (unmap_mapping_range). */
    void zap(long from, long to) {
        long lo = Math.max(from, first);
        long hi = Math.min(to, first + pages - 1);
        for (long i = lo; i <= hi; i++) {
            ptes.set((int) (i - first), null);
        }
    }

    /** Clears the entry for {@code page} if it still maps it. */
    void zap(Page page) {
        if (covers(page.index)) {
            ptes.compareAndSet(slot(page.index), page, null);
        }
    }

    private int slot(long index) {
        if (!covers(index)) {
            throw new IllegalArgumentException("page " + index + " is outside the mapping");
        }
        return (int) (index - first);
    }
}
