package rlbench.bench.machine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Prints this JVM's {@code Cpus_allowed_list}: started through a launch script, it shows what the script pinned. */
public final class PrintAffinity {

    private PrintAffinity() {
    }

    public static void main(String[] args) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                System.out.println(line.substring(line.indexOf(':') + 1).trim());
            }
        }
    }
}
