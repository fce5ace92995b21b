package rlbench.locks.designs;

import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rangelist.RangeList;

/**
 * {@code list-range}: a mapping range lock kept as a sorted lock-free linked list of granted and
 * waiting ranges, inserted by CAS and deleted by marking ({@link RangeList}).
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>takes</th></tr>
 *   <tr><td>instantiate(p), mkwrite(p)</td><td>{@code [p, p]} shared</td></tr>
 *   <tr><td>readahead(first,last)</td><td>{@code [first, last]} shared, once per batch</td></tr>
 *   <tr><td>invalidate(first,last)</td><td>{@code [first, last]} exclusive</td></tr>
 * </table>
 *
 * <h2>Which side of the argument</h2>
 * The same mapping-level range lock as {@code range-tree} (Kara's placement: every fault and
 * every page of buffered IO locks a one-page range, punch and truncate lock large ones), but
 * without its one mutex. Kogan, Dice and Issa (EuroSys 2020) answered the objection that a range
 * lock's internal spinlock serialises every fault of a mapping, even on disjoint pages, with a
 * list of ranges sorted by start that threads change with single CASes; FreeBSD replaced its
 * mutex-protected rangelock with that design in 2023 (Konstantin Belousov). Here it is the
 * lock-free alternative to {@code range-tree}: disjoint faults write only the links next to their
 * own nodes. Unlike the paper, a waiting range stays in the list and ranges are ordered by
 * arrival, so a waiting punch is not starved by faults arriving after it (see {@link RangeList}
 * for the protocol and why two conflicting ranges can never both hold).
 *
 * <h2>Known costs</h2>
 * <ul>
 *   <li>Each acquisition walks the list from its head twice (insert, confirm): O(number of
 *       ranges that start before the end of yours), not O(log n). A mapping with many concurrent
 *       faults makes every fault slower, and the nodes near the head are read by every walk.</li>
 *   <li>Neighbouring ranges contend on the same links: a CAS that loses to an insertion or
 *       unlinking next to it retries.</li>
 *   <li>A contended acquisition confirms with another walk after each wait, and a trial grant
 *       given back makes others wait for it briefly.</li>
 *   <li>Allocation-free only thanks to per-thread node pools with epoch-based reclamation: every
 *       walk announces an epoch in its thread's holder (a fenced write per acquisition), and
 *       while a thread is descheduled inside a walk, others allocate fresh nodes until it moves
 *       on: with more busy threads than cores, a small share of acquisitions still allocate
 *       (measured in {@link RangeList}), and the pools grow to cover the longest stall. Each
 *       acquisition also reads the clock for its arrival stamp.</li>
 *   <li>A punch over a huge range is one node, but its walk visits every range that starts inside
 *       it, and so does every fault's walk that starts after it.</li>
 * </ul>
 */
public final class ListRangeLock extends RangeMappingLock<RangeList> {

    public static final Design DESIGN = new Design("list-range", true,
            "sorted lock-free list of ranges, CAS insert, mark-to-delete (Kogan, Dice, Issa 2020; FreeBSD 2023)",
            ListRangeLock::new);

    public ListRangeLock(PageIndex index) {
        super(index, new RangeList());
    }

    @Override
    public String toString() {
        return "list-range " + ranges;
    }
}
