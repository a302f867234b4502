package io.tenantml.training.internal;

import io.tenantml.dataset.DatasetVersionUse;
import io.tenantml.scheduling.Run;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/** A queued or running training pinned to a version reads its rows: they are not purged under it. */
@ApplicationScoped
public class TrainingDatasetUse implements DatasetVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String dataset, int version) {
        List<UUID> ids =
                TrainingEntity.<TrainingEntity>list("dataset = ?1 and datasetVersion = ?2", dataset, version).stream()
                        .map(t -> t.id)
                        .toList();
        return ledger.find(ids).values().stream()
                .filter(run -> run.state().active())
                .map(TrainingDatasetUse::describe)
                .sorted()
                .toList();
    }

    private static String describe(Run run) {
        return "training " + run.id() + " of model '" + run.subject() + "' ("
                + run.state().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
