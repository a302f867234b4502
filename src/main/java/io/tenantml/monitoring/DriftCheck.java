package io.tenantml.monitoring;

import java.util.List;

/**
 * A dataset version compared with a model's production version's reference profile, feature by feature, with
 * the model's {@link DriftRule} (as the windows of served traffic are).
 *
 * @param model          the model
 * @param version        its production version, whose reference the rows were compared with
 * @param dataset        the dataset checked
 * @param datasetVersion its version
 * @param rows           rows of the dataset version
 * @param verdict        per feature and overall: status, tests, p-values (raw and corrected), effect sizes,
 *                       thresholds, sample sizes; the dataset-level drift share
 * @param unseenCategories per categorical feature with values its reference never held: how many rows held one
 */
public record DriftCheck(
        String model,
        int version,
        String dataset,
        int datasetVersion,
        long rows,
        DatasetDriftVerdict verdict,
        List<UnseenCategories> unseenCategories) {

    public DriftCheck {
        unseenCategories = List.copyOf(unseenCategories);
    }

    /** Rows of a categorical feature whose value was not among the training rows' categories. */
    public record UnseenCategories(String feature, long rows) {}
}
