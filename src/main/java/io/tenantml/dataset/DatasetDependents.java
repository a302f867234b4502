package io.tenantml.dataset;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;

/**
 * Extension point: what reads a dataset by its columns (model specs, recommenders), which the dataset knows nothing
 * of. Asked, inside the transaction and with the tenant in context and the dataset's name locked, before a declared
 * schema is stored ({@link #beforeDeclare}: one that drops or retypes a column they read would make every later
 * upload store no values for it, and their next training or build fail) and before the dataset is deleted
 * ({@link #dependentsOf}: they would have nothing left to train or build on).
 */
public interface DatasetDependents {

    /** Refuses a schema a dependent no longer fits by throwing {@link #conflict} (nothing is written then). */
    void beforeDeclare(String dataset, DatasetSchema schema);

    /** Each dependent on {@code dataset}, as a client names it ("model 'churn'"); empty when none. */
    java.util.List<String> dependentsOf(String dataset);

    /**
     * The refusal every check answers with: 409 naming the declaration's {@code schema}, and which dependent would
     * no longer fit it and why.
     *
     * @param dependent what reads the dataset, as a client names it ("model 'churn'")
     * @param field     the dependent's field that no longer fits ("target")
     */
    static ProblemException conflict(String dependent, String dataset, String field, String why) {
        return new ProblemException(Problem.of(
                        409,
                        "schema-breaks-dependents",
                        "Conflict",
                        dependent + " reads dataset '" + dataset + "' and would no longer fit it (" + field + ": " + why
                                + "); change or delete it first")
                .with("field", "schema"));
    }
}
