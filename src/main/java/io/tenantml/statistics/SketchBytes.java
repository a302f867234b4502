package io.tenantml.statistics;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The envelope of every serialised summary, so that stored bytes stay readable by later code:
 *
 * <pre>
 * offset 0  4 bytes  magic "TMLS"
 *        4  1 byte   format version (1): bumped whenever any payload below changes; readers keep every older one
 *        5  1 byte   kind (see {@link Kind}): bytes of one kind are never read as another
 *        6  ...      the kind's payload, big-endian; nested summaries as length-prefixed blocks
 * </pre>
 *
 * The DataSketches parts inside a payload are in DataSketches' own serial formats, which that project keeps
 * readable across its releases and languages (Java, C++, Python); ours only wraps and combines them.
 */
final class SketchBytes {

    /** "TMLS" in ASCII. */
    static final int MAGIC = 0x544D4C53;

    static final int FORMAT_VERSION = 1;

    enum Kind {
        QUANTILES(1),
        DISTINCT_COUNT(2),
        FREQUENT_VALUES(3),
        MOMENTS(4),
        COLUMN(5),
        TABLE(6);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    private SketchBytes() {}

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer(Kind kind) {
            writeInt(MAGIC);
            writeByte(FORMAT_VERSION);
            writeByte(kind.code);
        }

        Writer writeByte(int v) {
            try {
                out.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer writeInt(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer writeLong(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer writeDouble(double v) {
            try {
                out.writeDouble(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Length in bytes, then the bytes. */
        Writer writeBlock(byte[] block) {
            writeInt(block.length);
            try {
                out.write(block);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** UTF-8, as a block. */
        Writer writeString(String s) {
            return writeBlock(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    static final class Reader {
        private final ByteBuffer in;
        private final Kind kind;

        private Reader(ByteBuffer in, Kind kind) {
            this.in = in;
            this.kind = kind;
        }

        /** Checks the envelope; the reader is then at the payload of a summary of the expected kind. */
        static Reader open(byte[] bytes, Kind expected) {
            Objects.requireNonNull(bytes, "bytes");
            if (bytes.length < 6) {
                throw new SketchFormatException(
                        "Not a TenantML summary: " + bytes.length + " bytes, shorter than the 6-byte header");
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int magic = in.getInt();
            if (magic != MAGIC) {
                throw new SketchFormatException(String.format(
                        "Not a TenantML summary: magic 0x%08x instead of 0x%08x (\"TMLS\")", magic, MAGIC));
            }
            int version = in.get() & 0xff;
            if (version < 1 || version > FORMAT_VERSION) {
                throw new SketchFormatException("Summary format version " + version
                        + " is not readable by this code, which reads versions 1 to " + FORMAT_VERSION);
            }
            int code = in.get() & 0xff;
            Kind kind = Kind.of(code);
            if (kind != expected) {
                throw new SketchFormatException("Expected a summary of kind " + expected + " but the bytes hold "
                        + (kind == null ? "unknown kind " + code : kind));
            }
            return new Reader(in, kind);
        }

        int readByte() {
            try {
                return in.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        int readInt() {
            try {
                return in.getInt();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        long readLong() {
            try {
                return in.getLong();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        double readDouble() {
            try {
                return in.getDouble();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        byte[] readBlock() {
            int length = readInt();
            if (length < 0 || length > in.remaining()) {
                throw new SketchFormatException("Summary of kind " + kind + " is cut short: a block of " + length
                        + " bytes with " + in.remaining() + " left");
            }
            byte[] block = new byte[length];
            in.get(block);
            return block;
        }

        String readString() {
            return new String(readBlock(), StandardCharsets.UTF_8);
        }

        /** Refuses trailing bytes: they mean the bytes are not what the reader thinks they are. */
        void end() {
            if (in.hasRemaining()) {
                throw new SketchFormatException(
                        "Summary of kind " + kind + " has " + in.remaining() + " unexpected bytes after its end");
            }
        }

        SketchFormatException invalid(String what) {
            return new SketchFormatException("Summary of kind " + kind + " is invalid: " + what);
        }

        private SketchFormatException truncated() {
            return new SketchFormatException("Summary of kind " + kind + " is cut short");
        }
    }
}
