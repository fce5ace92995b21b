package rlbench.bench.results;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The run's text files read for checking: UTF-8 or refused by name, with a byte-order mark
 * dropped (an editor on Windows adds one, and it would otherwise glue itself to the first
 * column's name). Every problem is a one-line {@link IllegalArgumentException}.
 */
public final class TextFiles {

    private static final char BOM = '\uFEFF';

    private TextFiles() {
    }

    /**
     * The whole of {@code file} as text.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or is not UTF-8,
     *                                  with the line of the first byte that is not
     */
    public static String read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        return decode(bytes, file);
    }

    static String decode(byte[] bytes, Path file) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, out, true);
        if (!r.isError()) {
            r = utf8.flush(out);
        }
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new IllegalArgumentException(file + ": not UTF-8 text (line " + line + " holds a byte sequence "
                    + "UTF-8 does not have; save the file as UTF-8)");
        }
        out.flip();
        if (out.length() > 0 && out.charAt(0) == BOM) {
            out.get();
        }
        return out.toString();
    }
}
