package io.tenantml.experts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecommenderSpecTest {

    static RecommenderSpec spec(List<String> text, String tags, Double halfLife, Integer cap, String schedule) {
        return new RecommenderSpec(
                "answers", text, "expert_id", "answered_at", tags, null, schedule, halfLife, cap, null, null, null);
    }

    @Test
    void shouldNameEveryFieldThatChangesWhatTheIndexContains() {
        RecommenderSpec built = spec(List.of("question"), "tags", null, null, null);
        assertThat(spec(List.of("question", "tags"), null, null, null, null).indexChanges(built))
                .containsExactly("text", "tags");
        RecommenderSpec other = new RecommenderSpec(
                "other", List.of("question"), "author", "asked_at", "tags", "key", null, null, null, null, null, null);
        assertThat(other.indexChanges(built)).containsExactly("dataset", "expert", "time", "id");
    }

    @Test
    void shouldNotTakeRankingOrServingSettingsForAnIndexChange() {
        RecommenderSpec built = spec(List.of("question"), "tags", null, null, null);
        assertThat(spec(List.of("question"), "tags", 30.0, 2, "0 0 3 * * ?").indexChanges(built))
                .isEmpty();
    }
}
