package io.tenantml.monitoring.internal;

import io.tenantml.feature.ValueKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The compact binary form of a logged prediction's payload (the {@code record} bytea of
 * {@code prediction_log}); everything else of a record is a fixed column. Layout, little-endian:
 *
 * <pre>
 * u8      format (1)
 * varint  sampledEvery (1 = every prediction logged)
 * varint  n inputs, then ceil(n/2) bytes of 4-bit {@link ValueKind} codes (low nibble first)
 * varint  m features, then m float32 (NaN = missing)
 * varint  k outputs, then k float32 (k = 0: refused, not scored)
 * </pre>
 *
 * For the 6-feature demo model that is 1 + 1 + 1 + 3 + 1 + 24 + 1 + 4 = 36 bytes. Float32 is what the model
 * itself computed with (XGBoost reads float32), so nothing is lost; self-describing counts let a record be
 * decoded without its model version, and the format byte lets a later layout coexist in old partitions.
 */
public final class PredictionRecordCodec {

    public static final int FORMAT = 1;

    private PredictionRecordCodec() {}

    /** A decoded payload. */
    public record Payload(int sampledEvery, ValueKind[] kinds, float[] features, float[] outputs) {}

    public static byte[] encode(int sampledEvery, ValueKind[] kinds, float[] features, float[] outputs) {
        if (sampledEvery < 1) {
            throw new IllegalArgumentException("sampledEvery must be at least 1: " + sampledEvery);
        }
        int size = 1
                + varintSize(sampledEvery)
                + varintSize(kinds.length)
                + (kinds.length + 1) / 2
                + varintSize(features.length)
                + 4 * features.length
                + varintSize(outputs.length)
                + 4 * outputs.length;
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) FORMAT);
        putVarint(out, sampledEvery);
        putVarint(out, kinds.length);
        for (int i = 0; i < kinds.length; i += 2) {
            int low = kinds[i].code();
            int high = i + 1 < kinds.length ? kinds[i + 1].code() : 0;
            out.put((byte) (low | high << 4));
        }
        putVarint(out, features.length);
        for (float f : features) {
            out.putFloat(f);
        }
        putVarint(out, outputs.length);
        for (float f : outputs) {
            out.putFloat(f);
        }
        return out.array();
    }

    /** @throws IllegalArgumentException for bytes that are not a payload of a known format */
    public static Payload decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int format = in.get() & 0xFF;
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown prediction record format " + format);
            }
            int sampledEvery = getVarint(in);
            ValueKind[] kinds = new ValueKind[getVarint(in)];
            for (int i = 0; i < kinds.length; i += 2) {
                int both = in.get() & 0xFF;
                kinds[i] = ValueKind.ofCode(both & 0x0F);
                if (i + 1 < kinds.length) {
                    kinds[i + 1] = ValueKind.ofCode(both >>> 4);
                }
            }
            float[] features = new float[getVarint(in)];
            for (int i = 0; i < features.length; i++) {
                features[i] = in.getFloat();
            }
            float[] outputs = new float[getVarint(in)];
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = in.getFloat();
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes left after a prediction record");
            }
            return new Payload(sampledEvery, kinds, features, outputs);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated prediction record of " + bytes.length + " bytes", e);
        }
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("negative count in a prediction record");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes in a prediction record");
    }
}
