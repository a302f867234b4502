package io.tenantml.feature;

import java.util.List;

/**
 * One record after the transform, with what the caller may want to warn about.
 *
 * @param features      aligned with {@link FeatureTransform#featureNames()}; missing values are NaN
 * @param missing       input columns that were absent or null
 * @param unseen        categorical input columns whose value is not in the dictionary (became missing)
 * @param unknownFields record fields that are no input of the transform (ignored)
 * @param kinds         what each input's raw value was, aligned with {@link FeatureTransform#inputs()}
 */
public record EncodedRecord(
        float[] features, List<String> missing, List<String> unseen, List<String> unknownFields, ValueKind[] kinds) {}
