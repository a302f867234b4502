package io.tenantml.serving.internal;

import io.tenantml.dataset.DatasetVersionUse;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** A queued or running batch prediction scores a version's rows: they are not purged under it. */
@ApplicationScoped
public class BatchDatasetUse implements DatasetVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String dataset, int version) {
        return ledger.describeActive(
                BatchPredictionEntity.<BatchPredictionEntity>list(
                                "dataset = ?1 and datasetVersion = ?2", dataset, version)
                        .stream()
                        .map(row -> row.id)
                        .toList(),
                "batch prediction");
    }
}
