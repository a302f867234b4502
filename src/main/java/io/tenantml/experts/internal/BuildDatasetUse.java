package io.tenantml.experts.internal;

import io.tenantml.dataset.DatasetVersionUse;
import io.tenantml.scheduling.RunLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A queued or running index build pinned to a version reads its rows: they are not purged under it. */
@ApplicationScoped
public class BuildDatasetUse implements DatasetVersionUse {

    @Inject
    RunLedger ledger;

    @Override
    public List<String> usesOf(String dataset, int version) {
        List<UUID> ids =
                BuildEntity.<BuildEntity>list("dataset = ?1 and datasetVersion = ?2", dataset, version).stream()
                        .map(b -> b.id)
                        .toList();
        return ledger.find(ids).values().stream()
                .filter(run -> run.state().active())
                .map(run -> "index build " + run.id() + " of recommender '" + run.subject() + "' ("
                        + run.state().name().toLowerCase(Locale.ROOT) + ")")
                .sorted()
                .toList();
    }
}
