package io.tenantml.serving.internal;

import io.tenantml.dataset.DatasetVersionUse;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A queued or running batch prediction scores a version's rows: they are not purged under it. */
@ApplicationScoped
public class BatchDatasetUse implements DatasetVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String dataset, int version) {
        List<UUID> ids =
                BatchPredictionEntity.<BatchPredictionEntity>list(
                                "dataset = ?1 and datasetVersion = ?2", dataset, version)
                        .stream()
                        .map(b -> b.id)
                        .toList();
        return ledger.find(ids).values().stream()
                .filter(run -> run.state().active())
                .map(run -> "batch prediction " + run.id() + " of model '" + run.subject() + "' ("
                        + run.state().name().toLowerCase(Locale.ROOT) + ")")
                .sorted()
                .toList();
    }
}
