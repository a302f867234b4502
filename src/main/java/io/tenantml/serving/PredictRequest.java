package io.tenantml.serving;

import java.util.List;
import java.util.Map;

/**
 * @param records one JSON object per record, input column to value
 * @param explain adds SHAP contributions, bias and margin to each prediction
 * @param version a model version to use; exclusive with {@code alias}
 * @param alias   the alias to resolve (default {@code production}); resolved on every request
 */
public record PredictRequest(List<Map<String, Object>> records, Boolean explain, Integer version, String alias) {}
