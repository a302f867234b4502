package io.tenantml.experts;

import java.util.List;

/**
 * An embedding provider (extension point). Lifecycle: created once per process and shared; {@link #embed} is
 * called concurrently by builds and requests, is deterministic for a given {@link #model()} (the same text
 * always gives the same vector, which is what makes the per-tenant embedding cache and two nodes answering
 * alike correct), and never reaches the network. Vectors are unit length, so cosine is a dot product.
 */
public interface Embedder {

    /** Names the model and its version; cached vectors are keyed by it, so a new model re-embeds. */
    String model();

    int dimension();

    /** One unit-length vector per text, in order. */
    List<float[]> embed(List<String> texts);
}
