package rlbench.bench.run;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/**
 * JMH's lock: every JMH run takes {@code jmh.lock} in the temporary directory for as long as it
 * runs, and a second run cannot start a benchmark while the first holds it. {@code rlbench run}
 * looks before it creates the run folder, so that a busy machine costs one line instead of a
 * folder of failed benchmarks. The look takes the lock and lets it go at once; JMH takes it
 * again for each benchmark.
 */
public final class JmhLock {

    private JmhLock() {
    }

    /** The file JMH locks: where its Runner puts it, the temporary directory as this JVM sees it now. */
    static File file() {
        return new File(System.getProperty("java.io.tmpdir") + "/jmh.lock");
    }

    /**
     * @throws IllegalArgumentException when another JMH run (in this JVM or another process)
     *         holds the lock; nothing when JMH is told to ignore it ({@code -Djmh.ignoreLock=true})
     *         or the lock cannot be looked at (JMH will then say why)
     */
    public static void checkFree() {
        if (Boolean.getBoolean("jmh.ignoreLock")) {
            return;
        }
        File f = file();
        if (!f.isFile()) {
            return; // JMH creates it on its first run; nobody holds a lock on a file that is not there
        }
        boolean held;
        try (RandomAccessFile raf = new RandomAccessFile(f, "rw"); FileLock lock = raf.getChannel().tryLock()) {
            held = lock == null;
        } catch (OverlappingFileLockException e) {
            held = true;
        } catch (IOException e) {
            return;
        }
        if (held) {
            throw new IllegalArgumentException("another JMH run holds JMH's lock (" + f + "); wait for it to finish "
                    + "(one benchmark run at a time keeps the numbers clean)");
        }
    }
}
