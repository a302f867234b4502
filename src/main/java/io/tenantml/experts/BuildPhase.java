package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a build is doing now; absent while it is queued. Progress is its run's. */
public enum BuildPhase {
    /** Reading the dataset version's rows. */
    READING,
    /** Running the texts through the embedding model. */
    EMBEDDING,
    /** Scoring the candidate on its held-out rows, for the gate (and learning its reranker, if it has one). */
    EVALUATING,
    /** Writing the Lucene index. */
    INDEXING,
    /** Finished (whatever the gate decided). */
    DONE;

    /** As the API and the database write it: lower case. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BuildPhase fromWire(String value) {
        for (BuildPhase v : values()) {
            if (v.wireName().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown BuildPhase '" + value + "'");
    }
}
