package rlbench.bench.run;

import rlbench.bench.workloads.SimulationState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

    private static final Workload.Variant FAULT_ALONE = Workload.FAULT.variants().get(0);
    private static final Workload.Variant PUNCH_GROUP = Workload.PUNCH.variants().get(0);

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("framePoolPages", "4096"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The runner checks against the workloads' own sizing, not a copy of it. */
    @Test
    void blocksAndTheFileLimitAreTheWorkloadsOwn() {
        for (long pages : new long[] {1, 4096, 524_288, 16_777_216, SimulationState.MAX_FILE_PAGES}) {
            long expected = pages + pages / 8 + 1024;
            assertEquals(expected, SimulationState.blocksFor(pages), "pages " + pages);
            // STAMP_ONLY keeps 16 bytes a block off-heap: the estimate's device share follows blocksFor
            assertEquals(expected * 16, MemoryEstimate.of(Workload.PUNCH, Workload.PUNCH.variants().get(0), 1,
                    params("filePages", String.valueOf(pages), "deviceMode", "STAMP_ONLY")).directBytes(), "pages " + pages);
        }
    }

    @Test
    void dataModeKeepsFourKibPerBlockOffHeapAndPerCachedPageOnIt() {
        MemoryEstimate data = MemoryEstimate.of(Workload.FAULT, FAULT_ALONE, 1, params("filePages", "65536", "deviceMode", "DATA"));
        MemoryEstimate stamps = MemoryEstimate.of(Workload.FAULT, FAULT_ALONE, 1,
                params("filePages", "65536", "deviceMode", "STAMP_ONLY"));
        long blocks = 65_536 + 8192 + 1024;
        assertEquals(blocks * (4096 + 16), data.directBytes());
        assertEquals(blocks * 16, stamps.directBytes());
        long perCachedPage = (data.heapBytes() - stamps.heapBytes()) / (65_536 + 4096 + 64);
        assertEquals(4096 + 64, perCachedPage, "a frame's contents per cached, pooled and magazine page");
    }

    @Test
    void eachFaultWorkerAddsAPageTableEntryPerPageOfItsMapping() {
        Map<String, String> p = params("filePages", "1048576", "deviceMode", "STAMP_ONLY");
        long one = MemoryEstimate.of(Workload.FAULT, FAULT_ALONE, 1, p).heapBytes();
        long two = MemoryEstimate.of(Workload.FAULT, FAULT_ALONE, 2, p).heapBytes();
        assertEquals(1_048_576L * 4 + 64 * 90, two - one, "one more mapping of the whole file and one more magazine");
        long punchOne = MemoryEstimate.of(Workload.PUNCH, PUNCH_GROUP, 1, p).heapBytes();
        long punchTwo = MemoryEstimate.of(Workload.PUNCH, PUNCH_GROUP, 2, p).heapBytes();
        assertEquals(64 * 90, punchTwo - punchOne, "the second punch worker writes: it maps nothing");
        long punchThree = MemoryEstimate.of(Workload.PUNCH, PUNCH_GROUP, 3, p).heapBytes();
        assertEquals(524_288L * 4 + 64 * 90, punchThree - punchTwo, "the third faults, mapping the workers' half");
    }

    @Test
    void aSparsePunchHalfCachesOnePageInFourThousand() {
        Map<String, String> dense = params("filePages", "16777216", "deviceMode", "STAMP_ONLY", "cache", "dense");
        Map<String, String> sparse = new HashMap<>(dense);
        sparse.put("cache", "sparse");
        long saved = MemoryEstimate.of(Workload.PUNCH, PUNCH_GROUP, 1, dense).heapBytes()
                - MemoryEstimate.of(Workload.PUNCH, PUNCH_GROUP, 1, sparse).heapBytes();
        assertEquals((8_388_608L - (8_388_608L / 4096 + 1)) * 90, saved);
    }

    @Test
    void benchmarksWithoutAFileNeedOnlyTheBase() {
        for (Workload w : new Workload[] {Workload.LOCKS, Workload.FLOOR}) {
            MemoryEstimate e = MemoryEstimate.of(w, w.variants().get(0), 1, Map.of("punchPages", "262144"));
            assertEquals(MemoryEstimate.BASE_HEAP_BYTES, e.heapBytes(), w.name());
            assertEquals(0, e.directBytes(), w.name());
        }
    }

    @Test
    void theFaultWorkersAreThoseOfTheFaultMethodWhateverItsPlaceInTheGroup() {
        Workload.Variant mixed = Workload.MIXED.variants().get(0);
        assertEquals(List.of("punch", "workerFault", "workerRead", "workerWrite"), mixed.groupMethods());
        Map<String, String> p = params("filePages", "65536", "deviceMode", "STAMP_ONLY");
        long two = MemoryEstimate.of(Workload.MIXED, mixed, 2, p).heapBytes();
        long four = MemoryEstimate.of(Workload.MIXED, mixed, 4, p).heapBytes();
        assertEquals(65_536L * 4 + 2 * 64 * 90, four - two, "two more workers, -tg 1,1,1,0 to 1,2,1,1: "
                + "one more maps the file, both keep a magazine");
    }
}
