package io.tenantml.experts.internal;

import io.tenantml.experts.RankerKind;
import io.tenantml.experts.RankingSettings;
import java.io.IOException;
import java.util.UUID;

/** An open generation: its index, the re-ranker when that is what serves, and the settings it was built with. */
public record Generation(UUID build, ExpertIndex index, Reranker reranker, RankerKind served, RankingSettings settings)
        implements AutoCloseable {

    /** What the open generation weighs in the cache of open indexes. */
    public long bytes() {
        return index.heapBytes();
    }

    @Override
    public void close() {
        try {
            index.close();
        } catch (IOException e) {
            // an in-memory directory: nothing can be left open
        } finally {
            if (reranker != null) {
                reranker.close();
            }
        }
    }
}
