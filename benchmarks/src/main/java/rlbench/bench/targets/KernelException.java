package rlbench.bench.targets;

/** A system call of the {@code linux} target failed: one line naming the call, what it was for, and the error. */
public final class KernelException extends RuntimeException {

    private final int errno;

    public KernelException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The error number the call failed with. */
    public int errno() {
        return errno;
    }
}
