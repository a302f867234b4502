package io.tenantml.shared.rest;

import io.tenantml.shared.Texts;
import jakarta.ws.rs.core.EntityTag;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a GET of a stored file answers to RFC 9110's range headers (§14), so that a client can resume a large
 * download where it broke off. One range is served; a request for several is answered with the whole file, as
 * RFC 9110 allows (and a client resuming asks for one). A range in another unit than bytes is ignored, as it
 * must be. A bytes range that is malformed or lies past the end is refused with 416 and the reason, rather
 * than silently answered with the whole file the client did not ask for.
 */
public final class ByteRanges {

    /** What to answer. */
    public sealed interface Answer {}

    /** The whole file, 200: no range asked, one in another unit, several, or an If-Range that no longer holds. */
    public record Whole() implements Answer {}

    /** Bytes {@code first} to {@code last} (inclusive) of a file of {@code size} bytes, 206. */
    public record Part(long first, long last, long size) implements Answer {
        public long length() {
            return last - first + 1;
        }

        /** The Content-Range header of the part. */
        public String contentRange() {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** 416: why the range cannot be served, and the Content-Range every 416 carries. */
    public record Unsatisfiable(String reason, long size) implements Answer {
        public String contentRange() {
            return "bytes */" + size;
        }
    }

    private ByteRanges() {}

    /**
     * The answer to a GET with {@code range} and {@code ifRange} (either may be null) of a file of {@code size}
     * bytes whose entity tag is {@code tag} (null when it has none: an If-Range then never holds).
     */
    public static Answer answer(String range, String ifRange, EntityTag tag, long size) {
        if (range == null || range.isBlank()) {
            return new Whole();
        }
        // If-Range compares strongly, and this API gives no Last-Modified for a date to match (§13.1.5)
        if (ifRange != null && (tag == null || tag.isWeak() || !ifRange.strip().equals("\"" + tag.getValue() + "\""))) {
            return new Whole();
        }
        int equals = range.indexOf('=');
        if (equals < 0 || !range.substring(0, equals).strip().equalsIgnoreCase("bytes")) {
            return new Whole();
        }
        String ranges = range.substring(equals + 1).strip();
        if (ranges.indexOf(',') >= 0) {
            return new Whole();
        }
        int dash = ranges.indexOf('-');
        String start = dash < 0 ? "" : ranges.substring(0, dash).strip();
        String end = dash < 0 ? "" : ranges.substring(dash + 1).strip();
        if (dash < 0 || !digits(start) || !digits(end) || (start.isEmpty() && end.isEmpty())) {
            return new Unsatisfiable(
                    "Range '" + Texts.cut(range, 60) + "' is not a byte range; one is bytes=FIRST-LAST,"
                            + " bytes=FIRST- or bytes=-SUFFIX_LENGTH, with byte positions counted from 0",
                    size);
        }
        if (start.isEmpty()) {
            long suffix = number(end);
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable(
                        "Range asks for the last " + end + " bytes of a file of " + size + " bytes; none can be served",
                        size);
            }
            return new Part(Math.max(0, size - suffix), size - 1, size);
        }
        long first = number(start);
        if (!end.isEmpty() && number(end) < first) {
            return new Unsatisfiable("Range ends at byte " + end + ", before its first byte " + start, size);
        }
        if (first >= size) {
            return new Unsatisfiable(
                    "Range starts at byte " + start + ", but the file has " + size + " bytes (the last is " + (size - 1)
                            + ")",
                    size);
        }
        long last = end.isEmpty() ? size - 1 : Math.min(number(end), size - 1);
        return new Part(first, last, size);
    }

    /** Writes {@code length} bytes of {@code in} from byte {@code skip} to {@code out}. */
    public static void copy(InputStream in, long skip, long length, OutputStream out) throws IOException {
        in.skipNBytes(skip);
        byte[] buffer = new byte[64 * 1024];
        for (long left = length; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("the file ended " + left + " bytes before the range did");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static boolean digits(String value) {
        return value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A byte position; one beyond what a long holds lies past any file's end all the same. */
    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
