package io.tenantml.dataset;

import io.tenantml.shared.Problem;
import io.tenantml.shared.ProblemException;

/**
 * Extension point: asked by {@link DatasetService#define} before it stores a declared schema, inside the declaring
 * transaction, with the tenant in context and the dataset's name locked. An implementation refuses by throwing a
 * {@code ProblemException} (nothing is written then). Implemented by what reads a dataset by its columns (model
 * specs, recommenders): a schema that drops or retypes a column they read would make every later upload store no
 * values for it, and their next training or build fail; the dataset knows nothing of them.
 */
public interface SchemaDeclarationCheck {

    void beforeDeclare(String dataset, DatasetSchema schema);

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
