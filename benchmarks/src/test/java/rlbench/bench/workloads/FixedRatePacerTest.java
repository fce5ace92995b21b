package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FixedRatePacerTest {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aStallAtAFixedRateBackFillsTheSlotsItMissed() {
        OpLatency l = new LatencyRecorder().register("punch");
        l.recording(true);
        l.recordAtFixedRate(10 * MS, MS);
        Histogram h = l.histogram();
        assertEquals(10, h.getTotalCount(), "the stalled punch plus 9 back-filled ones");
        assertTrue(h.valuesAreEquivalent(10 * MS, h.getMaxValue()));
        assertEquals(5.5 * MS, h.getMean(), 0.01 * MS);

        l.recordAtFixedRate(MS / 2, MS);
        assertEquals(11, h.getTotalCount(), "an on-time punch is one sample");
    }

    @Test
    void withoutAnIntervalEachOperationIsOneSample() {
        OpLatency l = new LatencyRecorder().register("punch");
        l.recording(true);
        l.recordAtFixedRate(10 * MS, 0);
        assertEquals(1, l.histogram().getTotalCount());
    }

    @Test
    void theScheduleSkipsExactlyTheSlotsThatWereBackFilled() {
        FixedRatePacer p = new FixedRatePacer(MS);
        long slot = p.awaitSlot();
        // on time: the next slot is one interval on
        assertEquals(MS / 4, p.finish(slot, slot + MS / 4));
        assertEquals(slot + MS, p.nextSlot());
        // a 10.2 ms overrun: slots +1..+9 ms were back-filled, slot +10 ms is still to be issued
        long s2 = slot + MS;
        long latency = p.finish(s2, s2 + 10 * MS + MS / 5);
        assertEquals(10 * MS + MS / 5, latency);
        assertEquals(s2 + 10 * MS, p.nextSlot());
    }

    @Test
    void pacesToTheIntervalAndRestartsAfterReset() {
        FixedRatePacer p = new FixedRatePacer(3 * MS);
        long t0 = System.nanoTime();
        long s1 = p.awaitSlot();
        p.finish(s1, System.nanoTime());
        long s2 = p.awaitSlot();
        assertEquals(s1 + 3 * MS, s2);
        assertTrue(System.nanoTime() - t0 >= 3 * MS, "waited for the second slot");
        p.finish(s2, System.nanoTime());
        p.reset();
        long before = System.nanoTime();
        long s3 = p.awaitSlot();
        assertTrue(s3 >= before, "a reset schedule starts now, not at an old slot");
    }

    /** Spinning the last stretch still waits for the slot, never returns before it, whatever the spin. */
    @Test
    void aSpinningPacerStillWaitsForEachSlot() {
        for (long spin : new long[] {MS / 10, 10 * MS}) {
            FixedRatePacer p = new FixedRatePacer(2 * MS, spin);
            long s1 = p.awaitSlot();
            p.finish(s1, System.nanoTime());
            long s2 = p.awaitSlot();
            assertEquals(s1 + 2 * MS, s2);
            assertTrue(System.nanoTime() - s2 >= 0, "returned no earlier than its slot, spin " + spin);
        }
    }

    @Test
    void zeroIntervalIsClosedLoop() {
        FixedRatePacer p = new FixedRatePacer(0);
        long before = System.nanoTime();
        long s = p.awaitSlot();
        assertTrue(s >= before);
        assertEquals(123, p.finish(s, s + 123));
    }
}
