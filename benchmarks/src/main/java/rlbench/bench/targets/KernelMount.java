package rlbench.bench.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mount a folder lives on, from {@code /proc/self/mountinfo}: its mount point, filesystem
 * type, device and options, for env.json. The longest mount point that contains the folder's
 * real path wins, as the kernel resolves it (bind mounts and the like are reported as mounted).
 *
 * @param point the mount point
 * @param type the filesystem type (ext4, xfs, btrfs, tmpfs, ...)
 * @param device the mount source (a block device, or a name such as tmpfs)
 * @param options the per-mount options, then the filesystem's own
 */
public record KernelMount(String point, String type, String device, String options) {

    /** The mount of {@code dir} (which must exist); null when mountinfo cannot be read or names none. */
    public static KernelMount of(Path dir) {
        try {
            return of(dir.toRealPath(), Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return null;
        }
    }

    /** The mount of {@code realDir} among mountinfo's {@code lines}; null when none contains it. */
    static KernelMount of(Path realDir, List<String> lines) {
        KernelMount best = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 7 || dash < 6 || dash + 3 >= f.length) {
                continue;
            }
            String point = unescape(f[4]);
            if (!realDir.startsWith(point)) {
                continue;
            }
            if (best == null || point.length() >= best.point().length()) {
                best = new KernelMount(point, f[dash + 1], unescape(f[dash + 2]), f[5] + ";" + f[dash + 3]);
            }
        }
        return best;
    }

    /** mountinfo writes a space, tab, newline or backslash in a path as a three-digit octal escape. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The fields env.json records. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mount_point", point);
        m.put("fs_type", type);
        m.put("device", device);
        m.put("mount_options", options);
        return m;
    }
}
