package io.tenantml.registry.internal;

import io.tenantml.dataset.DatasetVersionUse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;

/**
 * A model version that serves under an alias keeps the rows it was trained on: what production (or a staging alias)
 * learned from stays readable, to reproduce or explain it. Versions without an alias do not hold rows: their record
 * names the dataset version and its hash, and their rows may go with the dataset's retention.
 */
@ApplicationScoped
public class AliasedVersionDatasetUse implements DatasetVersionUse {

    @Inject
    EntityManager em;

    @Override
    public List<String> usesOf(String dataset, int version) {
        return em
                .createQuery(
                        "select a.model, a.alias, a.version from ModelAliasEntity a, ModelVersionEntity v"
                                + " where v.model = a.model and v.version = a.version"
                                + " and v.dataset = :dataset and v.datasetVersion = :version"
                                + " order by a.model, a.alias",
                        Object[].class)
                .setParameter("dataset", dataset)
                .setParameter("version", version)
                .getResultList()
                .stream()
                .map(r -> "model '" + r[0] + "' version " + r[2] + " (alias " + r[1] + ") was trained on it")
                .toList();
    }
}
