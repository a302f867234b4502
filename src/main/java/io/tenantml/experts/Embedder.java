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

    /**
     * Whether a text holds anything a tokenizer keeps: a letter, digit, punctuation mark or symbol. Text of only
     * spaces, control, format (zero-width) characters or combining marks is not blank to {@link String#isBlank}
     * but tokenizes to nothing, which the embedding model refuses.
     */
    static boolean hasVisibleText(String text) {
        return text != null && text.codePoints().anyMatch(Embedder::visible);
    }

    private static boolean visible(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.CONTROL,
                    Character.FORMAT,
                    Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
