package io.tenantml.dataset;

import java.util.List;

/**
 * What still needs a dataset version's rows, asked before they are purged. The feature that reads them implements
 * it (a queued or running training, batch or index build pinned to the version; a model version serving under an
 * alias, whose training data stays reproducible), so that the dataset feature needs no knowledge of their tables.
 * Called for the tenant in context, in the purge's transaction, under the dataset's locks.
 */
public interface DatasetVersionUse {

    /** Each use of {@code version} of {@code dataset}, in words for the tenant; empty when there is none. */
    List<String> usesOf(String dataset, int version);
}
