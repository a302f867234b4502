package io.tenantml.experts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What counted for a recommended expert. */
public enum ReasonKind {
    SEMANTIC_MATCH,
    KEYWORD_MATCH,
    TAG_MATCH,
    /** The expert's whole history of answers matches (Balog's candidate model), not only single answers. */
    PROFILE_MATCH,
    RECENCY,
    ACTIVITY,
    LEARNED_RANKING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
