package io.tenantml.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a model's rows were divided, recorded so that a later candidate can tell which of its validation rows
 * this model cannot have trained on (the gate scores a champion only on those).
 *
 * @param method           random or time
 * @param holdoutFraction  the spec's share of validation rows
 * @param seed             the seed the row hashes were salted with (random)
 * @param rowHash          the row hash's scheme, {@link #ROW_HASH} (random); a row validates iff its hash
 *                         under this scheme and seed, as a fraction of 2^53, is below {@code validationBelow}
 * @param columns          the columns whose values were hashed, in the order hashed (random)
 * @param validationBelow  the threshold applied: the holdout fraction, unless it had to move so that each side
 *                         holds a row (random)
 * @param trainedUntil     the latest time of a training row; every later row validated (time; null when no
 *                         training row had a time)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SplitProvenance(
        SplitSpec.Method method,
        double holdoutFraction,
        long seed,
        String rowHash,
        List<String> columns,
        Double validationBelow,
        Instant trainedUntil) {

    /**
     * MurmurHash3 x64 128 (seed 0; the first 64-bit half) over the split seed (8 bytes, big-endian) and then,
     * per hashed column, its name and value as {@code training.RowHash} writes them.
     */
    public static final String ROW_HASH = "murmur3-x64-128/v1";

    public SplitProvenance {
        Objects.requireNonNull(method, "method");
        columns = columns == null ? null : List.copyOf(columns);
    }
}
