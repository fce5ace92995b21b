package rlbench.bench.workloads;

/**
 * The fault a faulting thread takes. The constants are in lower case because JMH takes an enum
 * {@code @Param}'s values by constant name, and these are the values users type and
 * {@code results.csv} has always recorded.
 */
public enum FaultKind {
    /** filemap_fault: a read of the mapped page. */
    read,
    /** filemap_fault then page_mkwrite: the page is dirtied through the mapping. */
    write
}
