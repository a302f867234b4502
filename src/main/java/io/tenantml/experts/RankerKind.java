package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which ranking a build serves: the unlearned fusion, or the learned re-ranker on top of it. */
public enum RankerKind {
    UNLEARNED,
    RERANKED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
