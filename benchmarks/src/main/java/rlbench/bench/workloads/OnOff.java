package rlbench.bench.workloads;

/** A switch parameter's values, as {@code -p} takes them ({@code -p lockstat=off}). */
public enum OnOff {
    on,
    off
}
