package io.tenantml.serving.internal;

import io.tenantml.registry.ModelVersionUse;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** A queued or running batch prediction loads the model version it was asked with: its file stays until it ends. */
@ApplicationScoped
public class BatchModelUse implements ModelVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String model, int version) {
        return ledger.describeActive(
                BatchPredictionEntity.<BatchPredictionEntity>list("model = ?1 and version = ?2", model, version)
                        .stream()
                        .map(row -> row.id)
                        .toList(),
                "batch prediction");
    }
}
