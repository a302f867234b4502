package io.tenantml.experts.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.tenantml.experts.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * all-MiniLM-L6-v2, quantized, on ONNX Runtime in this process. The weights and the tokenizer come from the
 * Maven jar; nothing is downloaded. The model splits a batch across {@code executor}, which the caller bounds
 * and names.
 */
public final class MiniLmEmbedder implements Embedder {

    public static final String MODEL = "all-minilm-l6-v2-q@1.19.0-beta29";
    private static final int DIMENSION = 384;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    public MiniLmEmbedder(Executor executor) {
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            // the tokenizer refuses blank text; a blank question still gets a (constant) vector
            segments.add(TextSegment.from(Embedder.hasVisibleText(text) ? text : "-"));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            vectors.add(Vectors.normalized(e.vector()));
        }
        return vectors;
    }
}
