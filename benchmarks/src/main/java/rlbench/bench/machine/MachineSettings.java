package rlbench.bench.machine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The settings of a machine that make benchmark numbers noisy, as {@link MachineProbe} read them
 * when a run started, and as {@code env.json} keeps them under {@code "machine"}. Each field is
 * null where the OS does not expose it (a VM without cpufreq, a kernel without NUMA, not Linux),
 * so a reader can tell "not exposed" from any value. CPU sets are in the kernel's list syntax.
 *
 * @param onlineCpus            {@code /sys/devices/system/cpu/online}
 * @param pinnedCpus            the CPUs {@code run --cpus} pinned the benchmark JVMs to; null when not pinned
 * @param scalingDriver         the cpufreq driver of CPU 0 ({@code intel_pstate}, {@code acpi-cpufreq}, {@code amd-pstate-epp})
 * @param amdPstate             {@code /sys/devices/system/cpu/amd_pstate/status} (active, passive, guided)
 * @param governors             each cpufreq governor in use and the CPUs that use it
 * @param boost                 whether turbo or boost may raise the clock above its base
 * @param boostSource           the file {@code boost} was read from
 * @param smtActive             whether a core runs two hardware threads
 * @param smtSiblings           the CPUs that share a core, one list per core that has more than one
 * @param thp                   transparent huge pages: always, madvise or never
 * @param thpDefrag             when a fault may stall to compact memory into a huge page
 * @param isolatedCpus          the CPUs {@code isolcpus=} keeps the scheduler off; empty for none
 * @param nohzFullCpus          the CPUs that run without the scheduler tick; empty for none
 * @param numaNodes             each online NUMA node and its CPUs
 * @param clocksource           the clocksource {@code System.nanoTime} reads
 * @param availableClocksources the ones the kernel could switch to, separated by spaces
 * @param cmdline               the kernel command line
 * @param loadAverage           the 1, 5 and 15 minute load averages when the run started
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer rlbench may record more; an older one reads what it knows
public record MachineSettings(
        String onlineCpus,
        String pinnedCpus,
        String scalingDriver,
        String amdPstate,
        Map<String, String> governors,
        Boolean boost,
        String boostSource,
        Boolean smtActive,
        List<String> smtSiblings,
        String thp,
        String thpDefrag,
        String isolatedCpus,
        String nohzFullCpus,
        Map<String, String> numaNodes,
        String clocksource,
        String availableClocksources,
        String cmdline,
        List<Double> loadAverage) {

    /** Every CPU list must parse, so that settings read back from a hand-edited env.json are judged or refused, never half-read. */
    public MachineSettings {
        for (String[] f : new String[][] {{"online_cpus", onlineCpus}, {"pinned_cpus", pinnedCpus},
            {"isolated_cpus", isolatedCpus}, {"nohz_full_cpus", nohzFullCpus}}) {
            checkList(f[0], f[1]);
        }
        if (governors != null) {
            governors.forEach((g, cpus) -> checkList("governors." + g, cpus));
        }
        if (numaNodes != null) {
            numaNodes.forEach((n, cpus) -> checkList("numa_nodes." + n, cpus));
        }
        if (smtSiblings != null) {
            smtSiblings.forEach(cpus -> checkList("smt_siblings", cpus));
        }
        if (loadAverage != null && (loadAverage.size() != 3 || loadAverage.stream().anyMatch(x -> x == null || !(x >= 0)))) {
            throw new IllegalArgumentException("load_average " + loadAverage + " is not three averages of 0 or more");
        }
    }

    private static void checkList(String field, String cpus) {
        if (cpus == null) {
            return;
        }
        try {
            CpuList.parse(cpus);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    /** Reads values as written: no "true" for true, no 5 for "5", so a hand-edited env.json is read exactly or refused. */
    private static final ObjectMapper MAPPER = strict();

    private static ObjectMapper strict() {
        ObjectMapper m = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return m;
    }

    /** The same settings with the benchmark JVMs pinned to {@code cpus}. */
    public MachineSettings pinnedTo(CpuList cpus) {
        return new MachineSettings(onlineCpus, cpus.toString(), scalingDriver, amdPstate, governors, boost, boostSource,
                smtActive, smtSiblings, thp, thpDefrag, isolatedCpus, nohzFullCpus, numaNodes, clocksource,
                availableClocksources, cmdline, loadAverage);
    }

    /**
     * The settings as plain JSON values (maps, lists, strings, numbers, booleans, nulls) in field
     * order, with env.json's snake_case names, for the writer of env.json to embed.
     */
    public Map<String, Object> toJson() {
        return MAPPER.convertValue(this, new TypeReference<Map<String, Object>>() { });
    }

    /**
     * Reads settings back from env.json's {@code "machine"} value, as parsed JSON (maps and lists,
     * or a Jackson tree). Fields an older rlbench did not record read as null: not exposed.
     *
     * @throws IllegalArgumentException with one line when a field has the wrong type
     */
    public static MachineSettings fromJson(Object json) {
        if (!(json instanceof Map<?, ?>) && !(json instanceof com.fasterxml.jackson.databind.node.ObjectNode)) {
            throw new IllegalArgumentException("env.json \"machine\" is not a JSON object");
        }
        try {
            return MAPPER.convertValue(json, MachineSettings.class);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("env.json \"machine\" does not hold machine settings: " + why);
        }
    }
}
