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

    /** The refusal every check answers with: 409 naming the declaration's {@code schema}. */
    static ProblemException conflict(String detail) {
        return new ProblemException(
                Problem.of(409, "schema-breaks-dependents", "Conflict", detail).with("field", "schema"));
    }
}
