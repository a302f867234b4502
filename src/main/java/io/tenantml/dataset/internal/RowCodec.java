package io.tenantml.dataset.internal;

import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetRow;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The stored rows format: gzip (fastest level) over a typed binary stream. Deterministic (no timestamps in
 * the gzip header), so the same rows always give the same bytes and the same SHA-256.
 * <pre>
 * "TMLROWS1" varint(columns) byte(type ordinal)*
 * ( 1 varlong(line) null-bitmap value* )*  0 varlong(rowCount)
 * </pre>
 * Values: numeric double, integer zig-zag varlong, boolean byte, text/categorical varint length + UTF-8,
 * timestamp varlong epoch second + varint nano. The end marker makes a truncated file an error.
 */
final class RowCodec {

    private static final byte[] MAGIC = "TMLROWS1".getBytes(StandardCharsets.US_ASCII);

    private RowCodec() {}

    static final class Writer implements AutoCloseable {
        private final GZIPOutputStream gzip;
        private final Buffer out;
        private final ColumnType[] types;
        private final byte[] bitmap;
        private long rows;

        Writer(OutputStream target, List<ColumnType> types) throws IOException {
            this.gzip = new GZIPOutputStream(target, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            this.out = new Buffer(gzip);
            this.types = types.toArray(ColumnType[]::new);
            this.bitmap = new byte[(this.types.length + 7) / 8];
            out.write(MAGIC, 0, MAGIC.length);
            out.writeVarLong(this.types.length);
            for (ColumnType t : this.types) {
                out.writeByte(t.ordinal());
            }
        }

        void write(long line, Object[] values) throws IOException {
            out.writeByte(1);
            out.writeVarLong(line);
            Arrays.fill(bitmap, (byte) 0);
            for (int i = 0; i < types.length; i++) {
                if (values[i] == null) {
                    bitmap[i >> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.write(bitmap, 0, bitmap.length);
            for (int i = 0; i < types.length; i++) {
                Object v = values[i];
                if (v == null) {
                    continue;
                }
                switch (types[i]) {
                    case NUMERIC -> out.writeLong(Double.doubleToRawLongBits((Double) v));
                    case INTEGER -> out.writeVarLong(zigzag((Long) v));
                    case BOOLEAN -> out.writeByte((Boolean) v ? 1 : 0);
                    case CATEGORICAL, TEXT -> {
                        byte[] bytes = ((String) v).getBytes(StandardCharsets.UTF_8);
                        out.writeVarLong(bytes.length);
                        out.write(bytes, 0, bytes.length);
                    }
                    case TIMESTAMP -> {
                        Instant t = (Instant) v;
                        out.writeVarLong(zigzag(t.getEpochSecond()));
                        out.writeVarLong(t.getNano());
                    }
                }
            }
            rows++;
        }

        /** Writes the end marker and finishes the gzip stream; the target stays open. */
        void finish() throws IOException {
            out.writeByte(0);
            out.writeVarLong(rows);
            out.flush();
            gzip.finish();
        }

        @Override
        public void close() throws IOException {
            gzip.close();
        }
    }

    /**
     * A plain byte buffer in front of the deflater: DataOutputStream over BufferedOutputStream takes a lock
     * per byte written, which showed up as a top cost when profiling ingestion.
     */
    private static final class Buffer {
        private final OutputStream target;
        private final byte[] buf = new byte[1 << 16];
        private int pos;

        Buffer(OutputStream target) {
            this.target = target;
        }

        void writeByte(int b) throws IOException {
            if (pos == buf.length) {
                flush();
            }
            buf[pos++] = (byte) b;
        }

        void writeLong(long v) throws IOException {
            if (pos + 8 > buf.length) {
                flush();
            }
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (v >>> shift);
            }
        }

        void writeVarLong(long v) throws IOException {
            if (pos + 10 > buf.length) {
                flush();
            }
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void write(byte[] bytes, int off, int len) throws IOException {
            if (len > buf.length - pos) {
                flush();
                if (len > buf.length) {
                    target.write(bytes, off, len);
                    return;
                }
            }
            System.arraycopy(bytes, off, buf, pos, len);
            pos += len;
        }

        void flush() throws IOException {
            target.write(buf, 0, pos);
            pos = 0;
        }
    }

    static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private final ColumnType[] types;
        private final byte[] bitmap;
        private long rows;

        Reader(InputStream source) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(source, 1 << 16), 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a TenantML rows file");
            }
            int n = (int) readVarLong(in);
            types = new ColumnType[n];
            for (int i = 0; i < n; i++) {
                types[i] = ColumnType.values()[in.readUnsignedByte()];
            }
            bitmap = new byte[(n + 7) / 8];
        }

        List<ColumnType> types() {
            return List.of(types);
        }

        /** The next row, or null at the end marker. */
        DatasetRow next() throws IOException {
            int marker;
            try {
                marker = in.readUnsignedByte();
            } catch (EOFException e) {
                throw new IOException("rows file is truncated after " + rows + " rows");
            }
            if (marker == 0) {
                long expected = readVarLong(in);
                if (expected != rows) {
                    throw new IOException("rows file says " + expected + " rows but has " + rows);
                }
                return null;
            }
            long line = readVarLong(in);
            in.readFully(bitmap);
            Object[] values = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                if ((bitmap[i >> 3] & (1 << (i & 7))) != 0) {
                    continue;
                }
                values[i] = switch (types[i]) {
                    case NUMERIC -> in.readDouble();
                    case INTEGER -> unzigzag(readVarLong(in));
                    case BOOLEAN -> in.readByte() != 0;
                    case CATEGORICAL, TEXT -> {
                        byte[] bytes = new byte[(int) readVarLong(in)];
                        in.readFully(bytes);
                        yield new String(bytes, StandardCharsets.UTF_8);
                    }
                    case TIMESTAMP -> Instant.ofEpochSecond(unzigzag(readVarLong(in)), readVarLong(in));
                };
            }
            rows++;
            return new DatasetRow(line, values);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static long readVarLong(DataInputStream in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed varint");
    }
}
