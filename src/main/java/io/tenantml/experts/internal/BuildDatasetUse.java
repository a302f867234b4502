package io.tenantml.experts.internal;

import io.tenantml.dataset.DatasetVersionUse;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** A queued or running index build pinned to a version reads its rows: they are not purged under it. */
@ApplicationScoped
public class BuildDatasetUse implements DatasetVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String dataset, int version) {
        return ledger.describeActive(
                BuildEntity.<BuildEntity>list("dataset = ?1 and datasetVersion = ?2", dataset, version).stream()
                        .map(row -> row.id)
                        .toList(),
                "index build");
    }
}
