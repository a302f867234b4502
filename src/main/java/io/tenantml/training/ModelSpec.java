package io.tenantml.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tenantml.dataset.ColumnSchema;
import io.tenantml.dataset.ColumnType;
import io.tenantml.dataset.DatasetSchema;
import io.tenantml.model.InvalidSpecException;
import io.tenantml.model.Objective;
import io.tenantml.model.PositiveClass;
import io.tenantml.model.SplitSpec;
import io.tenantml.model.XGBoostParams;
import io.tenantml.shared.VersionRetention;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a tenant wants trained. Omitted parts take defaults: features (every other column but the time
 * column, the primary key and text columns), params ({@link XGBoostParams#DEFAULTS}), split (random 0.2),
 * gate (the objective's default metric, no minimum improvement), no schedule, autoPromote true.
 *
 * @param positive binary models only: which target values are positive (not needed for boolean targets)
 * @param schedule a Quartz cron expression (UTC) for retraining on the latest dataset version; {@code H} or
 *                 {@code H(a-b)} in the seconds, minutes and hours fields spread the time per model (see
 *                 {@link io.tenantml.scheduling.SpreadCron}), e.g. {@code H H H(0-5) * * ?} for once a night
 * @param monitoringSchedule a Quartz cron expression (UTC, {@code H} tokens as in {@code schedule}) for
 *                 profiling and judging the model's monitoring windows; absent:
 *                 {@code tenantml.monitoring.window.schedule} (hourly)
 * @param retention how many of the newest versions keep their model files (absent: every version's); the files of
 *                 older versions no alias or job needs are purged after each training and each change of the spec,
 *                 their records stay
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
        String dataset,
        String target,
        List<String> features,
        Objective objective,
        PositiveClass positive,
        XGBoostParams params,
        SplitSpec split,
        GateSpec gate,
        String schedule,
        Boolean autoPromote,
        String monitoringSchedule,
        VersionRetention retention) {

    /** A spec with the default monitoring schedule that keeps every version's file. */
    public ModelSpec(
            String dataset,
            String target,
            List<String> features,
            Objective objective,
            PositiveClass positive,
            XGBoostParams params,
            SplitSpec split,
            GateSpec gate,
            String schedule,
            Boolean autoPromote) {
        this(dataset, target, features, objective, positive, params, split, gate, schedule, autoPromote, null, null);
    }

    public ModelSpec {
        if (dataset == null || dataset.isBlank()) {
            throw new InvalidSpecException("dataset", "dataset is required");
        }
        if (target == null || target.isBlank()) {
            throw new InvalidSpecException("target", "target is required");
        }
        if (objective == null) {
            throw new InvalidSpecException("objective", "objective is required (binary, multiclass or regression)");
        }
        features = features == null ? null : List.copyOf(features);
        params = params == null ? XGBoostParams.DEFAULTS : params.withDefaults();
        split = split == null ? SplitSpec.DEFAULT : split;
        gate = (gate == null ? new GateSpec(null, null) : gate).resolve(objective);
        schedule = schedule == null || schedule.isBlank() ? null : schedule.trim();
        monitoringSchedule =
                monitoringSchedule == null || monitoringSchedule.isBlank() ? null : monitoringSchedule.trim();
        autoPromote = autoPromote == null || autoPromote;
        if (retention != null
                && retention.keepVersions() != null
                && (retention.keepVersions() < 1 || retention.keepVersions() > VersionRetention.MAX_KEEP)) {
            throw new InvalidSpecException(
                    "retention.keepVersions",
                    "retention.keepVersions must be between 1 and " + VersionRetention.MAX_KEEP + ", not "
                            + retention.keepVersions());
        }
        retention = retention == null || retention.keepVersions() == null ? null : retention;
        if (positive != null && objective != Objective.BINARY) {
            throw new InvalidSpecException("positive", "positive applies to binary models only");
        }
    }

    /**
     * Checks the spec against the dataset's schema and returns the feature columns to use.
     *
     * @throws InvalidSpecException naming the field: an unknown column, a target whose type does not fit
     *                              the objective, a time split without a time column
     */
    public List<String> resolveFeatures(DatasetSchema schema) {
        Objects.requireNonNull(schema, "schema");
        ColumnSchema targetColumn = schema.column(target)
                .orElseThrow(() -> new InvalidSpecException("target", "unknown column '" + target + "' in target"));
        checkTargetType(targetColumn.type());
        if (split.method() == SplitSpec.Method.TIME && schema.timeColumn() == null) {
            throw new InvalidSpecException("split.method", "split.method time needs a dataset with a time column");
        }
        List<String> resolved = new ArrayList<>();
        if (features == null) {
            for (ColumnSchema column : schema.columns()) {
                String name = column.name();
                if (!name.equals(target)
                        && !name.equals(schema.timeColumn())
                        && !name.equals(schema.primaryKey())
                        && column.type() != ColumnType.TEXT) {
                    resolved.add(name);
                }
            }
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < features.size(); i++) {
                String name = features.get(i);
                String field = "features[" + i + "]";
                if (schema.column(name).isEmpty()) {
                    throw new InvalidSpecException(field, "unknown column '" + name + "' in " + field);
                }
                if (name.equals(target)) {
                    throw new InvalidSpecException(field, "the target '" + name + "' cannot also be a feature");
                }
                if (!seen.add(name)) {
                    throw new InvalidSpecException(field, "duplicate feature '" + name + "'");
                }
                resolved.add(name);
            }
        }
        if (resolved.isEmpty()) {
            throw new InvalidSpecException("features", "the model has no feature columns");
        }
        return resolved;
    }

    private void checkTargetType(ColumnType type) {
        boolean ok = switch (objective) {
            case REGRESSION -> type.isNumber();
            case MULTICLASS ->
                type == ColumnType.CATEGORICAL
                        || type == ColumnType.TEXT
                        || type == ColumnType.INTEGER
                        || type == ColumnType.BOOLEAN;
            case BINARY ->
                switch (type) {
                    case BOOLEAN -> positive == null;
                    case NUMERIC, INTEGER -> positive != null && positive.above() != null;
                    case CATEGORICAL, TEXT -> positive != null && positive.equals() != null;
                    default -> false;
                };
        };
        if (!ok) {
            String hint = objective == Objective.BINARY
                    ? " (boolean target, numeric target with positive.above, or categorical target with positive.equals)"
                    : "";
            throw new InvalidSpecException(
                    "target",
                    "target '" + target + "' of type " + type.wireName() + " does not fit objective "
                            + objective.wireName() + hint);
        }
    }
}
