package io.tenantml.training;

/**
 * Extension point: asked by {@link ModelSpecService} before it replaces a model's spec with a different one, inside
 * the replacing transaction, with the tenant in context and the model's name locked. An implementation refuses by
 * throwing a {@code ProblemException} (nothing is written then). Implemented by {@code rules}: a model's monitoring
 * rules name metrics of its objective, and training knows nothing of rules.
 */
public interface SpecChangeCheck {

    void beforeChange(String model, ModelSpec previous, ModelSpec next);
}
