package rlbench.bench.cli;

/** Bad input found after parsing: the command prints the message on one line and exits 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
