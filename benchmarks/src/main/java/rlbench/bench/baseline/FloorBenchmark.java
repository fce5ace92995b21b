package rlbench.bench.baseline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's own floor, measured in the same run as the designs: an uncontended CAS pair on
 * one word (the least any lock/unlock can cost) and a 4 KiB copy (what a page copy costs).
 *
 * <p>JMH pitfalls guarded against: the CAS results are combined and returned (JMHSample_08
 * DeadCode); the word is a field reached through a VarHandle, never a constant (JMHSample_10
 * ConstantFold); the copy's destination is returned so the copy cannot be elided.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBenchmark {

    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(FloorBenchmark.class, "word", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Only ever changed through {@link #WORD} with volatile-strength CAS, as a lock word is. */
    @SuppressWarnings("unused")
    private volatile int word;

    private final byte[] source = new byte[4096];
    private final byte[] target = new byte[4096];

    @Setup
    public void fill() {
        for (int i = 0; i < source.length; i++) {
            source[i] = (byte) i;
        }
    }

    /** Lock then unlock of a word no other thread touches: two CAS instructions. */
    @Benchmark
    public boolean casPair() {
        boolean locked = WORD.compareAndSet(this, 0, 1);
        boolean unlocked = WORD.compareAndSet(this, 1, 0);
        return locked & unlocked;
    }

    /** One page's worth of memcpy, the unit cost of every buffered write and read. */
    @Benchmark
    public byte[] copy4k() {
        System.arraycopy(source, 0, target, 0, source.length);
        return target;
    }
}
