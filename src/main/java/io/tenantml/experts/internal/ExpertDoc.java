package io.tenantml.experts.internal;

import java.util.List;
import java.util.Objects;

/**
 * One answered question as indexed: its id in the dataset, the text embedded and searched, who answered it,
 * when (epoch milliseconds) and its tags.
 */
public record ExpertDoc(String id, String text, String expert, long time, List<String> tags) {

    public ExpertDoc {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(expert, "expert");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
