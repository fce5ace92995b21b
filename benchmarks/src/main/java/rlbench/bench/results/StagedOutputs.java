package rlbench.bench.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A command's outputs written in full before any of them replaces what is there. Each output, a
 * file or a folder, is written under a hidden staging folder inside the target folder (so the
 * renames stay on one file system); {@link #commit} checks that every target can take its output,
 * then renames them all into place. Until then the previous outputs are untouched, and a failure
 * anywhere (an unreadable input, a full disk, a folder where a file goes) leaves them as they
 * were, with the staging folder removed by {@link #close}.
 *
 * <pre>{@code
 * try (StagedOutputs out = StagedOutputs.in(dir)) {
 *     Files.writeString(out.file("report.md"), text);
 *     draw(out.folder("plots"));
 *     out.commit();
 * }
 * }</pre>
 *
 * A file replaces its target with one atomic rename, so a reader sees the old file or the new,
 * never half of one. A folder cannot be swapped in one step: the old one is moved aside, the new
 * one in, and the old one deleted.
 */
public final class StagedOutputs implements AutoCloseable {

    private static final String PREVIOUS = ".previous";

    private final Path target;
    private final Path staging;
    /** Output name to whether it is a folder, in the order they were staged. */
    private final Map<String, Boolean> outputs = new LinkedHashMap<>();
    private boolean committed;
    /** How outputs are renamed; tests make it fail. */
    Rename rename = StagedOutputs::move;

    /** One rename, as {@link Files#move}. */
    interface Rename {
        void move(Path from, Path to) throws IOException;
    }

    private StagedOutputs(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** Starts staging outputs for {@code targetDir}, creating it when missing. */
    public static StagedOutputs in(Path targetDir) throws IOException {
        Path dir = targetDir.toAbsolutePath();
        Files.createDirectories(dir);
        return new StagedOutputs(dir, Files.createTempDirectory(dir, ".rlbench-staging-"));
    }

    /**
     * Writes {@code text} to {@code file} whole or not at all: through a temporary file in its
     * folder, renamed over it.
     */
    public static void writeFile(Path file, String text) throws IOException {
        Path abs = file.toAbsolutePath();
        try (StagedOutputs out = in(abs.getParent())) {
            Files.writeString(out.file(abs.getFileName().toString()), text, StandardCharsets.UTF_8);
            out.commit();
        }
    }

    /** The staging folder: outputs sit in it under their own names, so links between them resolve. */
    public Path dir() {
        return staging;
    }

    /**
     * Where to write the file that becomes {@code name} in the target folder.
     *
     * @throws FileSystemException when a folder is in the way of the target, checked now so the
     *                             work of writing it is not wasted
     */
    public Path file(String name) throws IOException {
        stage(name, false);
        return staging.resolve(name);
    }

    /**
     * The folder, created empty, whose contents become {@code name} in the target folder,
     * replacing the whole of what is there.
     *
     * @throws FileAlreadyExistsException when a file is in the way of the target
     */
    public Path folder(String name) throws IOException {
        stage(name, true);
        return Files.createDirectories(staging.resolve(name));
    }

    private void stage(String name, boolean folder) throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        if (name.isEmpty() || name.equals(PREVIOUS) || Path.of(name).getNameCount() != 1 || Path.of(name).isAbsolute()
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain output name: '" + name + "'");
        }
        if (outputs.containsKey(name)) {
            throw new IllegalArgumentException("staged twice: " + name);
        }
        checkTarget(name, folder);
        outputs.put(name, folder);
    }

    private void checkTarget(String name, boolean folder) throws IOException {
        Path t = target.resolve(name);
        if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (folder && !Files.isDirectory(t)) {
            throw new FileAlreadyExistsException(t.toString(), null, "a file is in the way of a folder");
        }
        if (!folder && Files.isDirectory(t)) {
            throw new FileSystemException(t.toString(), null, "a folder is in the way of a file");
        }
    }

    /**
     * Checks every target again, then renames every staged output into place. If a rename fails
     * the outputs already renamed are put back as they were.
     *
     * @throws IOException when a target cannot take its output (nothing is replaced then) or a
     *                     rename fails
     */
    public void commit() throws IOException {
        for (Map.Entry<String, Boolean> o : outputs.entrySet()) {
            Path staged = staging.resolve(o.getKey());
            if (o.getValue() ? !Files.isDirectory(staged) : !Files.isRegularFile(staged)) {
                throw new IllegalStateException("staged but not written: " + staged);
            }
            checkTarget(o.getKey(), o.getValue());
        }
        Path previous = Files.createDirectory(staging.resolve(PREVIOUS));
        List<String> started = new ArrayList<>();
        try {
            for (Map.Entry<String, Boolean> o : outputs.entrySet()) {
                started.add(o.getKey());
                Path t = target.resolve(o.getKey());
                Path old = previous.resolve(o.getKey());
                boolean existed = Files.exists(t, LinkOption.NOFOLLOW_LINKS);
                if (existed && o.getValue()) {
                    rename.move(t, old);
                } else if (existed) {
                    keepCopy(t, old);
                }
                rename.move(staging.resolve(o.getKey()), t);
            }
        } catch (IOException | RuntimeException e) {
            putBack(started, previous);
            throw e;
        }
        committed = true;
    }

    /**
     * Undoes the renames of the outputs in {@code started}, as far as it can: what is still in
     * the staging folder was never moved, what is in {@code previous} goes back. Quietly: the
     * error that matters is already on its way.
     */
    private void putBack(List<String> started, Path previous) {
        for (int i = started.size() - 1; i >= 0; i--) {
            String name = started.get(i);
            Path t = target.resolve(name);
            Path staged = staging.resolve(name);
            Path old = previous.resolve(name);
            try {
                boolean movedIn = !Files.exists(staged, LinkOption.NOFOLLOW_LINKS);
                if (movedIn && outputs.get(name)) {
                    move(t, staged);
                }
                if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                    move(old, t);
                } else if (movedIn) {
                    Files.deleteIfExists(t);
                }
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }
    }

    /** A hard link to the old file (a copy where links are not supported), so it can be put back. */
    private static void keepCopy(Path file, Path keep) throws IOException {
        try {
            Files.createLink(keep, file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, keep, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Removes the staging folder and whatever is left in it: the previous outputs after a commit,
     * everything after a failure. Quietly: after a commit the outputs are in place, and after a
     * failure the error that matters is already on its way.
     */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a hidden folder left behind harms nothing
        }
    }
}
